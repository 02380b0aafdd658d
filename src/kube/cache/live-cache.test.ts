import { test } from 'node:test';
import assert from 'node:assert/strict';
import type http from 'node:http';
import { KubeClient } from '../kube-client.ts';
import { sendJson, startTestingApiServer, statusBody } from '../testing-api-server.ts';
import { LiveCache } from './live-cache.ts';

test('a failed watch makes the cache check the server; an unreachable one is reported, a recovered one clears', async () => {
  let down = false;
  const held: http.ServerResponse[] = [];
  const server = await startTestingApiServer((req, res) => {
    if (down) return sendJson(res, 503, statusBody(503, 'ServiceUnavailable', 'the server is shutting down'));
    if (req.path === '/apis') return sendJson(res, 200, { groups: [] });
    if (req.path === '/api/v1') return sendJson(res, 200, { groupVersion: 'v1', resources: [{ name: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: ['list', 'watch'] }] });
    if (req.path === '/version') return sendJson(res, 200, { gitVersion: 'v1.36.3' });
    if (req.query.get('watch') === 'true') { res.writeHead(200, { 'content-type': 'application/json' }); held.push(res); return undefined; }
    return sendJson(res, 200, { kind: 'ConfigMapList', metadata: { resourceVersion: '5' },
      items: [{ metadata: { name: 'a', namespace: 'team', resourceVersion: '5', annotations: { 'argocd.argoproj.io/tracking-id': 'shop:/ConfigMap:team/a' } } }] });
  });
  const client = new KubeClient(server.connect({ timeoutMs: 2000 }));
  const errors: string[] = [];
  const cache = new LiveCache(client, { onError: (gk) => errors.push(gk) });
  try {
    await cache.ensureWatching('v1', 'ConfigMap');
    assert.deepEqual(cache.managedBy('shop').map((o) => o.metadata.name), ['a']);
    assert.equal(await cache.unreachable(), undefined);
    assert.equal(server.requests.filter((r) => r.path === '/version').length, 0, 'no request while every watch is healthy');

    down = true;
    for (const res of held.splice(0)) res.end();
    for (let i = 0; i < 100 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(errors.slice(0, 1), ['/ConfigMap'], 'the watch failure is reported');
    assert.match(await cache.unreachable() ?? '', /^cluster http:\/\/127\.0\.0\.1:\d+ is unreachable: get version: the server is shutting down$/);
    assert.deepEqual(cache.managedBy('shop').map((o) => o.metadata.name), ['a'], 'the cache keeps what it had (nothing looks deleted)');

    down = false;
    assert.equal(await cache.unreachable(), undefined, 'the server answers again');
  } finally {
    cache.close();
    for (const res of held) res.end();
    client.close();
    await server.close();
  }
});

test('excluded kinds are never listed or watched', async () => {
  const server = await startTestingApiServer((req, res) => sendJson(res, 404, statusBody(404, 'NotFound', req.path)));
  const client = new KubeClient(server.connect({ timeoutMs: 2000 }));
  const cache = new LiveCache(client, { isExcluded: (apiVersion, kind) => apiVersion === 'coordination.k8s.io/v1' && kind === 'Lease' });
  try {
    await cache.ensureWatching('coordination.k8s.io/v1', 'Lease');
    assert.equal(cache.isWatching('coordination.k8s.io/v1', 'Lease'), false);
    assert.equal(server.requests.length, 0);
  } finally {
    cache.close();
    client.close();
    await server.close();
  }
});
