// Locates the binaries built from Go modules by tools/controlplane/build.sh
// (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok,
// kustomize, helm), building them into the versioned cache on first use.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { runBuildScript, sharedBuild } from '../cached-build.ts';

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
const build = sharedBuild(async (progress: NodeJS.WritableStream) => binaryPathsIn(await runBuildScript({
  script: buildScript,
  errorCode: 'BinaryBuildFailed',
  what: 'the control plane',
  logHint: '~/.cache/capstan/bin/<key>/build.log',
}, progress)));

/** Builds (or finds in the cache) every binary; concurrent callers share one build. */
export function ensureBinaries(options: EnsureBinariesOptions = {}): Promise<BinaryPaths> {
  return build(options.progress ?? process.stderr);
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
