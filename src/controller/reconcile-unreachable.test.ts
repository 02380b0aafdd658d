// One reconcile when the destination's API server stops answering after the
// cache was filled: the comparison is Unknown with a ComparisonError naming
// the cluster, nothing is reported missing or extra, and no automated sync
// (with prune) starts. Scripted API servers stand in for the destination and
// for the control plane that stores the Application; the source is a real
// git repository.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Application } from '../api/application.ts';
import { ServerSideDiffer } from '../diff/server-side-diff.ts';
import { LiveCache } from '../kube/cache/live-cache.ts';
import { KubeClient } from '../kube/kube-client.ts';
import { sendJson, startTestingApiServer, statusBody } from '../kube/testing-api-server.ts';
import { RenderCache } from '../render/render-cache.ts';
import { RepositoryStore } from '../source/repository-store.ts';
import { TestRepo } from '../../test/harness/git-repo.ts';
import { reconcileApp } from './reconcile-app.ts';

test('an unreachable cluster makes the comparison Unknown with a condition; nothing looks missing, nothing is pruned', async () => {
  let down = false;
  const held: http.ServerResponse[] = [];
  const destination = await startTestingApiServer((req, res) => {
    if (down) return sendJson(res, 503, statusBody(503, 'ServiceUnavailable', 'connection refused by the test'));
    if (req.path === '/apis') return sendJson(res, 200, { groups: [] });
    if (req.path === '/api/v1') return sendJson(res, 200, { groupVersion: 'v1', resources: [{ name: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: ['list', 'watch'] }] });
    if (req.query.get('watch') === 'true') { res.writeHead(200, { 'content-type': 'application/json' }); held.push(res); return undefined; }
    return sendJson(res, 200, { kind: 'ConfigMapList', metadata: { resourceVersion: '5' }, items: [
      { metadata: { name: 'old', namespace: 'team', resourceVersion: '5', annotations: { 'argocd.argoproj.io/tracking-id': 'shop:/ConfigMap:team/old' } } }] });
  });
  const patches: Array<{ status?: Application['status']; operation?: unknown }> = [];
  const control = await startTestingApiServer((req, res) => {
    if (req.path === '/apis') return sendJson(res, 200, { groups: [{ versions: [{ groupVersion: 'argoproj.io/v1alpha1' }] }] });
    if (req.path === '/api/v1') return sendJson(res, 200, { groupVersion: 'v1', resources: [] });
    if (req.path === '/apis/argoproj.io/v1alpha1') {
      return sendJson(res, 200, { groupVersion: 'argoproj.io/v1alpha1', resources: [{ name: 'applications', kind: 'Application', namespaced: true, verbs: ['get', 'patch'] }] });
    }
    if (req.method === 'PATCH') { patches.push(JSON.parse(req.body) as (typeof patches)[number]); return sendJson(res, 200, { metadata: { name: 'shop' } }); }
    return sendJson(res, 404, statusBody(404, 'NotFound', req.path));
  });
  const repo = new TestRepo();
  repo.commit({ 'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: new}\ndata: {a: "1"}\n' });
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'capstan-unreachable-'));
  const liveClient = new KubeClient(destination.connect({ timeoutMs: 2000 }));
  const client = new KubeClient(control.connect({ timeoutMs: 2000 }));
  let watchFailed = false;
  const live = new LiveCache(liveClient, { onError: () => { watchFailed = true; } });
  try {
    await live.ensureWatching('v1', 'ConfigMap');
    down = true;
    for (const res of held.splice(0)) res.end();
    for (let i = 0; i < 100 && !watchFailed; i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(watchFailed, 'the watch noticed');
    const app = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'shop', namespace: 'argocd', resourceVersion: '1' },
      spec: { project: 'default', source: { repoURL: repo.dir, path: 'app', targetRevision: 'HEAD' },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'team' }, syncPolicy: { automated: { prune: true, selfHeal: true } } } } as Application;
    const result = await reconcileApp(app, {
      client, live, differ: new ServerSideDiffer(async () => { throw new Error('no dry run expected'); }), controllerNamespace: 'argocd',
      waveDelayMs: 0, now: () => new Date('2026-01-01T00:00:00Z'),
      render: { repositories: new RepositoryStore({ cacheDir }), binaries: { kustomize: 'kustomize', helm: 'helm' }, cacheDir, cache: new RenderCache() },
    });
    assert.equal(patches.length, 1);
    const status = patches[0]!.status!;
    assert.equal(status.sync?.status, 'Unknown');
    assert.equal(status.health?.status, 'Unknown');
    assert.match(status.conditions?.find((c) => c.type === 'ComparisonError')?.message ?? '',
      /^cluster http:\/\/127\.0\.0\.1:\d+ is unreachable: get version: connection refused by the test$/);
    assert.equal(status.resources, undefined, 'no resource is reported missing or extra');
    assert.equal(patches[0]!.operation, undefined, 'no automated sync (and so no prune) starts');
    assert.equal(result.requeueAfterMs, undefined);
  } finally {
    live.close();
    for (const res of held) res.end();
    liveClient.close();
    client.close();
    await destination.close();
    await control.close();
    repo.remove();
    rmSync(cacheDir, { recursive: true, force: true });
  }
});
