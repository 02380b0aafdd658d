// Which cluster an Application's destination names: both its server URL and
// its name, as Argo CD resolves spec.destination before checking it against
// the project (GetDestinationCluster). Project checks, live-object filtering
// and sync windows all take this resolved destination.
//
// The clusters are the registry's directory (cluster Secrets and the local
// cluster; project/resolve-destination.ts has the rules and Argo CD's
// messages). Without one, only the in-cluster destination resolves.
import type { Application } from '../api/application.ts';
import { inClusterName, inClusterServer, type ClusterIdentity } from '../api/cluster-secret.ts';
import type { ResolvedDestination } from '../project/permissions.ts';
import { resolveDestination, type ClusterDirectory } from '../project/resolve-destination.ts';

export { inClusterName, inClusterServer };

export type DestinationResolution =
  | { readonly resolved: ResolvedDestination; readonly cluster: ClusterIdentity; readonly error?: undefined }
  | { readonly resolved?: undefined; readonly cluster?: undefined; readonly error: string };

const localOnly: ClusterDirectory = { clusters: [], invalid: [], inClusterEnabled: true };

export function resolveAppDestination(app: Application, directory: ClusterDirectory = localOnly): DestinationResolution {
  const r = resolveDestination(app.spec.destination, directory);
  return r.ok ? { resolved: { server: r.cluster.server, name: r.cluster.name }, cluster: r.cluster } : { error: r.message };
}
