// Test support for the kube client's unit tests: a scripted plain-HTTP
// server on 127.0.0.1 standing in for an API server, a kubeconfig that points
// at it (plain HTTP is allowed by kubeconfig only with
// insecure-skip-tls-verify), and a count of its open connections so tests can
// prove no socket outlives a request or a watch. Not used by the engine.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeConnection, type ConnectionOptions } from './connection.ts';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export type FakeHandler = (req: SeenRequest, res: http.ServerResponse) => void;

export interface TestingApiServer {
  readonly url: string;
  readonly requests: SeenRequest[];
  /** Connections currently open. */
  openConnections(): number;
  /** A connection through `user` (default: a static bearer token). */
  connect(options?: ConnectionOptions, user?: Record<string, unknown>): KubeConnection;
  close(): Promise<void>;
}

export const testingToken = 'secret-test-token-0123456789';

export async function startTestingApiServer(handler: FakeHandler): Promise<TestingApiServer> {
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const seen = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(seen);
      handler(seen, res);
    });
  });
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, requests,
    openConnections: () => sockets.size,
    connect: (options = {}, user = { token: testingToken }) => connectTo(url, options, user),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A connection to `url` (TLS not verified) through `user` (default: a static bearer token). */
export function connectTo(url: string, options: ConnectionOptions = {}, user: Record<string, unknown> = { token: testingToken }): KubeConnection {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'fake', server: url, skipTLSVerify: true }],
    users: [{ name: 'tester', ...user }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'tester', namespace: 'team' }],
    currentContext: 'fake',
  });
  return KubeConnection.fromConfig(config, options);
}

/** Answers with a JSON body. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** A metav1.Status error body. */
export function statusBody(code: number, reason: string, message: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message };
}
