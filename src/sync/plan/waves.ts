// The sync wave of an object: `argocd.argoproj.io/sync-wave`, else Helm's
// `helm.sh/hook-weight`, else 0. A value that is not a whole number (as Go's
// strconv.Atoi reads it) is ignored.
import type { KubeObject } from '../../api/kube-object.ts';
import { syncAnnotations } from '../../api/sync-annotations.ts';

function parseGoInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function waveOf(obj: KubeObject): number {
  const annotations = obj.metadata.annotations ?? {};
  return parseGoInt(annotations[syncAnnotations.syncWave]) ?? parseGoInt(annotations[syncAnnotations.helmHookWeight]) ?? 0;
}
