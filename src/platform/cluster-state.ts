// Where a named local cluster lives on disk and what is recorded about it:
// `<home>/clusters/<name>/` holds pki/, etcd/, logs/, admin.kubeconfig and
// state.json (pids, ports, server URL). The default home is ~/.capstan,
// overridable by the caller (the CLI reads CAPSTAN_HOME).
import { readFile, writeFile, readdir, rename } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { StartedProcess } from './processes.ts';

export interface ClusterPorts {
  readonly etcdClient: number;
  readonly etcdPeer: number;
  readonly apiserver: number;
  readonly controllerManager: number;
  readonly scheduler: number;
  readonly kwok: number;
}

export interface ClusterState {
  readonly name: string;
  readonly server: string;
  readonly kubeconfig: string;
  readonly ports: ClusterPorts;
  readonly processes: readonly StartedProcess[];
  readonly binDir: string;
  readonly nodes: number;
  readonly startedAt: string;
  readonly readyMs?: number;
  /** pid of the process that owns the cluster's lifetime (test runs); absent for CLI clusters. */
  readonly ownerPid?: number;
}

export interface ClusterDirs {
  readonly root: string;
  readonly pki: string;
  readonly etcdData: string;
  readonly logs: string;
  readonly kubeconfig: string;
  readonly stateFile: string;
}

export function defaultCapstanHome(): string {
  return path.join(os.homedir(), '.capstan');
}

export function clustersRoot(home: string): string {
  return path.join(home, 'clusters');
}

export function clusterDirs(home: string, name: string): ClusterDirs {
  const root = path.join(clustersRoot(home), name);
  return {
    root,
    pki: path.join(root, 'pki'),
    etcdData: path.join(root, 'etcd'),
    logs: path.join(root, 'logs'),
    kubeconfig: path.join(root, 'admin.kubeconfig'),
    stateFile: path.join(root, 'state.json'),
  };
}

export async function readClusterState(home: string, name: string): Promise<ClusterState | undefined> {
  try {
    return JSON.parse(await readFile(clusterDirs(home, name).stateFile, 'utf8')) as ClusterState;
  } catch {
    return undefined;
  }
}

export async function writeClusterState(home: string, state: ClusterState): Promise<void> {
  const file = clusterDirs(home, state.name).stateFile;
  await writeFile(`${file}.tmp`, JSON.stringify(state, null, 2));
  await rename(`${file}.tmp`, file);
}

export async function listClusterNames(home: string): Promise<string[]> {
  try {
    const entries = await readdir(clustersRoot(home), { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    return [];
  }
}
