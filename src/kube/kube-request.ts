// One HTTP request to the API server, and the streaming form used by
// watches. Bodies are sent exactly as given. Nothing hangs: a new connection
// must finish its TCP+TLS handshake within `connectTimeoutMs`, a request must
// be answered in full within `timeoutMs`, and a stream ends by its deadline.
// Failures become KubeApiError naming the verb and object. A 401 drops the
// cached credentials and retries once (rotated or expired tokens); a reset on
// a reused keep-alive socket (the server closed it while idle) retries once.
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { CapstanError } from '../errors.ts';
import { KubeApiError, type KubeStatusBody } from './api-error.ts';
import type { KubeConnection } from './connection.ts';
import { LineSplitter } from './line-splitter.ts';
import type { KubeTarget } from './resource-path.ts';

export type Query = Record<string, string | number | boolean | undefined>;

export interface KubeRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly query?: Query;
  readonly body?: string;
  readonly contentType?: string;
  /** Overrides the connection's per-request limit; for streams, the limit until the response headers. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** For error messages: "apply" + "apps/v1 Deployment ns/web". */
  readonly verb: string;
  readonly target?: KubeTarget;
}

export function buildUrl(server: string, path: string, query: Query = {}): URL {
  const url = new URL(server + path);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
  return url;
}

/** The Status of an error answer; plain text answers become its message. */
export function parseStatus(text: string): KubeStatusBody | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as KubeStatusBody;
  } catch { /* not JSON */ }
  return text.trim() === '' ? undefined : { message: text.trim().slice(0, 500) };
}

function retryAfter(res: http.IncomingMessage): number | undefined {
  const seconds = Number(res.headers['retry-after']);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

const resetCodes = new Set(['ECONNRESET', 'EPIPE']);

/** One request in flight: its response, and how it failed if it did. */
interface Exchange {
  readonly request: http.ClientRequest;
  readonly response: Promise<http.IncomingMessage>;
  /** Destroys the request with a timeout of the given kind. */
  expire(what: string): void;
  /** The error to report for a failure of this exchange. */
  failure(err: unknown): unknown;
  dispose(): void;
}

async function start(conn: KubeConnection, req: KubeRequest): Promise<Exchange> {
  conn.requestCount++;
  const verb = `${req.verb}${req.path.endsWith('/status') ? ' status' : ''}${req.query?.['dryRun'] !== undefined ? ' (dry run)' : ''}`
    + (req.target !== undefined ? ` ${req.target.kind}` : '');
  conn.requestsByVerb.set(verb, (conn.requestsByVerb.get(verb) ?? 0) + 1);
  const auth = await conn.requestOptions();
  const headers: Record<string, string> = { ...auth.headers, accept: 'application/json', 'user-agent': 'capstan' };
  if (req.body !== undefined) {
    headers['content-type'] = req.contentType ?? 'application/json';
    headers['content-length'] = String(Buffer.byteLength(req.body));
  }
  const options: https.RequestOptions = {
    ...auth.tls, agent: auth.agent, method: req.method, headers,
    ...(auth.auth !== undefined ? { auth: auth.auth } : {}), ...(req.signal ? { signal: req.signal } : {}),
  };
  const url = buildUrl(conn.server, req.path, req.query);
  const request = conn.plainHttp ? http.request(url, options) : https.request(url, options);
  let expired: string | undefined;
  let connectTimer: NodeJS.Timeout | undefined;
  const fail = (status: number, reason: string, message: string, cause?: unknown): KubeApiError =>
    new KubeApiError({ verb: req.verb, ...(req.target ? { target: req.target } : {}), status, body: { reason, message }, cause });
  const exchange: Exchange = {
    request,
    response: new Promise((resolve, reject) => {
      request.once('response', resolve);
      request.on('error', reject);
    }),
    expire(what) {
      expired = what;
      request.destroy(new Error(what));
    },
    failure(err) {
      if (req.signal?.aborted) return err;
      if (err instanceof CapstanError) return err;
      if (expired !== undefined) return fail(0, 'Timeout', expired, err);
      return fail(0, 'ConnectionFailed', (err as Error).message ?? String(err), err);
    },
    dispose() {
      clearTimeout(connectTimer);
    },
  };
  request.once('socket', (socket: Socket) => {
    if (!socket.connecting) return; // a kept-alive connection
    connectTimer = setTimeout(() => exchange.expire(`no connection to ${conn.server} within ${conn.connectTimeoutMs} ms`), conn.connectTimeoutMs);
    socket.once(conn.plainHttp ? 'connect' : 'secureConnect', () => clearTimeout(connectTimer));
  });
  if (req.body !== undefined) request.write(req.body);
  request.end();
  return exchange;
}

async function readBody(res: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function httpError(req: KubeRequest, res: http.IncomingMessage, text: string): KubeApiError {
  const ra = retryAfter(res);
  return new KubeApiError({
    verb: req.verb, ...(req.target ? { target: req.target } : {}), status: res.statusCode ?? 0, body: parseStatus(text),
    ...(ra !== undefined ? { retryAfterSeconds: ra } : {}),
  });
}

/** Whether a failed attempt may be sent again once. */
function retriable(req: KubeRequest, exchange: Exchange | undefined, err: unknown, attempt: number): 'credentials' | 'resend' | undefined {
  if (attempt > 0 || req.signal?.aborted) return undefined;
  if (err instanceof KubeApiError && err.status === 401) return 'credentials';
  const code = ((err as KubeApiError).cause as NodeJS.ErrnoException | undefined)?.code;
  // Resending after a reset is safe unless it was a POST the server may have taken.
  if (exchange?.request.reusedSocket && code !== undefined && resetCodes.has(code) && req.method !== 'POST') return 'resend';
  return undefined;
}

async function sendOnce(conn: KubeConnection, req: KubeRequest): Promise<{ text: string; exchange: Exchange | undefined; error?: unknown }> {
  let exchange: Exchange | undefined;
  const timeoutMs = req.timeoutMs ?? conn.timeoutMs;
  const timer = setTimeout(() => exchange?.expire(`no complete answer within ${timeoutMs} ms`), timeoutMs);
  try {
    exchange = await start(conn, req);
    const res = await exchange.response;
    const text = await readBody(res);
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) return { text, exchange, error: httpError(req, res, text) };
    return { text, exchange };
  } catch (err) {
    return { text: '', exchange, error: exchange ? exchange.failure(err) : err };
  } finally {
    clearTimeout(timer);
    exchange?.dispose();
  }
}

/** Sends a request and returns the response body; non-2xx answers throw KubeApiError. */
export async function kubeRequest(conn: KubeConnection, req: KubeRequest): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const { text, exchange, error } = await sendOnce(conn, req);
    if (error === undefined) return text;
    const again = retriable(req, exchange, error, attempt);
    if (again === undefined) throw error;
    if (again === 'credentials') conn.invalidateCredentials();
  }
}

export async function kubeJson<T>(conn: KubeConnection, req: KubeRequest): Promise<T> {
  const text = await kubeRequest(conn, req);
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new KubeApiError({ verb: req.verb, ...(req.target ? { target: req.target } : {}), status: 0,
      body: { reason: 'InvalidResponse', message: `the answer is not JSON: ${text.slice(0, 120)}` }, cause: err });
  }
}

/**
 * Streams newline-delimited JSON (a watch): yields each line until the server
 * ends the stream. The request ends with the iteration — normally, by
 * `req.signal`, by `deadlineMs`, or when the consumer stops early — so no
 * socket outlives it. Error answers throw KubeApiError before the first line.
 */
export async function* kubeLines(conn: KubeConnection, req: KubeRequest, deadlineMs: number): AsyncGenerator<string> {
  let exchange: Exchange | undefined;
  let res: http.IncomingMessage | undefined;
  for (let attempt = 0; res === undefined; attempt++) {
    const headerTimeoutMs = req.timeoutMs ?? conn.timeoutMs;
    const timer = setTimeout(() => exchange?.expire(`no answer within ${headerTimeoutMs} ms`), headerTimeoutMs);
    let error: unknown;
    try {
      exchange = await start(conn, req);
      const answer = await exchange.response;
      const status = answer.statusCode ?? 0;
      if (status >= 200 && status < 300) res = answer;
      else error = httpError(req, answer, await readBody(answer));
    } catch (err) {
      error = exchange ? exchange.failure(err) : err;
    } finally {
      clearTimeout(timer);
    }
    if (error === undefined) break;
    exchange?.dispose();
    const again = retriable(req, exchange, error, attempt);
    if (again === undefined) throw error;
    if (again === 'credentials') conn.invalidateCredentials();
  }
  const current = exchange!;
  const deadline = setTimeout(() => current.expire(`stream open longer than ${deadlineMs} ms`), deadlineMs);
  const splitter = new LineSplitter();
  let complete = false;
  try {
    for await (const chunk of res!) {
      for (const line of splitter.push(chunk as Buffer)) yield line;
    }
    const last = splitter.flush();
    if (last !== undefined) yield last;
    complete = true;
  } catch (err) {
    throw current.failure(err);
  } finally {
    clearTimeout(deadline);
    current.dispose();
    // Stopped early (consumer break, error): close the connection rather than drain it.
    if (!complete) current.request.destroy();
  }
}
