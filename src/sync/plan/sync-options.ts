// Sync options as Argo CD reads them: application-level options are exact
// strings in `syncPolicy.syncOptions` / `operation.sync.syncOptions`;
// resource-level ones are a comma-separated `argocd.argoproj.io/sync-options`
// annotation, each entry trimmed.
import { annotationList, type KubeObject } from '../../api/kube-object.ts';
import { syncAnnotations } from '../../api/sync-annotations.ts';

export function hasResourceOption(obj: KubeObject | undefined, option: string): boolean {
  return annotationList(obj, syncAnnotations.syncOptions).includes(option);
}

export function hasAppOption(options: readonly string[] | undefined, option: string): boolean {
  return (options ?? []).includes(option);
}

export type PropagationPolicy = 'foreground' | 'background' | 'orphan';

/** `PrunePropagationPolicy=…` from the app options; foreground by default. */
export function prunePropagationPolicy(options: readonly string[] | undefined): PropagationPolicy {
  for (const o of options ?? []) {
    const m = /^PrunePropagationPolicy=(foreground|background|orphan)$/.exec(o);
    if (m !== null) return m[1] as PropagationPolicy;
  }
  return 'foreground';
}
