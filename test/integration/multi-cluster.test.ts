// Many clusters, on real API servers: the shared test cluster is the control
// plane (and in-cluster destination); a second local cluster is registered
// with an Argo CD cluster Secret holding its CA and admin client certificate.
// Apps target it by name and by server and sync there; Argo CD's
// InvalidSpecError messages for an unknown name or server, both fields, and a
// broken Secret (whose values never show); stopping the second cluster makes
// its app Unknown with a ComparisonError naming it while an in-cluster app
// keeps syncing and nothing is pruned; resuming it recovers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Application } from '../../src/api/application.ts';
import { KubeClient } from '../../src/kube/kube-client.ts';
import { startCluster, stopCluster, type ClusterHandle } from '../../src/platform/cluster.ts';
import { registerLocalCluster } from '../../src/platform/register-cluster.ts';
import { AppHarness, cmYaml, deploymentYaml } from '../harness/app-harness.ts';
import { testHome } from '../harness/cluster.ts';
import { eventually } from '../harness/eventually.ts';

const second = `mc-${process.pid}`;
const home = testHome();
let h: AppHarness;
let cluster2: ClusterHandle;
let client2: KubeClient;

const deployment = (name: string): string => deploymentYaml(name);

before(async () => {
  h = await AppHarness.start('mc', { unreachableRetryMs: 1_000, clusterConnection: { timeoutMs: 5_000, connectTimeoutMs: 2_000 } });
  cluster2 = await startCluster({ name: second, home, ownerPid: process.pid, timeoutMs: 180_000 });
  client2 = KubeClient.fromKubeconfig({ kubeconfigPath: cluster2.kubeconfig });
  await registerLocalCluster(h.client, { home, name: second, clusterName: 'dev-vcluster', server: cluster2.server, namespace: h.ns,
    labels: { env: 'dev' } });
});

after(async () => {
  await h?.close();
  client2?.close();
  await stopCluster(second, { home });
});

const automated = { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] };
const synced = (a: Application): Application | undefined =>
  (a.status?.sync?.status === 'Synced' && a.status.health?.status === 'Healthy' && a.operation === undefined ? a : undefined);
const cmData = async (client: KubeClient, ns: string, name: string): Promise<unknown> => (await client.get('v1', 'ConfigMap', ns, name))?.['data'];

test('apps target the registered cluster by name and by server, sync there and are Healthy', async () => {
  const repo = h.repo({ 'app/cm.yaml': cmYaml('settings', { where: 'dev' }), 'app/web.yaml': deployment('web') });
  const byName = h.dest('by-name');
  const byServer = h.dest('by-server');
  await h.createApp('dev-by-name', { repo, dest: byName, syncPolicy: automated, spec: { destination: { name: 'dev-vcluster', namespace: byName } } });
  await h.createApp('dev-by-server', { repo, dest: byServer, syncPolicy: automated,
    spec: { destination: { server: cluster2.server, namespace: byServer } } });
  const app = await h.waitApp('dev-by-name', 'Synced and Healthy', synced, 120_000);
  await h.waitApp('dev-by-server', 'Synced and Healthy', synced, 120_000);
  assert.deepEqual(await cmData(client2, byName, 'settings'), { where: 'dev' });
  assert.deepEqual(await cmData(client2, byServer, 'settings'), { where: 'dev' });
  assert.equal(await h.client.get('v1', 'ConfigMap', byName, 'settings'), undefined, 'nothing lands on the control cluster');
  assert.equal((await client2.get('apps/v1', 'Deployment', byName, 'web'))?.['status'] !== undefined, true);
  assert.deepEqual(app.status?.sync?.comparedTo?.destination, { name: 'dev-vcluster', namespace: byName });
  assert.equal(app.status?.resources?.find((r) => r.kind === 'Deployment')?.health?.status, 'Healthy', 'health from the second cluster\'s pods');
});

test('a destination that names no cluster, or both fields, is Argo CD\'s InvalidSpecError; a broken Secret says why without its values', async () => {
  const repo = h.repo({ 'app/cm.yaml': cmYaml('x') });
  const dest = h.dest('invalid');
  const token = 'do-not-show-this-token-4711';
  await h.client.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'broken-cluster', namespace: h.ns,
    labels: { 'argocd.argoproj.io/secret-type': 'cluster' } },
  stringData: { name: 'broken', server: 'https://broken.example.com', config: `{"bearerToken": ${token}` } }, { fieldManager: 'test' });
  const cases: Array<{ app: string; destination: Record<string, string>; want: string }> = [
    { app: 'bad-name', destination: { name: 'prod-vcluster', namespace: dest }, want: 'there are no clusters with this name: prod-vcluster' },
    { app: 'bad-server', destination: { server: 'https://prod.example.com', namespace: dest },
      want: 'error getting cluster by server "https://prod.example.com": rpc error: code = NotFound desc = cluster "https://prod.example.com" not found' },
    { app: 'both', destination: { name: 'dev-vcluster', server: cluster2.server, namespace: dest },
      want: `application destination can't have both name and server defined: dev-vcluster ${cluster2.server}` },
    { app: 'broken', destination: { name: 'broken', namespace: dest },
      want: 'there are no clusters with this name: broken (cluster secret "' + h.ns + '/broken-cluster" is invalid: config is not valid JSON' },
  ];
  for (const c of cases) await h.createApp(c.app, { repo, dest, syncPolicy: automated, spec: { destination: c.destination } });
  for (const c of cases) {
    const app = await h.waitApp(c.app, 'InvalidSpecError', (a) => (a.status?.conditions?.some((x) => x.type === 'InvalidSpecError') ? a : undefined));
    const message = app.status!.conditions!.find((x) => x.type === 'InvalidSpecError')!.message;
    assert.ok(message.startsWith(c.want), `${c.app}: ${message}`);
    assert.ok(!JSON.stringify(app.status).includes(token), 'no secret value in the status');
    assert.equal(app.status?.sync?.status, 'Unknown');
    assert.equal(app.operation, undefined, 'nothing is synced');
  }
  // Fixing the Secret makes the app valid: the registry follows the watch.
  await h.client.delete({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'broken-cluster', namespace: h.ns } });
  await h.client.patch(h.ref('bad-name'), { spec: { destination: { name: 'dev-vcluster', namespace: dest } } }, 'merge');
  await h.waitApp('bad-name', 'Synced and Healthy once it names the cluster', synced, 120_000);
  assert.deepEqual(await cmData(client2, dest, 'x'), { k: 'v' });
});

test('a stopped cluster makes its app Unknown with a condition naming it; in-cluster apps keep syncing; nothing is pruned; resuming recovers', async () => {
  const repo = h.repo({ 'app/a.yaml': cmYaml('a', { v: '1' }), 'app/b.yaml': cmYaml('b', { v: '1' }) });
  const remote = h.dest('remote');
  const local = h.dest('local');
  await h.createApp('remote', { repo, dest: remote, syncPolicy: automated, spec: { destination: { name: 'dev-vcluster', namespace: remote } } });
  await h.createApp('local', { repo, dest: local, syncPolicy: automated });
  await h.waitApp('remote', 'Synced and Healthy', synced, 120_000);
  await h.waitApp('local', 'Synced and Healthy', synced, 120_000);

  await stopCluster(second, { home, keep: true });
  const down = await h.waitApp('remote', 'Unknown with a ComparisonError', (a) => {
    const error = a.status?.conditions?.find((c) => c.type === 'ComparisonError');
    return a.status?.sync?.status === 'Unknown' && error ? { app: a, message: error.message } : undefined;
  }, 60_000);
  assert.match(down.message, /^cluster "dev-vcluster" \(https:\/\/127\.0\.0\.1:\d+\) is unreachable: /);
  assert.equal(down.app.status?.health?.status, 'Unknown');
  assert.equal(down.app.operation, undefined, 'no sync starts');

  // A commit that drops b: the in-cluster app syncs and prunes it; the unreachable one does nothing.
  const head = repo.commit({ 'app/a.yaml': cmYaml('a', { v: '2' }), 'app/b.yaml': undefined });
  await h.refresh('local');
  await h.refresh('remote');
  await h.waitApp('local', 'synced to the new commit', (a) => (synced(a) && a.status?.sync?.revision === head ? a : undefined), 60_000);
  assert.deepEqual(await cmData(h.client, local, 'a'), { v: '2' });
  assert.equal(await h.client.get('v1', 'ConfigMap', local, 'b'), undefined, 'the in-cluster app pruned b');
  const stillDown = await h.app('remote');
  assert.equal(stillDown.status?.sync?.status, 'Unknown');
  assert.ok(!(stillDown.status?.resources ?? []).some((r) => r.health?.status === 'Missing' || r.requiresPruning), 'never "all missing", no prune candidate');

  await startCluster({ name: second, home, ownerPid: process.pid, resume: true, timeoutMs: 180_000 });
  assert.deepEqual(await eventually('b still on the second cluster', async () => cmData(client2, remote, 'b').catch(() => undefined)), { v: '1' },
    'nothing was pruned while it was away');
  const back = await h.waitApp('remote', 'Synced and Healthy at the new commit', (a) => (synced(a) && a.status?.sync?.revision === head
    && !a.status.conditions?.some((c) => c.type === 'ComparisonError') ? a : undefined), 120_000);
  assert.ok(back);
  assert.deepEqual(await cmData(client2, remote, 'a'), { v: '2' });
  assert.equal(await client2.get('v1', 'ConfigMap', remote, 'b'), undefined, 'once back, the automated sync prunes as git says');
});
