// Where the resource tree reads live objects: an app's destination client and
// the live cache's view of the objects the app tracks and of their children
// (by owner uid). The in-process engine shares the controller's caches
// (`engineLiveSource`); a server on its own keeps caches of its own
// (`StandaloneLiveSource`).
import type { Application } from '../../api/application.ts';
import type { KubeObject } from '../../api/kube-object.ts';
import type { KubeClient } from '../../kube/kube-client.ts';
import type { HealthOptions } from '../../health/assess-health.ts';

export interface AppLiveView {
  /** The destination cluster's client. */
  readonly client: KubeClient;
  /** Objects the app tracks, as the live cache holds them. */
  readonly managed: readonly KubeObject[];
  childrenOf(uid: string): readonly KubeObject[];
  readonly health: HealthOptions;
}

export interface LiveSource {
  /** The app's live objects; an unknown destination is an InvalidArgument error. */
  viewOf(app: Application): Promise<AppLiveView>;
  close(): void;
}
