// What the API server reads, kept from watches of the control namespace:
// Applications, ApplicationSets, AppProjects, the ConfigMaps and the Secrets
// (argocd-cm, argocd-rbac-cm, argocd-secret, cluster and repository Secrets).
// Reads are served from memory — a list of 500 apps costs no API request —
// and every Application change (ADDED, MODIFIED, DELETED, also those a relist
// finds) goes to the listeners, which drive the watch stream. Secret values
// stay in memory; nothing here logs or returns them.
import { EventEmitter, setMaxListeners } from 'node:events';
import type { AppProject } from '../../api/app-project.ts';
import type { Application } from '../../api/application.ts';
import type { ApplicationSet } from '../../api/application-set.ts';
import type { KubeObject, ObjectMeta } from '../../api/kube-object.ts';
import { describeError } from '../../errors.ts';
import type { KubeClient } from '../../kube/kube-client.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface AppEvent {
  readonly type: WatchEventType;
  readonly app: Application;
}

interface Named { metadata: ObjectMeta }

export interface Collection<T extends Named> {
  readonly items: Map<string, T>;
  resourceVersion: string;
}

const argo = 'argoproj.io/v1alpha1';

export class ControlPlaneCache {
  readonly apps: Collection<Application> = { items: new Map(), resourceVersion: '' };
  readonly appSets: Collection<ApplicationSet> = { items: new Map(), resourceVersion: '' };
  readonly projects: Collection<AppProject> = { items: new Map(), resourceVersion: '' };
  readonly configMaps: Collection<KubeObject> = { items: new Map(), resourceVersion: '' };
  readonly secrets: Collection<KubeObject> = { items: new Map(), resourceVersion: '' };
  private readonly events = new EventEmitter();
  private readonly stop = new AbortController();
  private readonly settingsListeners: Array<() => void> = [];

  constructor(private readonly client: KubeClient, readonly namespace: string, private readonly log: (line: string) => void = () => undefined) {
    this.events.setMaxListeners(0);
    setMaxListeners(0, this.stop.signal);
  }

  /** Starts every watch; resolves once each has listed. */
  async start(): Promise<void> {
    await Promise.all([
      this.watch(argo, 'Application', this.apps, (type, obj) => this.events.emit('app', { type, app: obj })),
      this.watch(argo, 'ApplicationSet', this.appSets),
      this.watch(argo, 'AppProject', this.projects),
      this.watch('v1', 'ConfigMap', this.configMaps, () => this.settingsChanged()),
      this.watch('v1', 'Secret', this.secrets, () => this.settingsChanged()),
    ]);
  }

  close(): void {
    this.stop.abort();
    this.events.removeAllListeners();
  }

  /** Calls `listener` for every Application change until the returned function is called. */
  onAppEvent(listener: (event: AppEvent) => void): () => void {
    this.events.on('app', listener);
    return () => { this.events.off('app', listener); };
  }

  /** Called after a ConfigMap or Secret of the namespace changed. */
  onSettingsChange(listener: () => void): void {
    this.settingsListeners.push(listener);
  }

  configMapData(name: string): Record<string, string> | undefined {
    return this.configMaps.items.get(name)?.['data'] as Record<string, string> | undefined;
  }

  /** A Secret's data, base64 as the API server returns it. */
  secretData(name: string): Record<string, string> | undefined {
    return this.secrets.items.get(name)?.['data'] as Record<string, string> | undefined;
  }

  private settingsChanged(): void {
    for (const l of this.settingsListeners) l();
  }

  private watch<T extends Named>(apiVersion: string, kind: string, into: Collection<T>,
    changed?: (type: WatchEventType, obj: T) => void): Promise<void> {
    let synced!: () => void;
    const ready = new Promise<void>((resolve) => { synced = resolve; });
    void this.client.watch(apiVersion, kind, {
      onSync: (objects, rv) => {
        const before = new Map(into.items);
        into.items.clear();
        for (const o of objects) into.items.set(o.metadata.name!, o as unknown as T);
        into.resourceVersion = rv;
        if (changed !== undefined) {
          for (const [name, old] of before) if (!into.items.has(name)) changed('DELETED', old);
          for (const [name, obj] of into.items) {
            const old = before.get(name);
            if (old === undefined) changed('ADDED', obj);
            else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) changed('MODIFIED', obj);
          }
        }
        synced();
      },
      onEvent: (type, obj) => {
        const name = obj.metadata.name!;
        if (obj.metadata.resourceVersion) into.resourceVersion = obj.metadata.resourceVersion;
        if (type === 'DELETED') into.items.delete(name); else into.items.set(name, obj as unknown as T);
        changed?.(type, obj as unknown as T);
      },
      onBookmark: (rv) => { into.resourceVersion = rv; },
      onError: (err) => this.log(`watch ${kind}: ${describeError(err)}`),
    }, { namespace: this.namespace, signal: this.stop.signal }).catch((err: unknown) => this.log(`watch ${kind} stopped: ${describeError(err)}`));
    return ready;
  }
}
