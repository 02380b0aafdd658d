// A minimal HTTPS request with the local cluster's admin client certificate,
// for the launcher's own readiness probes and bootstrap objects (fake nodes)
// before any engine client exists.
import https from 'node:https';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClusterPki } from './pki.ts';

export interface AdminResponse {
  readonly status: number;
  readonly body: string;
}

export interface AdminRequest {
  readonly url: string;
  readonly method?: string;
  readonly body?: string;
  readonly contentType?: string;
  readonly pki?: ClusterPki;
  readonly timeoutMs?: number;
}

export function adminRequest(req: AdminRequest): Promise<AdminResponse> {
  const url = new URL(req.url);
  const tls = req.pki === undefined ? {} : {
    ca: readFileSync(req.pki.caCert), cert: readFileSync(req.pki.adminCert), key: readFileSync(req.pki.adminKey),
  };
  const headers: Record<string, string> = { accept: 'application/json' };
  if (req.body !== undefined) headers['content-type'] = req.contentType ?? 'application/json';
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const r = lib.request(url, { method: req.method ?? 'GET', headers, ...tls, timeout: req.timeoutMs ?? 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.on('timeout', () => r.destroy(new Error(`request to ${url.pathname} timed out`)));
    r.on('error', reject);
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

export interface WaitOptions {
  readonly timeoutMs: number;
  /** Called between attempts; throwing aborts the wait (e.g. the process died). */
  readonly check?: () => void;
  readonly accept?: (res: AdminResponse) => boolean;
}

/** Polls `req` until it answers 200 (or `accept` says yes); the last failure is in the error. */
export async function waitForEndpoint(req: AdminRequest, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const accept = options.accept ?? ((res: AdminResponse) => res.status === 200);
  let last = 'no answer';
  for (;;) {
    options.check?.();
    try {
      const res = await adminRequest({ ...req, timeoutMs: 2_000 });
      if (accept(res)) return;
      last = `HTTP ${res.status}: ${res.body.slice(0, 300)}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) throw new Error(`${req.url} not ready after ${options.timeoutMs} ms (last: ${last})`);
    await sleep(100);
  }
}
