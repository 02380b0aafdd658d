// Sync options as Argo CD reads them: application-level options are exact
// strings in `syncPolicy.syncOptions` / `operation.sync.syncOptions`;
// resource-level ones are a comma-separated `argocd.argoproj.io/sync-options`
// annotation, each entry trimmed. For `Prune` and `Delete` the application
// level sets a default and a resource's own value always wins (Argo CD's
// sync-options documentation, "No Prune Resources", "No Resource Deletion").
import { annotationList, type KubeObject } from '../../api/kube-object.ts';
import { syncAnnotations } from '../../api/sync-annotations.ts';

export function hasResourceOption(obj: KubeObject | undefined, option: string): boolean {
  return annotationList(obj, syncAnnotations.syncOptions).includes(option);
}

export function hasAppOption(options: readonly string[] | undefined, option: string): boolean {
  return (options ?? []).includes(option);
}

/** The value of `name=…` on the resource, else in the app options, else undefined. */
export function optionValue(obj: KubeObject | undefined, appOptions: readonly string[] | undefined, name: string): string | undefined {
  const find = (entries: readonly string[]): string | undefined => {
    const entry = entries.find((e) => e.startsWith(`${name}=`));
    return entry === undefined ? undefined : entry.slice(name.length + 1);
  };
  return find(annotationList(obj, syncAnnotations.syncOptions)) ?? find(appOptions ?? []);
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
