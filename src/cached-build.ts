// Runs a build script that fills a versioned cache directory
// (~/.cache/capstan/<what>/<key>/) and prints that directory as its last
// stdout line. Callers in one process share one run (`sharedBuild`); the
// scripts themselves serialize builds across processes with a lock file.
import { spawn } from 'node:child_process';
import { CapstanError } from './errors.ts';

export interface BuildScript {
  /** Absolute path of the bash script. */
  readonly script: string;
  /** The error code of a failed build. */
  readonly errorCode: string;
  /** What is built, for the error message ("the control plane"). */
  readonly what: string;
  /** Where the script keeps its log, for the error message. */
  readonly logHint: string;
  /** stderr that starts with this is a cache hit and not shown. */
  readonly quietPrefix?: string;
}

/** Runs the script; resolves to the cache directory it printed last. */
export function runBuildScript(build: BuildScript, progress: NodeJS.WritableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [build.script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      if (build.quietPrefix === undefined || !text.startsWith(build.quietPrefix)) progress.write(text);
    });
    child.on('error', (err) => reject(new CapstanError(build.errorCode,
      `could not run ${build.script}: ${err.message}`, { cause: err })));
    child.on('close', (code) => {
      const dir = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || dir === '') {
        reject(new CapstanError(build.errorCode,
          `building ${build.what} failed (${build.script} exited ${code}); its log is in ${build.logHint}`));
        return;
      }
      resolve(dir);
    });
  });
}

/**
 * One run per process at a time: concurrent callers share it (with the first
 * caller's argument), a failure lets the next caller retry.
 */
export function sharedBuild<A, T>(run: (arg: A) => Promise<T>): (arg: A) => Promise<T> {
  let pending: Promise<T> | undefined;
  return (arg: A) => {
    pending ??= run(arg).catch((err: unknown) => {
      pending = undefined;
      throw err;
    });
    return pending;
  };
}
