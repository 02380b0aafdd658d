// An embedded git server for the local platform and the tests: git's own
// smart-HTTP backend (`git http-backend`, run as a CGI per request) behind a
// Node HTTP server on loopback, serving every repository under one root
// directory at http://127.0.0.1:PORT/<name>. Optional HTTP basic auth, so
// repository credentials can be exercised for real. Read-only unless pushes
// are enabled; every accepted push is told to `onPush`.
import { spawn } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHttpServerOptions {
  /** Directory holding the repositories (bare or not) to serve. */
  readonly root: string;
  /** Require these credentials (HTTP basic auth). */
  readonly auth?: { readonly username: string; readonly password: string };
  /** Accept pushes (git receive-pack). */
  readonly allowPush?: boolean;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** Told the repository (its path under the root) after every push that git accepted. */
  readonly onPush?: (repo: string) => void;
}

export interface GitHttpServer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** Requests answered (for tests). */
  readonly requests: () => number;
  close(): Promise<void>;
}

function authorized(req: IncomingMessage, auth: GitHttpServerOptions['auth']): string | undefined | false {
  if (auth === undefined) return undefined;
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return false;
  const given = Buffer.from(Buffer.from(header.slice(6), 'base64').toString('utf8'));
  const want = Buffer.from(`${auth.username}:${auth.password}`);
  return given.length === want.length && timingSafeEqual(given, want) ? auth.username : false;
}

function serve(req: IncomingMessage, res: ServerResponse, options: GitHttpServerOptions): void {
  const user = authorized(req, options.auth);
  if (user === false) {
    res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="capstan"' }).end('authentication required\n');
    return;
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (!options.allowPush && (url.pathname.endsWith('/git-receive-pack') || url.searchParams.get('service') === 'git-receive-pack')) {
    res.writeHead(403).end('pushes are not accepted\n');
    return;
  }
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin', GIT_PROJECT_ROOT: options.root, GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: decodeURIComponent(url.pathname), QUERY_STRING: url.search.replace(/^\?/, ''), REQUEST_METHOD: req.method ?? 'GET',
    CONTENT_TYPE: req.headers['content-type'] ?? '', REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
    ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
    ...(user !== undefined ? { REMOTE_USER: user } : {}),
    ...(options.allowPush && user === undefined ? { REMOTE_USER: 'capstan' } : {}),
  };
  const cgi = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  req.pipe(cgi.stdin);
  let head = Buffer.alloc(0);
  let headersSent = false;
  cgi.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) { res.write(chunk); return; }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
      else res.setHeader(name, value);
    }
    res.statusCode = status;
    headersSent = true;
    const rest = head.subarray(end + 4);
    if (rest.length > 0) res.write(rest);
  });
  let stderr = '';
  cgi.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  cgi.on('close', (code) => {
    if (!headersSent) res.writeHead(code === 0 ? 200 : 500).end(stderr.slice(-500));
    else res.end();
    const pushed = url.pathname.match(/^\/(.+?)\/git-receive-pack$/);
    if (code === 0 && req.method === 'POST' && pushed) options.onPush?.(decodeURIComponent(pushed[1]!).replace(/\.git$/, ''));
  });
  cgi.on('error', (err) => { if (!headersSent) res.writeHead(500).end(err.message); });
}

export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  let count = 0;
  const server = createServer((req, res) => { count++; serve(req, res, options); });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => count,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
