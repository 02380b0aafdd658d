// One HTTP request to the API server: bounded by a timeout, bodies sent as
// given, errors turned into KubeApiError naming what was being done. Also the
// streaming form used by watches (newline-delimited JSON events).
import https from 'node:https';
import { KubeApiError, type KubeStatusBody } from './api-error.ts';
import type { KubeConnection } from './connection.ts';

export type Query = Record<string, string | number | boolean | undefined>;

export interface KubeRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly query?: Query;
  readonly body?: string;
  readonly contentType?: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** What this request does, for error messages ("apply apps/v1 Deployment ns/web"). */
  readonly what: string;
}

export function buildUrl(server: string, path: string, query: Query = {}): URL {
  const url = new URL(server + path);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
  return url;
}

function parseStatus(text: string): KubeStatusBody | undefined {
  try {
    const parsed = JSON.parse(text) as KubeStatusBody;
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return text.trim() === '' ? undefined : { message: text.trim().slice(0, 500) };
  }
}

async function open(conn: KubeConnection, req: KubeRequest): Promise<{ request: import('node:http').ClientRequest; response: Promise<import('node:http').IncomingMessage> }> {
  const base = await conn.requestOptions();
  const headers: Record<string, string> = { ...(base.headers as Record<string, string>), accept: 'application/json' };
  if (req.body !== undefined) {
    headers['content-type'] = req.contentType ?? 'application/json';
    headers['content-length'] = String(Buffer.byteLength(req.body));
  }
  const url = buildUrl(conn.server, req.path, req.query);
  const request = https.request(url, { ...base, method: req.method, headers, ...(req.signal ? { signal: req.signal } : {}) });
  const response = new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    request.on('response', resolve);
    request.on('error', (err) => reject(req.signal?.aborted ? err : new KubeApiError(req.what, 0, { message: err.message }, err)));
  });
  if (req.body !== undefined) request.write(req.body);
  request.end();
  return { request, response };
}

/** Sends a request and returns the response body; non-2xx answers throw KubeApiError. */
export async function kubeRequest(conn: KubeConnection, req: KubeRequest): Promise<string> {
  const { request, response } = await open(conn, req);
  const timeoutMs = req.timeoutMs ?? conn.timeoutMs;
  const timer = setTimeout(() => request.destroy(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  try {
    const res = await response;
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) throw new KubeApiError(req.what, status, parseStatus(text));
    return text;
  } catch (err) {
    if (err instanceof KubeApiError) throw err;
    throw new KubeApiError(req.what, 0, { message: (err as Error).message }, err);
  } finally {
    clearTimeout(timer);
  }
}

export async function kubeJson<T>(conn: KubeConnection, req: KubeRequest): Promise<T> {
  return JSON.parse(await kubeRequest(conn, req)) as T;
}

/**
 * Streams newline-delimited JSON from a long request (a watch), calling
 * `onLine` per line; resolves when the server closes the stream, rejects on
 * errors; abort with `req.signal`.
 */
export async function kubeStream(conn: KubeConnection, req: KubeRequest, onLine: (line: string) => void): Promise<void> {
  const { response } = await open(conn, req);
  const res = await response;
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) {
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    throw new KubeApiError(req.what, status, parseStatus(Buffer.concat(chunks).toString('utf8')));
  }
  let buffered = '';
  for await (const chunk of res) {
    buffered += (chunk as Buffer).toString('utf8');
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line !== '') onLine(line);
      nl = buffered.indexOf('\n');
    }
  }
  if (buffered.trim() !== '') onLine(buffered.trim());
}
