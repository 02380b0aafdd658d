// Locates the compatibility engine built by compat/build.sh (compat.wasm and
// compat-native in ~/.cache/capstan/compat/<key>/), building it on first use.
// Concurrent callers in one process share one build; the script serializes
// builds across processes.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { runBuildScript, sharedBuild } from '../cached-build.ts';

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
const build = sharedBuild(async (progress: NodeJS.WritableStream) => compatArtifactsIn(await runBuildScript({
  script: buildScript,
  errorCode: 'CompatBuildFailed',
  what: 'the compatibility engine',
  logHint: '~/.cache/capstan/compat/<key>/build.log',
  quietPrefix: 'compat: cached',
}, progress)));

/** Builds (or finds in the cache) the engine; concurrent callers share one build. */
export function ensureCompatArtifacts(options: EnsureCompatOptions = {}): Promise<CompatArtifacts> {
  return build(options.progress ?? process.stderr);
}

export function compatArtifactsIn(dir: string): CompatArtifacts {
  return { dir, wasm: path.join(dir, 'compat.wasm'), native: path.join(dir, 'compat-native') };
}
