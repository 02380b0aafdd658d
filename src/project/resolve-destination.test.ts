// Destination resolution with the messages of Argo CD's GetDestinationCluster
// (util/argo/argo.go and its tests) and project-scoped clusters
// (GetAppProjectByName, permitOnlyProjectScopedClusters).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppProject } from '../api/app-project.ts';
import type { ClusterIdentity } from '../api/cluster-secret.ts';
import { isDestinationPermitted } from './permissions.ts';
import { destinationMissing, localCluster, projectClustersOf, resolveDestination, withProjectClusters, type ClusterDirectory } from './resolve-destination.ts';

const cluster = (name: string, server: string, extra: Partial<ClusterIdentity> = {}): ClusterIdentity => ({
  secret: `argocd/${name}`, name, server, namespaces: [], clusterResources: false, labels: {}, annotations: {}, ...extra });

const dev = cluster('dev-vcluster', 'https://dev.example.com');
const staging = cluster('staging-vcluster', 'https://staging.example.com');
const twinA = cluster('twin', 'https://a.example.com');
const twinB = cluster('twin', 'https://b.example.com');
const dir = (over: Partial<ClusterDirectory> = {}): ClusterDirectory => ({ clusters: [dev, staging, twinA, twinB], invalid: [], inClusterEnabled: true, ...over });

test('destinations resolve as Argo CD resolves them, with its messages', () => {
  const cases: Array<{ name: string; dest: { server?: string; name?: string; namespace?: string }; dir?: ClusterDirectory; want: ClusterIdentity | string }> = [
    { name: 'by name', dest: { name: 'dev-vcluster', namespace: 'x' }, want: dev },
    { name: 'by server', dest: { server: 'https://staging.example.com' }, want: staging },
    { name: 'by server with a trailing slash', dest: { server: 'https://staging.example.com/' }, want: staging },
    { name: 'in-cluster by server', dest: { server: 'https://kubernetes.default.svc' }, want: localCluster },
    { name: 'in-cluster by name', dest: { name: 'in-cluster' }, want: localCluster },
    { name: 'both', dest: { name: 'dev-vcluster', server: 'https://dev.example.com' },
      want: "application destination can't have both name and server defined: dev-vcluster https://dev.example.com" },
    { name: 'neither', dest: { namespace: 'x' }, want: destinationMissing },
    { name: 'unknown name', dest: { name: 'prod' }, want: 'there are no clusters with this name: prod' },
    { name: 'unknown server', dest: { server: 'https://prod.example.com' },
      want: 'error getting cluster by server "https://prod.example.com": rpc error: code = NotFound desc = cluster "https://prod.example.com" not found' },
    { name: 'ambiguous name', dest: { name: 'twin' }, want: 'there are 2 clusters with the same name: [https://a.example.com https://b.example.com]' },
    { name: 'in-cluster disabled, by server', dest: { server: 'https://kubernetes.default.svc' }, dir: dir({ inClusterEnabled: false }),
      want: 'error getting cluster by server "https://kubernetes.default.svc": rpc error: code = NotFound desc = cluster "https://kubernetes.default.svc" is disabled' },
    { name: 'in-cluster disabled, by name', dest: { name: 'in-cluster' }, dir: dir({ inClusterEnabled: false }), want: 'there are no clusters with this name: in-cluster' },
    { name: 'a Secret for the local server renames it', dest: { name: 'local' },
      dir: dir({ clusters: [cluster('local', 'https://kubernetes.default.svc')] }), want: cluster('local', 'https://kubernetes.default.svc') },
    { name: 'then in-cluster is no name', dest: { name: 'in-cluster' }, dir: dir({ clusters: [cluster('local', 'https://kubernetes.default.svc')] }),
      want: 'there are no clusters with this name: in-cluster' },
    { name: 'a broken Secret says why', dest: { name: 'prod' },
      dir: dir({ invalid: [{ identity: cluster('prod', 'https://prod.example.com'), message: 'cluster secret "argocd/prod" is invalid: config is not valid JSON' }] }),
      want: 'there are no clusters with this name: prod (cluster secret "argocd/prod" is invalid: config is not valid JSON)' },
  ];
  for (const c of cases) {
    const got = resolveDestination(c.dest, c.dir ?? dir());
    if (typeof c.want === 'string') assert.deepEqual(got, { ok: false, message: c.want }, c.name);
    else assert.deepEqual(got, { ok: true, cluster: c.want }, c.name);
  }
});

test('project-scoped clusters are destinations of their project, and the ones permitOnlyProjectScopedClusters allows', () => {
  const project = (spec: AppProject['spec'], name = 'team'): AppProject => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name }, spec });
  const scoped = cluster('team-cluster', 'https://team.example.com', { project: 'team', namespaces: ['apps', 'jobs'] });
  const open = cluster('team-all', 'https://all.example.com', { project: 'team' });
  const all = [dev, scoped, open];
  const cases: Array<{ name: string; project: AppProject; cluster: ClusterIdentity; ns: string; want: boolean }> = [
    { name: 'by server', project: project({ destinations: [{ server: 'https://dev.example.com', namespace: '*' }] }), cluster: dev, ns: 'x', want: true },
    { name: 'by name', project: project({ destinations: [{ name: 'dev-*', namespace: 'x' }] }), cluster: dev, ns: 'x', want: true },
    { name: 'other cluster', project: project({ destinations: [{ name: 'staging-vcluster', namespace: '*' }] }), cluster: dev, ns: 'x', want: false },
    { name: 'project-scoped cluster, its namespace', project: project({ destinations: [] }), cluster: scoped, ns: 'jobs', want: true },
    { name: 'project-scoped cluster, another namespace', project: project({ destinations: [] }), cluster: scoped, ns: 'other', want: false },
    { name: 'project-scoped cluster without namespaces: all', project: project({ destinations: [] }), cluster: open, ns: 'any', want: true },
    { name: 'scoped to another project', project: project({ destinations: [] }, 'else'), cluster: scoped, ns: 'apps', want: false },
    { name: 'permitOnlyProjectScopedClusters refuses the rest', project: project({ destinations: [{ server: '*', namespace: '*' }],
      permitOnlyProjectScopedClusters: true }), cluster: dev, ns: 'x', want: false },
    { name: 'permitOnlyProjectScopedClusters allows its own', project: project({ destinations: [{ server: '*', namespace: '*' }],
      permitOnlyProjectScopedClusters: true }), cluster: scoped, ns: 'apps', want: true },
  ];
  for (const c of cases) {
    const effective = withProjectClusters(c.project, all);
    const got = isDestinationPermitted(effective.spec, { server: c.cluster.server, name: c.cluster.name, namespace: c.ns },
      projectClustersOf(c.project.metadata.name!, all));
    assert.equal(got, c.want, c.name);
  }
  assert.equal(withProjectClusters(project({ destinations: [] }, 'none'), all).spec.destinations?.length, 0, 'unchanged without scoped clusters');
});
