import { test } from 'node:test';
import assert from 'node:assert/strict';
import type http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject } from '../api/kube-object.ts';
import type { ApiResource } from './api-discovery.ts';
import { watchResource, type WatchHandlers } from './resource-watch.ts';
import { sendJson, startTestingApiServer, statusBody, type SeenRequest } from './testing-api-server.ts';

const configMaps: ApiResource = { apiVersion: 'v1', kind: 'ConfigMap', resource: 'configmaps', namespaced: true, verbs: ['list', 'watch'] };
const cm = (name: string, rv: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'team', resourceVersion: rv } });

type Step = (req: SeenRequest, res: http.ServerResponse) => void;

/** A server that answers the n-th LIST and the n-th WATCH with the scripted steps (the last one repeats). */
async function scripted(lists: Step[], watches: Step[]) {
  let l = 0;
  let w = 0;
  return startTestingApiServer((req, res) => {
    if (req.query.get('watch') === 'true') watches[Math.min(w++, watches.length - 1)]!(req, res);
    else lists[Math.min(l++, lists.length - 1)]!(req, res);
  });
}

const events = (res: http.ServerResponse, ...lines: unknown[]): void => {
  if (!res.headersSent) res.writeHead(200, { 'content-type': 'application/json' });
  for (const line of lines) res.write(`${JSON.stringify(line)}\n`);
};
const hold: Step = (_req, res) => events(res);

function recorder(log: string[], extra: Partial<WatchHandlers> = {}): WatchHandlers {
  return {
    onSync: (objects, rv, reason) => { log.push(`sync:${reason}:${rv}:${objects.map((o) => o.metadata.name).join(',')}`); },
    onEvent: (type, obj) => { log.push(`${type}:${obj.metadata.name}@${obj.metadata.resourceVersion}`); },
    onBookmark: (rv) => { log.push(`bookmark:${rv}`); },
    onError: (err) => { log.push(`error:${(err as { code?: string }).code}`); },
    ...extra,
  };
}

async function until(what: string, probe: () => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) { if (probe()) return; await sleep(10); }
  throw new Error(`timed out waiting for ${what}`);
}

const watchVersions = (reqs: SeenRequest[]) => reqs.filter((r) => r.query.get('watch') === 'true').map((r) => r.query.get('resourceVersion'));

test('lists page by page, watches with bookmarks, resumes after a drop from the last version, relists on a 410 event', async () => {
  const api = await scripted([
    (_req, res) => sendJson(res, 200, { metadata: { resourceVersion: '10', continue: 'p2' }, items: [cm('a', '8')] }),
    (_req, res) => sendJson(res, 200, { metadata: { resourceVersion: '10' }, items: [cm('b', '9')] }),
    (_req, res) => sendJson(res, 200, { metadata: { resourceVersion: '50' }, items: [cm('a', '49')] }),
  ], [
    (_req, res) => { events(res, { type: 'ADDED', object: cm('c', '11') }, { type: 'BOOKMARK', object: { metadata: { resourceVersion: '15' } } }); setTimeout(() => res.destroy(), 30); },
    (_req, res) => { events(res, { type: 'ERROR', object: statusBody(410, 'Expired', 'too old resource version: 15 (40)') }); res.end(); },
    (_req, res) => events(res, { type: 'MODIFIED', object: cm('a', '51') }),
  ]);
  const conn = api.connect();
  const log: string[] = [];
  const stop = new AbortController();
  try {
    const done = watchResource(conn, configMaps, recorder(log), { namespace: 'team', pageSize: 1, signal: stop.signal, initialBackoffMs: 10 });
    await until('the event after the relist', () => log.includes('MODIFIED:a@51'));
    stop.abort();
    await done;
    assert.deepEqual(log, ['sync:initial:10:a,b', 'ADDED:c@11', 'bookmark:15', 'error:ConnectionFailed', 'sync:resync:50:a', 'MODIFIED:a@51']);
    assert.deepEqual(watchVersions(api.requests), ['10', '15', '50']);
    const watch = api.requests.find((r) => r.query.get('watch') === 'true')!;
    assert.equal(watch.path, '/api/v1/namespaces/team/configmaps');
    assert.equal(watch.query.get('allowWatchBookmarks'), 'true');
    const lists = api.requests.filter((r) => r.query.get('watch') === null);
    assert.deepEqual(lists.map((r) => [r.query.get('limit'), r.query.get('continue')]), [['1', null], ['1', 'p2'], ['1', null]]);
    conn.close();
    await sleep(50);
    assert.equal(api.openConnections(), 0, 'no socket outlives the watch');
  } finally {
    stop.abort();
    conn.close();
    await api.close();
  }
});

test('an HTTP 410 from a given start version relists as a resync', async () => {
  const api = await scripted([(_req, res) => sendJson(res, 200, { metadata: { resourceVersion: '7' }, items: [cm('x', '6')] })], [
    (_req, res) => sendJson(res, 410, statusBody(410, 'Gone', 'too old')),
    hold,
  ]);
  const conn = api.connect();
  const log: string[] = [];
  const stop = new AbortController();
  try {
    const done = watchResource(conn, configMaps, recorder(log), { namespace: 'team', resourceVersion: '1', signal: stop.signal });
    await until('two watches', () => watchVersions(api.requests).length === 2);
    stop.abort();
    await done;
    assert.deepEqual(log, ['sync:resync:7:x']);
    assert.deepEqual(watchVersions(api.requests), ['1', '7']);
  } finally {
    conn.close();
    await api.close();
  }
});

test('server errors are reported and retried with backoff; a failing handler sees its event again', async () => {
  let thrown = false;
  const api = await scripted([(_req, res) => sendJson(res, 200, { metadata: { resourceVersion: '3' }, items: [] })], [
    (_req, res) => sendJson(res, 500, statusBody(500, 'InternalError', 'etcd is sad')),
    (_req, res) => { events(res, { type: 'ERROR', object: statusBody(500, 'InternalError', 'still sad') }); res.end(); },
    (_req, res) => events(res, { type: 'ADDED', object: cm('n', '4') }),
  ]);
  const conn = api.connect();
  const log: string[] = [];
  const stop = new AbortController();
  try {
    const started = Date.now();
    const done = watchResource(conn, configMaps, recorder(log, {
      onEvent: (type, obj) => {
        if (!thrown) { thrown = true; throw new Error('handler failed'); }
        log.push(`${type}:${obj.metadata.name}@${obj.metadata.resourceVersion}`);
      },
      onError: (err) => { log.push(`error:${(err as { code?: string }).code ?? (err as Error).message}`); },
    }), { namespace: 'team', signal: stop.signal, initialBackoffMs: 40 });
    await until('the event', () => log.includes('ADDED:n@4'));
    stop.abort();
    await done;
    assert.deepEqual(log, ['sync:initial:3:', 'error:InternalError', 'error:InternalError', 'error:handler failed', 'ADDED:n@4']);
    assert.deepEqual(watchVersions(api.requests), ['3', '3', '3', '3'], 'every retry resumes from the last delivered version');
    assert.ok(Date.now() - started >= 40 + 80 + 160, 'backoff doubles between failures');
  } finally {
    conn.close();
    await api.close();
  }
});

test('aborting stops a watch that waits on a silent server, and its socket closes', async () => {
  const api = await scripted([(_req, res) => sendJson(res, 200, { metadata: { resourceVersion: '1' }, items: [] })], [hold]);
  const conn = api.connect();
  const stop = new AbortController();
  try {
    const done = watchResource(conn, configMaps, recorder([]), { signal: stop.signal });
    await until('the watch request', () => watchVersions(api.requests).length === 1);
    assert.equal(api.requests.at(-1)!.path, '/api/v1/configmaps', 'no namespace: all namespaces');
    stop.abort();
    await done;
    conn.close();
    await sleep(50);
    assert.equal(api.openConnections(), 0);
  } finally {
    conn.close();
    await api.close();
  }
});
