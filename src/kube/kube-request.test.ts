import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeApiError } from './api-error.ts';
import { buildUrl, kubeJson, kubeLines, kubeRequest, parseStatus } from './kube-request.ts';
import { connectTo, sendJson, startTestingApiServer, statusBody, testingToken } from './testing-api-server.ts';

const target = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ns', name: 'web' };

test('query parameters skip undefined values', () => {
  const cases: Array<[Record<string, string | number | boolean | undefined>, string]> = [
    [{ watch: true, limit: 5, continue: undefined }, 'https://127.0.0.1:6443/api/v1/pods?watch=true&limit=5'],
    [{ labelSelector: 'a in (b,c)' }, 'https://127.0.0.1:6443/api/v1/pods?labelSelector=a+in+%28b%2Cc%29'],
    [{}, 'https://127.0.0.1:6443/api/v1/pods'],
  ];
  for (const [query, want] of cases) assert.equal(buildUrl('https://127.0.0.1:6443', '/api/v1/pods', query).toString(), want);
});

test('error bodies: Status JSON, plain text, empty', () => {
  assert.deepEqual(parseStatus('{"kind":"Status","reason":"NotFound","message":"m"}'), { kind: 'Status', reason: 'NotFound', message: 'm' });
  assert.deepEqual(parseStatus('forbidden\n'), { message: 'forbidden' });
  assert.equal(parseStatus(''), undefined);
});

test('answers: bodies sent byte for byte, errors typed with status, reason, message and Retry-After', async () => {
  const api = await startTestingApiServer((req, res) => {
    if (req.path === '/conflict') return sendJson(res, 409, statusBody(409, 'Conflict', 'Apply failed with 1 conflict'));
    if (req.path === '/busy') return sendJson(res, 429, statusBody(429, 'TooManyRequests', 'slow down'), { 'retry-after': '3' });
    if (req.path === '/text') { res.writeHead(403); return res.end('forbidden: no'); }
    sendJson(res, 200, { echo: req.body, type: req.headers['content-type'], auth: req.headers.authorization });
  });
  const conn = api.connect();
  try {
    const body = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {k: "ü"}\n';
    const ok = await kubeJson<{ echo: string; type: string; auth: string }>(conn, {
      method: 'PATCH', path: '/echo', body, contentType: 'application/apply-patch+yaml', verb: 'apply', target });
    assert.deepEqual(ok, { echo: body, type: 'application/apply-patch+yaml', auth: `Bearer ${testingToken}` });
    const cases = [
      { path: '/conflict', want: { status: 409, reason: 'Conflict', retry: 'wait', message: 'apply apps/v1 Deployment ns/web: Apply failed with 1 conflict' } },
      { path: '/busy', want: { status: 429, reason: 'TooManyRequests', retry: 'transient', message: 'apply apps/v1 Deployment ns/web: slow down' } },
      { path: '/text', want: { status: 403, reason: '', retry: 'terminal', message: 'apply apps/v1 Deployment ns/web: forbidden: no' } },
    ];
    for (const c of cases) {
      const err = await kubeRequest(conn, { method: 'GET', path: c.path, verb: 'apply', target }).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof KubeApiError, c.path);
      assert.deepEqual({ status: err.status, reason: err.reason, retry: err.retry, message: err.message }, c.want, c.path);
      if (c.path === '/busy') assert.equal(err.retryAfterSeconds, 3);
    }
  } finally {
    conn.close();
    await api.close();
  }
});

test('a server that never answers: the request times out, transient, without the token in the error', async () => {
  const api = await startTestingApiServer(() => { /* never answers */ });
  const conn = api.connect({ timeoutMs: 300 });
  try {
    const started = Date.now();
    const err = await kubeRequest(conn, { method: 'GET', path: '/api/v1/namespaces/x', verb: 'get', target }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof KubeApiError);
    assert.deepEqual([err.status, err.reason, err.retry], [0, 'Timeout', 'transient']);
    assert.match(err.message, /^get apps\/v1 Deployment ns\/web: no complete answer within 300 ms$/);
    assert.ok(Date.now() - started < 3000);
    assert.ok(!JSON.stringify({ m: err.message, s: err.stack }).includes(testingToken));
    await sleep(50);
    assert.equal(api.openConnections(), 0, 'the timed-out socket is closed');
  } finally {
    conn.close();
    await api.close();
  }
});

test('a TLS handshake that never completes hits the connect timeout', async () => {
  const held: net.Socket[] = [];
  const server = net.createServer((s) => { held.push(s); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const conn = connectTo(`https://127.0.0.1:${(server.address() as AddressInfo).port}`, { connectTimeoutMs: 200, timeoutMs: 10_000 });
  try {
    const started = Date.now();
    const err = await kubeRequest(conn, { method: 'GET', path: '/version', verb: 'get version' }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof KubeApiError);
    assert.equal(err.reason, 'Timeout');
    assert.match(err.message, /no connection to https:\/\/127\.0\.0\.1:\d+ within 200 ms/);
    assert.ok(Date.now() - started < 3000);
  } finally {
    conn.close();
    for (const s of held) s.destroy();
    server.close();
  }
});

test('refused connections are transient ConnectionFailed errors', async () => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const conn = connectTo(`http://127.0.0.1:${port}`);
  try {
    const err = await kubeRequest(conn, { method: 'GET', path: '/version', verb: 'get version' }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof KubeApiError);
    assert.deepEqual([err.status, err.code, err.retry], [0, 'ConnectionFailed', 'transient']);
  } finally {
    conn.close();
  }
});

test('exec credentials are cached, and a 401 fetches fresh ones once', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'capstan-exec-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const counter = path.join(dir, 'count');
  writeFileSync(counter, '0');
  const plugin = path.join(dir, 'plugin.mjs');
  writeFileSync(plugin, `import fs from 'node:fs';
const n = Number(fs.readFileSync(${JSON.stringify(counter)}, 'utf8')) + 1;
fs.writeFileSync(${JSON.stringify(counter)}, String(n));
process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'exec-token-' + n } }));
`);
  const api = await startTestingApiServer((req, res) => {
    if (req.headers.authorization !== 'Bearer exec-token-2') return sendJson(res, 401, statusBody(401, 'Unauthorized', 'Unauthorized'));
    sendJson(res, 200, { ok: true });
  });
  const conn = api.connect({}, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [plugin] } });
  try {
    assert.deepEqual(await kubeJson(conn, { method: 'GET', path: '/a', verb: 'get' }), { ok: true });
    assert.deepEqual(await kubeJson(conn, { method: 'GET', path: '/b', verb: 'get' }), { ok: true });
    assert.equal(readFileSync(counter, 'utf8'), '2', 'the plugin ran once, then once more after the 401, and not for the next request');
    assert.deepEqual(api.requests.map((r) => r.headers.authorization), ['Bearer exec-token-1', 'Bearer exec-token-2', 'Bearer exec-token-2']);
  } finally {
    conn.close();
    await api.close();
  }
});

test('a failing credential plugin is a CredentialsFailed error', async () => {
  const conn = connectTo('http://127.0.0.1:1', {}, { exec: { command: process.execPath, args: ['-e', 'process.stderr.write("Bearer leaked-token"); process.exit(3)'] } });
  try {
    await assert.rejects(kubeRequest(conn, { method: 'GET', path: '/x', verb: 'get' }),
      (err: Error & { code?: string }) => err.code === 'CredentialsFailed' && !err.message.includes('leaked-token') && /user "tester"/.test(err.message));
  } finally {
    conn.close();
  }
});

test('streams: lines as they come, the deadline ends a stream, stopping early closes the socket', async () => {
  const api = await startTestingApiServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"n":1}\n{"n":');
    res.write('2}\n');
    if (req.path === '/finite') res.end('{"n":3}');
  });
  const conn = api.connect();
  try {
    const finite: string[] = [];
    for await (const line of kubeLines(conn, { method: 'GET', path: '/finite', verb: 'watch' }, 5000)) finite.push(line);
    assert.deepEqual(finite, ['{"n":1}', '{"n":2}', '{"n":3}']);

    const early: string[] = [];
    for await (const line of kubeLines(conn, { method: 'GET', path: '/endless', verb: 'watch' }, 5000)) { early.push(line); break; }
    assert.deepEqual(early, ['{"n":1}']);

    const lines: string[] = [];
    const err = await (async () => { for await (const line of kubeLines(conn, { method: 'GET', path: '/endless', verb: 'watch', target }, 300)) lines.push(line); })()
      .then(() => undefined, (e: unknown) => e);
    assert.deepEqual(lines, ['{"n":1}', '{"n":2}']);
    assert.ok(err instanceof KubeApiError && err.reason === 'Timeout' && err.retry === 'transient');
    await sleep(50);
    // The finished stream's kept-alive socket was reused by the stream stopped early; both stopped streams closed theirs.
    assert.equal(api.openConnections(), 0);
  } finally {
    conn.close();
    await api.close();
  }
});
