// The live source of a server without the engine in its process: its own
// cluster registry (cluster Secrets) and one live cache per destination,
// opened when an app of that cluster is first asked about, watching the
// child kinds and the kinds the app's status lists. Tracking follows
// argocd-cm (application.resourceTrackingMethod, instanceLabelKey).
import type { Application } from '../../api/application.ts';
import { LiveCache } from '../../kube/cache/live-cache.ts';
import { ClusterRegistry } from '../../kube/cluster-registry.ts';
import type { KubeClient } from '../../kube/kube-client.ts';
import { argoCdConfigMapName, parseArgoCdConfigMap, type EngineSettings } from '../../settings/argocd-cm.ts';
import type { CompatRuntime } from '../../controller/resource-checks.ts';
import { ApiError } from '../http/api-errors.ts';
import type { ControlPlaneCache } from './control-plane-cache.ts';
import { watchTrackedKinds } from './engine-live-source.ts';
import type { AppLiveView, LiveSource } from './live-source.ts';

export class StandaloneLiveSource implements LiveSource {
  private readonly registry: ClusterRegistry<LiveCache>;
  private readonly started = new WeakMap<LiveCache, Promise<void>>();
  private readonly trackingOf = new WeakMap<LiveCache, string>();
  private readonly local: LiveCache;
  private settingsText = '';
  private settings: EngineSettings;
  private registryStarted: Promise<void> | undefined;

  constructor(client: KubeClient, namespace: string, private readonly cache: ControlPlaneCache, private readonly compat?: CompatRuntime) {
    this.settings = this.readSettings();
    const tracking = (): { method: EngineSettings['trackingMethod']; instanceLabelKey: string } =>
      ({ method: this.settings.trackingMethod, instanceLabelKey: this.settings.instanceLabelKey });
    this.local = new LiveCache(client, { tracking: tracking() });
    this.registry = new ClusterRegistry<LiveCache>({
      control: client, namespace, local: { client, state: this.local },
      open: (c) => new LiveCache(c, { tracking: tracking() }), close: (live) => live.close(),
      inClusterEnabled: () => this.settings.inClusterEnabled,
    });
  }

  private readSettings(): EngineSettings {
    const data = this.cache.configMapData(argoCdConfigMapName);
    const text = JSON.stringify(data ?? {});
    if (text !== this.settingsText || this.settings === undefined) {
      this.settingsText = text;
      this.settings = parseArgoCdConfigMap(data).settings;
    }
    return this.settings;
  }

  async viewOf(app: Application): Promise<AppLiveView> {
    const settings = this.readSettings();
    await (this.registryStarted ??= this.registry.start());
    const lookup = this.registry.resolve(app.spec.destination);
    if (!lookup.ok) throw new ApiError('InvalidArgument', lookup.message);
    const live = lookup.handle.state;
    const tracking = `${settings.trackingMethod}/${settings.instanceLabelKey}`;
    if ((this.trackingOf.get(live) ?? tracking) !== tracking) live.setTracking({ method: settings.trackingMethod, instanceLabelKey: settings.instanceLabelKey });
    this.trackingOf.set(live, tracking);
    let start = this.started.get(live);
    if (start === undefined) {
      start = live.start().catch((err: unknown) => { this.started.delete(live); throw err; });
      this.started.set(live, start);
    }
    await start;
    await watchTrackedKinds(live, app);
    return {
      client: lookup.handle.client, managed: live.managedBy(app.metadata.name!), childrenOf: (uid) => live.index.childrenOf(uid),
      health: { overrides: settings.resourceOverrides, ...(this.compat?.runLua ? { runLua: this.compat.runLua } : {}) },
    };
  }

  close(): void {
    this.registry.close();
    this.local.close();
  }
}
