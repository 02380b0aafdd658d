// Locates the compatibility engine built by compat/build.sh (compat.wasm and
// compat-native in ~/.cache/capstan/compat/<key>/), building it on first use.
// Concurrent callers in one process share one build; the script serializes
// builds across processes.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { CapstanError } from '../errors.ts';

export interface CompatArtifacts {
  readonly dir: string;
  /** The WASI reactor loaded in-process. */
  readonly wasm: string;
  /** The same engine as a CLI (JSON batch on stdin), for differential tests. */
  readonly native: string;
}

export interface EnsureCompatOptions {
  /** Where build progress goes (default: process.stderr). */
  readonly progress?: NodeJS.WritableStream;
}

const buildScript = fileURLToPath(new URL('../../compat/build.sh', import.meta.url));
let pending: Promise<CompatArtifacts> | undefined;

/** Builds (or finds in the cache) the engine; concurrent callers share one build. */
export function ensureCompatArtifacts(options: EnsureCompatOptions = {}): Promise<CompatArtifacts> {
  pending ??= runBuild(options.progress ?? process.stderr).catch((err: unknown) => {
    pending = undefined;
    throw err;
  });
  return pending;
}

export function compatArtifactsIn(dir: string): CompatArtifacts {
  return { dir, wasm: path.join(dir, 'compat.wasm'), native: path.join(dir, 'compat-native') };
}

function runBuild(progress: NodeJS.WritableStream): Promise<CompatArtifacts> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [buildScript], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => {
      // A cache hit says so on stderr; only a real build is worth showing.
      const text = chunk.toString();
      if (!text.startsWith('compat: cached')) progress.write(text);
    });
    child.on('error', (err) => reject(new CapstanError('CompatBuildFailed',
      `could not run ${buildScript}: ${err.message}`, { cause: err })));
    child.on('close', (code) => {
      const dir = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || dir === '') {
        reject(new CapstanError('CompatBuildFailed',
          `building the compatibility engine failed (${buildScript} exited ${code}); its log is in ~/.cache/capstan/compat/<key>/build.log`));
        return;
      }
      resolve(compatArtifactsIn(dir));
    });
  });
}
