// The container images an object names: every `containers` and
// `initContainers` list anywhere under its spec (Pods, workload templates,
// CronJob job templates, custom resources that embed pod specs), sorted and
// de-duplicated — what Capstan records in sync results (status.summary.images
// come from the live Pods instead: status/app-images.ts).
import type { KubeObject } from './kube-object.ts';

export function imagesOf(obj: KubeObject): string[] {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) { for (const v of value) visit(v); return; }
    if (value === null || typeof value !== 'object') return;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if ((k === 'containers' || k === 'initContainers') && Array.isArray(v)) {
        for (const c of v) {
          const image = (c as { image?: unknown } | null)?.image;
          if (typeof image === 'string' && image !== '') found.add(image);
        }
      } else {
        visit(v);
      }
    }
  };
  visit(obj['spec']);
  return [...found].sort();
}
