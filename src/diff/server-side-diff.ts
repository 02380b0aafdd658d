// Server-side diff, Argo CD's ServerSideDiff strategy: the desired object is
// applied with dryRun=All (server-side apply, forced like the real apply) and
// the server's predicted object is compared with the live one, so defaulting,
// admission and list merging are the server's own. Predictions are cached by
// (desired object, live resourceVersion), so a steady state makes no API calls.
// When a dry run is impossible (e.g. the kind is not served yet) the local
// comparison is used: every field of the desired object must match live.
import type { KubeObject } from '../api/kube-object.ts';

export type DryRunApply = (desired: KubeObject) => Promise<KubeObject>;

export interface DiffVerdict {
  readonly modified: boolean;
  readonly mode: 'server' | 'local';
}

const serverSet = ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp', 'selfLink'];

/** Drops what the server sets and `status`, for comparing two server views of one object. */
export function normalizeLive(obj: KubeObject): KubeObject {
  const { status: _status, ...rest } = obj as KubeObject & { status?: unknown };
  const metadata = { ...obj.metadata };
  for (const f of serverSet) delete metadata[f];
  if (metadata.annotations) {
    const { 'kubectl.kubernetes.io/last-applied-configuration': _l, ...annotations } = metadata.annotations;
    metadata.annotations = annotations;
  }
  return { ...rest, metadata };
}

/** Stable JSON: object keys sorted, so equal objects give equal strings. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** True when every field set in `desired` has the same value in `live` (lists compared whole). */
export function isSubsetOf(desired: unknown, live: unknown): boolean {
  if (desired !== null && typeof desired === 'object' && !Array.isArray(desired)) {
    if (live === null || typeof live !== 'object' || Array.isArray(live)) return false;
    return Object.entries(desired as Record<string, unknown>).every(([k, v]) => v === null || isSubsetOf(v, (live as Record<string, unknown>)[k]));
  }
  if (Array.isArray(desired)) {
    return Array.isArray(live) && desired.length === live.length && desired.every((v, i) => isSubsetOf(v, live[i]));
  }
  return desired === live || (typeof desired === 'number' && String(desired) === live) || (typeof live === 'number' && String(live) === desired);
}

export class ServerSideDiffer {
  private readonly predictions = new Map<string, KubeObject>();
  /** Dry-run calls made (a steady state makes none). */
  dryRuns = 0;

  constructor(private readonly dryRunApply: DryRunApply, private readonly maxEntries = 20_000) {}

  async diff(desired: KubeObject, live: KubeObject): Promise<DiffVerdict> {
    const forceLocal = (desired.metadata.annotations?.['argocd.argoproj.io/compare-options'] ?? '')
      .split(',').map((s) => s.trim()).includes('ServerSideDiff=false');
    if (!forceLocal) {
      const key = `${canonicalJson(desired)}\u0000${live.metadata.resourceVersion ?? ''}`;
      let predicted = this.predictions.get(key);
      if (predicted === undefined) {
        try {
          this.dryRuns++;
          predicted = await this.dryRunApply(desired);
          this.remember(key, predicted);
        } catch {
          predicted = undefined;
        }
      }
      if (predicted !== undefined) {
        return { modified: canonicalJson(normalizeLive(predicted)) !== canonicalJson(normalizeLive(live)), mode: 'server' };
      }
    }
    return { modified: !isSubsetOf(normalizeLive(desired), normalizeLive(live)), mode: 'local' };
  }

  private remember(key: string, value: KubeObject): void {
    this.predictions.set(key, value);
    if (this.predictions.size > this.maxEntries) this.predictions.delete(this.predictions.keys().next().value as string);
  }
}
