// status.summary.images as Argo CD collects it: the resource tree of the app
// (every live object it manages, hooks and objects to prune included, and
// their descendants through ownerReferences — ReplicaSets, Jobs, Pods) is
// walked, and only Pods contribute images (controller/cache populatePodInfo:
// init containers and containers), de-duplicated and sorted as
// ApplicationTree.GetSummary does. A workload with no pods yet, or scaled to
// zero, adds nothing; during a rollout old and new images both show.
import { groupOf, type KubeObject } from '../api/kube-object.ts';

interface PodSpecImages {
  readonly containers?: ReadonlyArray<{ readonly image?: unknown }>;
  readonly initContainers?: ReadonlyArray<{ readonly image?: unknown }>;
}

function podImages(pod: KubeObject): string[] {
  const spec = pod['spec'] as PodSpecImages | undefined;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]
    .map((c) => c.image).filter((image): image is string => typeof image === 'string');
}

const isPod = (obj: KubeObject): boolean => obj.kind === 'Pod' && groupOf(obj.apiVersion) === '';

/** The images of the Pods in the tree under `managed` (the app's live objects); `childrenOf` follows ownerReferences by uid. */
export function treeImages(managed: readonly KubeObject[], childrenOf: (uid: string) => readonly KubeObject[]): string[] {
  const images = new Set<string>();
  const seen = new Set<string>();
  const visit = (obj: KubeObject): void => {
    const uid = obj.metadata.uid;
    if (uid !== undefined) {
      if (seen.has(uid)) return;
      seen.add(uid);
    }
    if (isPod(obj)) for (const image of podImages(obj)) images.add(image);
    if (uid !== undefined) for (const child of childrenOf(uid)) visit(child);
  };
  for (const obj of managed) visit(obj);
  return [...images].sort();
}
