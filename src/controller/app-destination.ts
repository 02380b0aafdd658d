// Which cluster an Application's destination names: both its server URL and
// its name, as Argo CD resolves spec.destination before checking it against
// the project (GetDestinationCluster). Project checks, live-object filtering
// and sync windows all take this resolved destination.
//
// Today only the in-cluster destination resolves (server
// https://kubernetes.default.svc, name `in-cluster`, or neither given); any
// other is an InvalidSpecError. Resolution through cluster Secrets replaces
// the body of `resolveAppDestination` and nothing else.
import type { Application } from '../api/application.ts';
import type { ResolvedDestination } from '../project/permissions.ts';

export const inClusterServer = 'https://kubernetes.default.svc';
export const inClusterName = 'in-cluster';

export type DestinationResolution =
  | { readonly resolved: ResolvedDestination; readonly error?: undefined }
  | { readonly resolved?: undefined; readonly error: string };

export function resolveAppDestination(app: Application): DestinationResolution {
  const d = app.spec.destination ?? {};
  if (d.server && d.name) {
    return { error: `application destination can't have both name and server defined: ${d.name} ${d.server}` };
  }
  if (d.server === inClusterServer || d.name === inClusterName || (!d.server && !d.name)) {
    return { resolved: { server: inClusterServer, name: inClusterName } };
  }
  return { error: `application destination ${d.server ?? d.name} is not a known cluster (only the in-cluster destination is supported)` };
}
