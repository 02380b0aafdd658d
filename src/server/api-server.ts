// The HTTP API server on node:http: routes (routes.ts), authentication (a
// Bearer token or the `argocd.token` cookie, verified by the session
// manager), Argo CD-shaped JSON errors (http/api-errors.ts, the one place
// errors become responses), limits (1 MiB bodies, 30 s to receive a
// request, 60 s per handler, streams exempt), the UI's static files, and a
// graceful close that ends streams and waits briefly for requests in flight.
// A cookie-authenticated request that changes state must come from the
// server's own origin, so another site cannot drive a logged-in browser.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setMaxListeners } from 'node:events';
import { describeError } from '../errors.ts';
import { ApiContext, type ServerDeps } from './api-context.ts';
import { tokenCookie } from './handlers/session.ts';
import { ApiError, errorResponse } from './http/api-errors.ts';
import { RawJson } from './http/raw-json.ts';
import { parseCookies } from './http/request-body.ts';
import { serveStatic } from './http/static-files.ts';
import type { Claims } from './rbac/claims-enforcer.ts';
import { buildRoutes, type Route } from './routes.ts';
import type { Router } from './http/router.ts';

export interface ApiServerOptions {
  /** The UI build's directory (index.html and assets); a plain page is served when it has none. */
  readonly uiDir?: string;
  /** Time limit of one (non-stream) request, ms. @default 60000 */
  readonly handlerTimeoutMs?: number;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) { res.end(); return; }
  const text = body instanceof RawJson ? body.text : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}

function tokenOf(req: IncomingMessage): { token?: string; fromCookie: boolean } {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    return m ? { token: m[1]!, fromCookie: false } : { fromCookie: false };
  }
  const cookie = parseCookies(req.headers.cookie).get(tokenCookie);
  return cookie ? { token: cookie, fromCookie: true } : { fromCookie: false };
}

function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try { return new URL(origin).host === req.headers.host; } catch { return false; }
}

export class ApiServer {
  readonly server: Server;
  private readonly routes: Router<Route>;
  private readonly stop = new AbortController();

  constructor(readonly deps: ServerDeps, private readonly options: ApiServerOptions = {}) {
    this.routes = buildRoutes();
    setMaxListeners(0, this.stop.signal);
    this.server = createServer({ requestTimeout: 30_000, headersTimeout: 15_000, keepAliveTimeout: 5_000 }, (req, res) => {
      void this.handle(req, res);
    });
    this.server.maxHeadersCount = 100;
  }

  listen(port: number, host = '127.0.0.1'): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.url);
      });
    });
  }

  get url(): string {
    const a = this.server.address() as AddressInfo;
    return `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
  }

  /** Stops accepting, ends streams, and waits up to `graceMs` for requests in flight. */
  async close(graceMs = 5_000): Promise<void> {
    this.stop.abort();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const timer = setTimeout(() => this.server.closeAllConnections(), graceMs);
    await closed;
    clearTimeout(timer);
  }

  private authenticate(req: IncomingMessage, route: Route): { claims?: Claims; fromCookie: boolean } {
    const { token, fromCookie } = tokenOf(req);
    const settings = this.deps.settings.current();
    if (token === undefined) {
      if (route.access === 'public' || (route.access === 'read' && settings.auth.anonymousEnabled)) return { fromCookie };
      throw new ApiError('Unauthenticated', 'no session information');
    }
    try {
      return { claims: this.deps.sessions.authenticate(token), fromCookie };
    } catch (err) {
      // A stale cookie does not stop a public page, nor an anonymous read when anonymous access is on.
      if (route.access === 'public' || (fromCookie && route.access === 'read' && settings.auth.anonymousEnabled)) return { fromCookie };
      throw err;
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    if (!url.pathname.startsWith('/api/')) {
      if (method === 'GET' || method === 'HEAD') { serveStatic(this.options.uiDir, req, res, url.pathname); return; }
      sendJson(res, 404, errorResponse(new ApiError('NotFound', 'Not Found')).body);
      return;
    }
    const match = this.routes.match(method, url.pathname);
    if (match === undefined || match === 'method') {
      const err = match === 'method' ? new ApiError('Unimplemented', 'Method Not Allowed', 405) : new ApiError('NotFound', 'Not Found');
      const r = errorResponse(err);
      sendJson(res, r.status, r.body);
      return;
    }
    const abort = new AbortController();
    const onStop = (): void => abort.abort();
    this.stop.signal.addEventListener('abort', onStop, { once: true });
    res.on('close', () => { abort.abort(); this.stop.signal.removeEventListener('abort', onStop); });
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const { claims, fromCookie } = this.authenticate(req, match.handler);
      if (fromCookie && claims !== undefined && method !== 'GET' && method !== 'HEAD' && !sameOrigin(req)) {
        throw new ApiError('PermissionDenied', 'cross-origin requests with the session cookie are refused');
      }
      const ctx = new ApiContext(this.deps, req, res, url, match.params, claims, this.deps.settings.current(), abort.signal);
      const work = Promise.resolve(match.handler.handle(ctx));
      const result = match.handler.stream ? await work : await Promise.race([work, new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ApiError('DeadlineExceeded', `the request took longer than ${(this.options.handlerTimeoutMs ?? 60_000) / 1000} s`)),
          this.options.handlerTimeoutMs ?? 60_000);
      })]);
      if (result !== undefined) sendJson(res, 200, result);
    } catch (err) {
      const r = errorResponse(err);
      if (r.status >= 500) this.deps.log(`${method} ${url.pathname}: ${describeError(err)}`);
      sendJson(res, r.status, r.body);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
}
