// The in-memory index of live objects behind the watch caches: objects by
// identity, by the application that tracks them, and by owner uid (so an
// app's resources and their children — ReplicaSets, Pods, Jobs — are found in
// O(resources of that app)). Objects no app tracks are slimmed: managedFields,
// the last-applied annotation and any other annotation over 4 KiB are
// dropped, since only the engine's own objects are ever diffed (health and
// the resource tree read spec and status).
import { groupOf, resourceKey, type KubeObject } from '../../api/kube-object.ts';
import { trackedAppOf, type TrackingOptions } from './tracking.ts';

const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';
const maxAnnotationLength = 4096;

export function slimObject(obj: KubeObject): KubeObject {
  const { managedFields: _m, ...metadata } = obj.metadata;
  const annotations = metadata.annotations;
  if (annotations !== undefined && Object.entries(annotations).some(([k, v]) => k === lastApplied || v.length > maxAnnotationLength)) {
    metadata.annotations = Object.fromEntries(Object.entries(annotations).filter(([k, v]) => k !== lastApplied && v.length <= maxAnnotationLength));
  }
  return { ...obj, metadata };
}

/** group/kind, the unit the cache watches. */
export function groupKindOf(obj: KubeObject): string {
  return `${groupOf(obj.apiVersion)}/${obj.kind}`;
}

export class ObjectIndex {
  private readonly objects = new Map<string, KubeObject>();
  private readonly byApp = new Map<string, Set<string>>();
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly appOf = new Map<string, string>();
  private readonly byUid = new Map<string, string>();

  constructor(private tracking: TrackingOptions = {}) {}

  /** Changes how objects are attributed to apps (application.resourceTrackingMethod) and re-indexes. */
  setTracking(tracking: TrackingOptions): void {
    this.tracking = tracking;
    const all = [...this.objects.values()];
    for (const index of [this.objects, this.byApp, this.byOwner, this.appOf, this.byUid]) index.clear();
    for (const obj of all) this.upsert(obj);
  }

  get size(): number {
    return this.objects.size;
  }

  get(key: string): KubeObject | undefined {
    return this.objects.get(key);
  }

  upsert(obj: KubeObject): void {
    const key = resourceKey(obj);
    this.unindex(key);
    const app = trackedAppOf(obj, this.tracking);
    const stored = app === undefined ? slimObject(obj) : obj;
    this.objects.set(key, stored);
    if (app !== undefined) {
      this.appOf.set(key, app);
      addTo(this.byApp, app, key);
    }
    for (const ref of stored.metadata.ownerReferences ?? []) addTo(this.byOwner, ref.uid, key);
    if (stored.metadata.uid) this.byUid.set(stored.metadata.uid, key);
  }

  remove(obj: KubeObject): void {
    const key = resourceKey(obj);
    this.unindex(key);
    this.objects.delete(key);
  }

  /** Replaces every object of one group/kind (after a relist). */
  replaceGroupKind(groupKind: string, objects: readonly KubeObject[]): void {
    for (const [key, obj] of this.objects) {
      if (groupKindOf(obj) === groupKind) { this.unindex(key); this.objects.delete(key); }
    }
    for (const obj of objects) this.upsert(obj);
  }

  /** Objects tracked by an application. */
  managedBy(appName: string): KubeObject[] {
    return [...(this.byApp.get(appName) ?? [])].map((k) => this.objects.get(k)!);
  }

  /** Objects owned (ownerReferences) by the object with this uid. */
  childrenOf(uid: string): KubeObject[] {
    return [...(this.byOwner.get(uid) ?? [])].map((k) => this.objects.get(k)!);
  }

  /**
   * The application an object belongs to: the one tracking it, else the one
   * tracking its nearest owner (a Pod → ReplicaSet → Deployment chain).
   */
  appOwning(obj: KubeObject, depth = 6): string | undefined {
    const own = this.appOf.get(resourceKey(obj)) ?? trackedAppOf(obj, this.tracking);
    if (own !== undefined || depth === 0) return own;
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const ownerKey = this.byUid.get(ref.uid);
      const owner = ownerKey === undefined ? undefined : this.objects.get(ownerKey);
      const app = owner === undefined ? undefined : this.appOwning(owner, depth - 1);
      if (app !== undefined) return app;
    }
    return undefined;
  }

  /** Every cached object in one namespace (orphaned-resource monitoring). */
  inNamespace(namespace: string): KubeObject[] {
    return [...this.objects.values()].filter((o) => o.metadata.namespace === namespace);
  }

  /** Names of the applications that track at least one object. */
  apps(): string[] {
    return [...this.byApp.keys()];
  }

  private unindex(key: string): void {
    const old = this.objects.get(key);
    if (old === undefined) return;
    const app = this.appOf.get(key);
    if (app !== undefined) { removeFrom(this.byApp, app, key); this.appOf.delete(key); }
    for (const ref of old.metadata.ownerReferences ?? []) removeFrom(this.byOwner, ref.uid, key);
    if (old.metadata.uid && this.byUid.get(old.metadata.uid) === key) this.byUid.delete(old.metadata.uid);
  }
}

function addTo(index: Map<string, Set<string>>, id: string, key: string): void {
  let set = index.get(id);
  if (set === undefined) index.set(id, set = new Set());
  set.add(key);
}

function removeFrom(index: Map<string, Set<string>>, id: string, key: string): void {
  const set = index.get(id);
  if (set === undefined) return;
  set.delete(key);
  if (set.size === 0) index.delete(id);
}
