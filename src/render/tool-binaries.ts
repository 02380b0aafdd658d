// Locates the binaries built from Go modules by tools/controlplane/build.sh
// (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok,
// kustomize, helm), building them into the versioned cache on first use.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { CapstanError } from '../errors.ts';

export interface BinaryPaths {
  readonly dir: string;
  readonly etcd: string;
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  readonly kubeScheduler: string;
  readonly kwok: string;
  /** kwok's node and pod Stage configs, concatenated. */
  readonly kwokStages: string;
  readonly kustomize: string;
  readonly helm: string;
}

export interface EnsureBinariesOptions {
  /** Where build progress goes (default: process.stderr). */
  readonly progress?: NodeJS.WritableStream;
}

const buildScript = fileURLToPath(new URL('../../tools/controlplane/build.sh', import.meta.url));
let pending: Promise<BinaryPaths> | undefined;

/** Builds (or finds in the cache) every binary; concurrent callers share one build. */
export function ensureBinaries(options: EnsureBinariesOptions = {}): Promise<BinaryPaths> {
  pending ??= runBuild(options.progress ?? process.stderr).catch((err: unknown) => {
    pending = undefined;
    throw err;
  });
  return pending;
}

export function binaryPathsIn(dir: string): BinaryPaths {
  const at = (name: string): string => path.join(dir, name);
  return {
    dir,
    etcd: at('etcd'),
    kubeApiserver: at('kube-apiserver'),
    kubeControllerManager: at('kube-controller-manager'),
    kubeScheduler: at('kube-scheduler'),
    kwok: at('kwok'),
    kwokStages: at('kwok-stages.yaml'),
    kustomize: at('kustomize'),
    helm: at('helm'),
  };
}

function runBuild(progress: NodeJS.WritableStream): Promise<BinaryPaths> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [buildScript], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { progress.write(chunk); });
    child.on('error', (err) => reject(new CapstanError('BinaryBuildFailed',
      `could not run ${buildScript}: ${err.message}`, { cause: err })));
    child.on('close', (code) => {
      const dir = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || dir === '') {
        reject(new CapstanError('BinaryBuildFailed',
          `building the control plane failed (${buildScript} exited ${code}); its log is in ~/.cache/capstan/bin/<key>/build.log`));
        return;
      }
      resolve(binaryPathsIn(dir));
    });
  });
}
