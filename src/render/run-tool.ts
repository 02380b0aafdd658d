// Running a render tool (kustomize, helm, node for cdk8s): bounded in time and
// output, its stderr trimmed into the error when it fails.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { CapstanError } from '../errors.ts';

export interface ToolRun {
  readonly cwd?: string;
  readonly timeoutMs?: number;
  readonly env?: Record<string, string>;
}

export function runTool(binary: string, args: readonly string[], options: ToolRun = {}): Promise<string> {
  const tool = path.basename(binary);
  const timeoutMs = options.timeoutMs ?? 90_000;
  return new Promise((resolve, reject) => {
    execFile(binary, [...args], { cwd: options.cwd, timeout: timeoutMs, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8',
      env: { ...process.env as Record<string, string>, ...options.env } }, (err, stdout, stderr) => {
      if (err === null) { resolve(stdout); return; }
      if ((err as { killed?: boolean }).killed) {
        reject(new CapstanError('RenderTimeout', `${tool} did not finish within ${timeoutMs} ms`, { retry: 'transient' }));
        return;
      }
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new CapstanError('ToolMissing', `${binary} not found (run tools/controlplane/build.sh)`));
        return;
      }
      // The last lines, plus the first line naming an error when a stack trace pushed it out.
      const lines = (stderr || err.message).trim().split('\n').filter((l) => l.trim() !== '');
      const tail = lines.slice(-8);
      const firstError = lines.find((l) => /(^|\s)(\w*Error|error):/.test(l));
      if (firstError !== undefined && !tail.includes(firstError)) tail.unshift(firstError);
      const detail = tail.join('\n');
      reject(new CapstanError('ToolFailed', `${tool} ${args[0] ?? ''} failed: ${detail}`));
    });
  });
}
