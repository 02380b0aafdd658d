// Runs a batch through compat-native, the compatibility engine built as a
// native CLI from the same sources as the WebAssembly module. The
// differential tests compare the two; nothing in production uses it.
import { spawn } from 'node:child_process';
import { CapstanError } from '../errors.ts';
import type { CompatMethod } from './compat-instance.ts';

export function runNativeBatch(nativePath: string, method: CompatMethod, requests: readonly unknown[]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    // WebAssembly has no time zone database, so its local time is UTC; the
    // native run gets the same, and nothing else from the environment.
    const child = spawn(nativePath, [], { stdio: ['pipe', 'pipe', 'pipe'], env: { TZ: 'UTC' } });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    child.on('error', (e) => reject(new CapstanError('CompatNativeFailed', `could not run ${nativePath}: ${e.message}`, { cause: e })));
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new CapstanError('CompatNativeFailed', `${nativePath} exited ${code}: ${err.trim()}`));
        return;
      }
      const response = JSON.parse(Buffer.concat(out).toString('utf8')) as { results?: unknown[]; error?: string };
      if (!Array.isArray(response.results)) {
        reject(new CapstanError('CompatNativeFailed', `${nativePath} rejected the batch: ${response.error ?? 'no results'}`));
        return;
      }
      resolve(response.results);
    });
    child.stdin.end(JSON.stringify({ method, requests }));
  });
}
