// The one place the UI talks to the API server: JSON over fetch with the
// session token (Argo CD's Bearer header; the server may also set the
// argocd.token cookie), errors turned into ApiError carrying the server's
// {error, code, message}, and a 401 reported to whoever shows the login page.
import type { ApiErrorBody } from './api-types.ts';

const tokenKey = 'capstan.token';

export class ApiError extends Error {
  readonly status: number;
  readonly code: number | undefined;
  constructor(status: number, message: string, code?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

let unauthorized: () => void = () => undefined;

/** Called on every 401 (the session is gone or was never there). */
export function onUnauthorized(handler: () => void): void { unauthorized = handler; }

export function sessionToken(): string | undefined {
  try { return sessionStorage.getItem(tokenKey) ?? undefined; } catch { return undefined; }
}

export function setSessionToken(token: string | undefined): void {
  try {
    if (token === undefined) sessionStorage.removeItem(tokenKey);
    else sessionStorage.setItem(tokenKey, token);
  } catch { /* storage refused: the server's cookie still carries the session */ }
}

export function authHeaders(): Record<string, string> {
  const token = sessionToken();
  return token === undefined ? {} : { Authorization: `Bearer ${token}` };
}

async function errorOf(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  let body: ApiErrorBody | undefined;
  try { body = JSON.parse(text) as ApiErrorBody; } catch { body = undefined; }
  const message = body?.message ?? body?.error ?? (text.trim() !== '' ? text.trim() : `${res.status} ${res.statusText}`);
  return new ApiError(res.status, message, body?.code);
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly body?: unknown;
  readonly query?: Record<string, string | undefined>;
  readonly signal?: AbortSignal;
}

export function apiUrl(path: string, query?: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, v);
  const qs = params.toString();
  return qs === '' ? path : `${path}?${qs}`;
}

/** One API call; resolves to the decoded JSON body (or undefined for an empty one). */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...authHeaders() };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(apiUrl(path, options.query), {
    method: options.method ?? 'GET', headers, credentials: 'same-origin',
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!res.ok) {
    const err = await errorOf(res);
    if (res.status === 401 && !path.startsWith('/api/v1/session')) unauthorized();
    throw err;
  }
  const text = await res.text();
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

export { errorOf as apiErrorOf };
