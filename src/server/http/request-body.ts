// Reading a request: the JSON body, refused past a size limit (413) or when
// it is not JSON (400); cookies; query values (repeated keys are lists, as
// grpc-gateway reads `?projects=a&projects=b`) and booleans as Go parses them.
import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-errors.ts';

export const defaultMaxBodyBytes = 1 << 20;

/** The raw body, refused (413) past `maxBytes`. */
export async function readRawBody(req: IncomingMessage, maxBytes = defaultMaxBodyBytes): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > maxBytes) throw new ApiError('ResourceExhausted', `request body is larger than ${maxBytes} bytes`, 413);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      req.resume();
      throw new ApiError('ResourceExhausted', `request body is larger than ${maxBytes} bytes`, 413);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function readJsonBody(req: IncomingMessage, maxBytes = defaultMaxBodyBytes): Promise<unknown> {
  return parseJsonBody(await readRawBody(req, maxBytes));
}

export function parseJsonBody(body: Buffer): unknown {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ApiError('InvalidArgument', `request body is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    try { out.set(name, decodeURIComponent(raw)); } catch { out.set(name, raw); }
  }
  return out;
}

/** Go's strconv.ParseBool, for query parameters; undefined when absent, 400 when not a boolean. */
export function queryBool(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(raw)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(raw)) return false;
  throw new ApiError('InvalidArgument', `query parameter ${name}: invalid boolean "${raw}"`);
}

/** Every value of a repeated query parameter (also comma-separated ones). */
export function queryList(query: URLSearchParams, name: string): string[] {
  return query.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}
