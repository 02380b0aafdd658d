// Which cluster an Application's destination names, with Argo CD's rules and
// messages (util/argo/argo.go GetDestinationCluster, util/db/cluster.go
// GetCluster and GetClusterServersByName): exactly one of `server` and `name`;
// a server is looked up among the cluster Secrets (trailing slashes aside),
// the in-cluster server https://kubernetes.default.svc exists without one
// unless argocd-cm turns it off (cluster.inClusterEnabled: "false"); a name
// must match exactly one Secret, and `in-cluster` is the local cluster's name
// while no Secret claims the local server. Clusters whose Secret names a
// project are destinations of that project (GetAppProjectByName) and the ones
// permitOnlyProjectScopedClusters allows. A Secret that does not parse is no cluster, as in Argo CD; the
// message then also says why, so a typo in a Secret is found.
import type { AppProject, ApplicationDestination } from '../api/app-project.ts';
import { inClusterName, inClusterServer, type ClusterIdentity } from '../api/cluster-secret.ts';
import type { ProjectCluster } from './permissions.ts';

export interface InvalidClusterSecret {
  /** What could be read of the Secret (its name and server, if any). */
  readonly identity: ClusterIdentity;
  readonly message: string;
}

export interface ClusterDirectory {
  /** The cluster Secrets that parse, in Secret name order. */
  readonly clusters: readonly ClusterIdentity[];
  readonly invalid: readonly InvalidClusterSecret[];
  /** argocd-cm `cluster.inClusterEnabled` (default true). */
  readonly inClusterEnabled: boolean;
}

export type DestinationResolution =
  | { readonly ok: true; readonly cluster: ClusterIdentity }
  | { readonly ok: false; readonly message: string };

/** Argo CD's ErrDestinationMissing. */
export const destinationMissing = 'Destination server missing from app spec';

/** The local cluster as Argo CD lists it without a Secret. */
export const localCluster: ClusterIdentity = {
  secret: '', name: inClusterName, server: inClusterServer, namespaces: [], clusterResources: false, labels: {}, annotations: {},
};

const trim = (server: string): string => server.replace(/\/+$/, '');

/** gRPC's rendering of a NotFound status, which Argo CD's messages carry. */
const notFound = (desc: string): string => `rpc error: code = NotFound desc = ${desc}`;

function invalidHint(dir: ClusterDirectory, matches: (c: ClusterIdentity) => boolean): string {
  const bad = dir.invalid.filter((i) => matches(i.identity));
  return bad.length === 0 ? '' : ` (${bad.map((b) => b.message).join('; ')})`;
}

function byServer(server: string, dir: ClusterDirectory): DestinationResolution {
  const wanted = trim(server);
  if (wanted === inClusterServer && !dir.inClusterEnabled) {
    return { ok: false, message: `error getting cluster by server "${server}": ${notFound(`cluster "${server}" is disabled`)}` };
  }
  const found = dir.clusters.find((c) => c.server === wanted);
  if (found !== undefined) return { ok: true, cluster: found };
  if (wanted === inClusterServer) return { ok: true, cluster: localCluster };
  return { ok: false, message: `error getting cluster by server "${server}": ${notFound(`cluster "${server}" not found`)}`
    + invalidHint(dir, (c) => c.server === wanted) };
}

function byName(name: string, dir: ClusterDirectory): DestinationResolution {
  const localSecret = dir.clusters.some((c) => c.server === inClusterServer);
  if (!localSecret && name === inClusterName && dir.inClusterEnabled) return { ok: true, cluster: localCluster };
  const servers = dir.clusters.filter((c) => c.name === name && (dir.inClusterEnabled || c.server !== inClusterServer)).map((c) => c.server);
  if (servers.length === 0) return { ok: false, message: `there are no clusters with this name: ${name}${invalidHint(dir, (c) => c.name === name)}` };
  if (servers.length > 1) return { ok: false, message: `there are ${servers.length} clusters with the same name: [${servers.join(' ')}]` };
  const found = byServer(servers[0]!, dir);
  return found.ok ? found : { ok: false, message: `error getting cluster by URL: ${found.message}` };
}

export function resolveDestination(dest: ApplicationDestination | undefined, dir: ClusterDirectory): DestinationResolution {
  const server = dest?.server ?? '';
  const name = dest?.name ?? '';
  if (name !== '' && server !== '') return { ok: false, message: `application destination can't have both name and server defined: ${name} ${server}` };
  if (server !== '') return byServer(server, dir);
  if (name !== '') return byName(name, dir);
  return { ok: false, message: destinationMissing };
}

/** The clusters whose Secret names the project (Argo CD's GetProjectClusters). */
export function projectClustersOf(projectName: string, clusters: readonly ClusterIdentity[]): ProjectCluster[] {
  return clusters.filter((c) => c.project !== undefined && c.project === projectName).map((c) => ({ server: c.server, name: c.name }));
}

/**
 * The project as Argo CD's GetAppProjectByName returns it: its destinations
 * plus, per project-scoped cluster, that server with every namespace or with
 * each of the Secret's `namespaces`.
 */
export function withProjectClusters(project: AppProject, clusters: readonly ClusterIdentity[]): AppProject {
  const name = project.metadata.name ?? '';
  const scoped = clusters.filter((c) => c.project !== undefined && c.project === name);
  if (scoped.length === 0) return project;
  const added: ApplicationDestination[] = scoped.flatMap((c) => (c.namespaces.length === 0 ? [{ server: c.server, namespace: '*' }]
    : c.namespaces.map((ns) => ({ server: c.server, namespace: ns }))));
  return { ...project, spec: { ...project.spec, destinations: [...(project.spec.destinations ?? []), ...added] } };
}
