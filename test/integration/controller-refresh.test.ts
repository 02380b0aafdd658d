// When the Application controller looks again, on a real cluster: a refresh
// annotation on three apps of one repository fetches it once and is removed
// when done; `hard` renders again where `normal` reuses cached manifests; a
// change to a live object the app tracks reconciles it (changes close together
// are gathered into one or two reconciles); and every reconciliation period,
// without any refresh, a new commit is seen with at most one fetch per period.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Application } from '../../src/api/application.ts';
import { AppHarness, cmYaml } from '../harness/app-harness.ts';

let h: AppHarness;
let periodic: AppHarness;
const periodMs = 2000;

before(async () => {
  h = await AppHarness.start('refresh');
  periodic = await AppHarness.start('period', { reconcileIntervalMs: periodMs, jitterMs: 0 });
});
after(async () => { await h.close(); await periodic.close(); });

const revisionOf = (a: Application | undefined): string | undefined => a?.status?.sync?.revision;

test('a refresh of three apps of one repository fetches it once, and each annotation is removed when done', async () => {
  const repo = h.repo({ 'a/c.yaml': cmYaml('a'), 'b/c.yaml': cmYaml('b'), 'c/c.yaml': cmYaml('c') });
  const dest = h.dest('refresh-once');
  for (const p of ['a', 'b', 'c']) await h.createApp(`once-${p}`, { repo, path: p, dest, syncPolicy: { syncOptions: ['CreateNamespace=true'] } });
  const first = repo.git('rev-parse', 'HEAD');
  for (const p of ['a', 'b', 'c']) await h.waitApp(`once-${p}`, 'compared', (a) => (revisionOf(a) === first ? a : undefined));
  const mirror = h.repositories.get(repo.dir);
  const before = mirror.fetchCount;
  const second = repo.commit({ 'a/c.yaml': cmYaml('a', { k: 'two' }) });
  await Promise.all(['a', 'b', 'c'].map((p) => h.refresh(`once-${p}`)));
  for (const p of ['a', 'b', 'c']) {
    const a = await h.waitApp(`once-${p}`, 'the new commit', (x) => (revisionOf(x) === second
      && x.metadata.annotations?.['argocd.argoproj.io/refresh'] === undefined ? x : undefined));
    assert.ok(a);
  }
  assert.equal(mirror.fetchCount - before, 1, 'one fetch for three refreshed apps');
});

test('a hard refresh renders again; a normal one reuses the cached manifests', async () => {
  const repo = h.repo({ 'app/c.yaml': cmYaml('c') });
  await h.createApp('hard', { repo, dest: h.dest('refresh-hard') });
  await h.waitApp('hard', 'compared', (a) => (revisionOf(a) ? a : undefined));
  const renders = (): number => h.cache.renders;
  const settle = (name: string) => h.waitApp(name, 'refreshed', (a) => (a.metadata.annotations?.['argocd.argoproj.io/refresh'] === undefined
    && Date.parse(a.status?.reconciledAt ?? '') > marker ? a : undefined));
  let marker = Date.now();
  const before = renders();
  await h.refresh('hard', 'normal');
  await settle('hard');
  assert.equal(renders() - before, 0, 'a normal refresh of an unchanged commit renders nothing');
  marker = Date.now();
  await h.refresh('hard', 'hard');
  await settle('hard');
  assert.equal(renders() - before, 1, 'a hard refresh renders again');
});

test('a change to a tracked live object reconciles its app; changes close together are gathered', async () => {
  const dest = h.dest('refresh-live');
  await h.createApp('live', { repo: h.repo({ 'app/c.yaml': cmYaml('watched', { n: '0' }) }), dest,
    syncPolicy: { syncOptions: ['CreateNamespace=true'] }, operation: { sync: {} } });
  await h.finished('live');
  const synced = await h.waitApp('live', 'Synced', (a) => (a.status?.sync?.status === 'Synced' ? a : undefined));
  const reconciles = new Set<string>();
  const stop = new AbortController();
  void h.client.watch('argoproj.io/v1alpha1', 'Application', {
    onSync: () => undefined,
    onEvent: (_t, o) => { const at = (o as unknown as Application).status?.reconciledAt; if (o.metadata.name === 'live' && at) reconciles.add(at); },
    onError: () => undefined,
  }, { namespace: h.ns, signal: stop.signal });
  await new Promise((r) => setTimeout(r, 300));
  reconciles.clear();
  for (let i = 1; i <= 10; i++) {
    await h.client.patch({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched', namespace: dest } }, { data: { n: String(i) } }, 'merge');
  }
  const drifted = await h.waitApp('live', 'OutOfSync from the live change alone', (a) => (a.status?.sync?.status === 'OutOfSync' ? a : undefined));
  assert.notEqual(drifted.status?.reconciledAt, synced.status?.reconciledAt);
  await new Promise((r) => setTimeout(r, 1500));
  stop.abort();
  assert.ok(reconciles.size >= 1 && reconciles.size <= 3, `ten changes gave ${reconciles.size} reconciles`);
});

test('every reconciliation period a new commit is seen without a refresh, with at most one fetch per period', { timeout: 60_000 }, async () => {
  const repo = periodic.repo({ 'a/c.yaml': cmYaml('a'), 'b/c.yaml': cmYaml('b') });
  const dest = periodic.dest('period');
  for (const p of ['a', 'b']) await periodic.createApp(`period-${p}`, { repo, path: p, dest });
  for (const p of ['a', 'b']) await periodic.waitApp(`period-${p}`, 'compared', (a) => (revisionOf(a) ? a : undefined));
  const mirror = periodic.repositories.get(repo.dir);
  const before = mirror.fetchCount;
  const t0 = Date.now();
  const next = repo.commit({ 'b/c.yaml': cmYaml('b', { k: 'two' }) });
  for (const p of ['a', 'b']) await periodic.waitApp(`period-${p}`, 'the new commit', (a) => (revisionOf(a) === next ? a : undefined), 3 * periodMs + 5000);
  const periods = Math.ceil((Date.now() - t0) / periodMs) + 1;
  const fetches = mirror.fetchCount - before;
  assert.ok(fetches >= 1 && fetches <= periods, `${fetches} fetches in ${periods} periods for two apps`);
});
