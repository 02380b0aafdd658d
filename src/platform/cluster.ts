// A named local Kubernetes cluster made of real components built from Go
// modules: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and
// kwok (fake nodes), on free loopback ports, with its own PKI and an admin
// kubeconfig at <home>/clusters/<name>/admin.kubeconfig. Every wait is
// bounded; a component that dies at start is named with its log. A cluster
// stopped with `keep` can be resumed: same ports, PKI and etcd data, so its
// objects, its URL and the credentials handed out for it stay valid.
import { mkdir, rm } from 'node:fs/promises';
import { CapstanError } from '../errors.ts';
import { adminRequest, waitForEndpoint, type AdminRequest } from './admin-request.ts';
import { ensureBinaries, type BinaryPaths } from '../render/tool-binaries.ts';
import {
  clusterDirs, defaultCapstanHome, listClusterNames, readClusterState, writeClusterState,
  type ClusterPorts, type ClusterState,
} from './cluster-state.ts';
import {
  apiserverCommand, controllerManagerCommand, etcdCommand, kwokCommand, logFileFor, schedulerCommand,
  type ComponentCommand, type ControlPlaneLayout,
} from './control-plane-args.ts';
import { countReadyNodes, kwokNodeManifest } from './kwok-nodes.ts';
import { writeAdminKubeconfig } from './kubeconfig-file.ts';
import { createPki, pkiPaths, type ClusterPki } from './pki.ts';
import { findFreePorts, isPortInUse } from './ports.ts';
import { isAlive, startProcess, stopProcesses, tailLog, type StartedProcess } from './processes.ts';

export interface StartClusterOptions {
  readonly name: string;
  /** Number of kwok nodes (default 1). */
  readonly nodes?: number;
  /** Capstan's state directory (default ~/.capstan). */
  readonly home?: string;
  /** A fixed API server port instead of a free one. */
  readonly apiserverPort?: number;
  /** Overall time limit for start-to-ready (default 120 s). */
  readonly timeoutMs?: number;
  /** pid whose exit makes the cluster stale (test runs). */
  readonly ownerPid?: number;
  readonly binaries?: BinaryPaths;
  readonly progress?: (line: string) => void;
  /** Extra kube-apiserver flags (the test fixture serves some kinds without a watch cache). */
  readonly apiserverArgs?: readonly string[];
  /** Aborting stops the start-up: everything launched is stopped. */
  readonly signal?: AbortSignal;
  /** Restart a cluster stopped with `keep` on its ports, PKI and data instead of starting afresh. */
  readonly resume?: boolean;
}

export interface ClusterHandle {
  readonly state: ClusterState;
  readonly kubeconfig: string;
  readonly server: string;
  readonly readyMs: number;
  readonly alreadyRunning: boolean;
}

export interface ComponentStatus {
  readonly component: string;
  readonly pid: number;
  readonly running: boolean;
  readonly logFile: string;
}

export interface ClusterStatus {
  readonly name: string;
  readonly state?: ClusterState;
  readonly components: readonly ComponentStatus[];
  /** True when every component runs and the API server answers /readyz. */
  readonly ready: boolean;
  readonly message: string;
}

/** Starts a cluster, or returns the running one of that name. */
export async function startCluster(options: StartClusterOptions): Promise<ClusterHandle> {
  const home = options.home ?? defaultCapstanHome();
  const progress = options.progress ?? (() => undefined);
  const existing = await clusterStatus(options.name, { home });
  if (existing.ready && existing.state !== undefined) {
    const s = existing.state;
    return { state: s, kubeconfig: s.kubeconfig, server: s.server, readyMs: 0, alreadyRunning: true };
  }
  const resumed = options.resume === true && existing.state !== undefined ? existing.state : undefined;
  if (resumed !== undefined) await stopProcesses(shutdownStages(resumed.processes));
  else if (existing.state !== undefined) await stopCluster(options.name, { home });
  const started = Date.now();
  const bin = options.binaries ?? await ensureBinaries();
  const dirs = clusterDirs(home, options.name);
  if (resumed === undefined) {
    await rm(dirs.root, { recursive: true, force: true });
    await Promise.all([mkdir(dirs.logs, { recursive: true }), mkdir(dirs.etcdData, { recursive: true, mode: 0o700 })]);
  }
  const ports = resumed?.ports ?? await choosePorts(options.apiserverPort);
  const nodes = options.nodes ?? resumed?.nodes ?? 1;
  const pki = resumed !== undefined ? pkiPaths(dirs.pki) : await createPki(dirs.pki);
  const layout: ControlPlaneLayout = { bin, dirs, pki, ports };
  const server = `https://127.0.0.1:${ports.apiserver}`;
  const launched: StartedProcess[] = [];
  const record = async (readyMs?: number): Promise<ClusterState> => {
    const state: ClusterState = {
      name: options.name, server, kubeconfig: dirs.kubeconfig, ports, processes: launched, binDir: bin.dir,
      nodes: nodes, startedAt: new Date(started).toISOString(),
      ...(readyMs === undefined ? {} : { readyMs }), ...(options.ownerPid === undefined ? {} : { ownerPid: options.ownerPid }),
    };
    await writeClusterState(home, state);
    return state;
  };
  const deadline = started + (options.timeoutMs ?? 120_000);
  const remaining = (): number => Math.max(1_000, deadline - Date.now());
  const launch = async (cmd: ComponentCommand): Promise<void> => {
    progress(`starting ${cmd.component}`);
    launched.push(startProcess(cmd.component, cmd.binary, cmd.args, logFileFor(dirs, cmd.component)));
    await record();
  };
  const check = (): void => {
    if (options.signal?.aborted) throw new CapstanError('Interrupted', 'start-up interrupted');
    assertAllAlive(launched);
  };
  try {
    if (resumed === undefined) await writeAdminKubeconfig(dirs.kubeconfig, options.name, server, pki);
    await launch(etcdCommand(layout));
    await waitForEndpoint({ url: `http://127.0.0.1:${ports.etcdClient}/health` },
      { timeoutMs: remaining(), check, accept: (r) => r.status === 200 && r.body.includes('true') });
    const apiserver = apiserverCommand(layout);
    await launch({ ...apiserver, args: [...apiserver.args, ...(options.apiserverArgs ?? [])] });
    await waitForEndpoint({ url: `${server}/readyz`, pki }, { timeoutMs: remaining(), check });
    await launch(controllerManagerCommand(layout));
    await launch(schedulerCommand(layout));
    await launch(kwokCommand(layout));
    await createNodes(server, pki, nodes);
    await waitForWorkingCluster(server, pki, nodes, remaining(), check);
    const readyMs = Date.now() - started;
    const state = await record(readyMs);
    progress(`ready in ${(readyMs / 1000).toFixed(1)} s`);
    return { state, kubeconfig: dirs.kubeconfig, server, readyMs, alreadyRunning: false };
  } catch (err) {
    await stopProcesses(shutdownStages(launched));
    throw await startFailure(options.name, launched, err);
  }
}

async function choosePorts(apiserverPort: number | undefined): Promise<ClusterPorts> {
  if (apiserverPort !== undefined && await isPortInUse(apiserverPort)) {
    throw new CapstanError('PortInUse', `kube-apiserver: port ${apiserverPort} on 127.0.0.1 is already in use`);
  }
  const [etcdClient, etcdPeer, apiserver, controllerManager, scheduler, kwok] = await findFreePorts(6) as
    [number, number, number, number, number, number];
  return { etcdClient, etcdPeer, apiserver: apiserverPort ?? apiserver, controllerManager, scheduler, kwok };
}

function assertAllAlive(launched: readonly StartedProcess[]): void {
  const dead = launched.find((p) => !isAlive(p.pid));
  if (dead !== undefined) {
    throw new CapstanError('ComponentDied', `${dead.component} exited during start-up; its log is ${dead.logFile}`);
  }
}

async function startFailure(name: string, launched: readonly StartedProcess[], err: unknown): Promise<CapstanError> {
  const message = err instanceof Error ? err.message : String(err);
  const last = launched.at(-1);
  const dead = err instanceof CapstanError && err.code === 'ComponentDied'
    ? launched.find((p) => message.startsWith(p.component)) : undefined;
  const culprit = dead ?? last;
  const interrupted = err instanceof CapstanError && err.code === 'Interrupted';
  const log = culprit === undefined || interrupted ? '' : `\n--- last lines of ${culprit.logFile} ---\n${await tailLog(culprit.logFile)}`;
  const code = err instanceof CapstanError ? err.code : 'ClusterStartFailed';
  return new CapstanError(code, `cluster "${name}" failed to start: ${message}${log}`, { cause: err });
}

async function createNodes(server: string, pki: ClusterPki, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const res = await adminRequest({ url: `${server}/api/v1/nodes`, method: 'POST', pki, body: JSON.stringify(kwokNodeManifest(i)) });
    if (res.status !== 201 && res.status !== 409) {
      throw new CapstanError('ClusterStartFailed', `creating kwok node ${i}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
    }
  }
}

/** Ready = nodes Ready (kwok works) and the default ServiceAccount exists (controller-manager works). */
async function waitForWorkingCluster(server: string, pki: ClusterPki, nodes: number, timeoutMs: number,
  check: () => void): Promise<void> {
  const nodesReq: AdminRequest = { url: `${server}/api/v1/nodes`, pki };
  await waitForEndpoint(nodesReq, { timeoutMs, check, accept: (r) => r.status === 200 && countReadyNodes(r.body) >= nodes });
  await waitForEndpoint({ url: `${server}/api/v1/namespaces/default/serviceaccounts/default`, pki }, { timeoutMs, check });
}

/** API clients first, then the API server, then etcd. */
function shutdownStages(processes: readonly StartedProcess[]): StartedProcess[][] {
  const last = ['kube-apiserver', 'etcd'];
  return [
    processes.filter((p) => !last.includes(p.component)),
    ...last.map((c) => processes.filter((p) => p.component === c)),
  ];
}

export interface StopClusterOptions {
  readonly home?: string;
  /** Keep the data directory (logs, etcd data, PKI). */
  readonly keep?: boolean;
}

/** Stops every process of the cluster; removes its directory unless `keep`. Returns false if none existed. */
export async function stopCluster(name: string, options: StopClusterOptions = {}): Promise<boolean> {
  const home = options.home ?? defaultCapstanHome();
  const state = await readClusterState(home, name);
  if (state !== undefined) await stopProcesses(shutdownStages(state.processes));
  const dirs = clusterDirs(home, name);
  if (!options.keep) await rm(dirs.root, { recursive: true, force: true });
  return state !== undefined;
}

/** Reports whether each component runs and whether the API server is ready. */
export async function clusterStatus(name: string, options: { home?: string } = {}): Promise<ClusterStatus> {
  const home = options.home ?? defaultCapstanHome();
  const state = await readClusterState(home, name);
  if (state === undefined) return { name, components: [], ready: false, message: 'not found' };
  const components = state.processes.map((p) => ({
    component: p.component, pid: p.pid, running: isAlive(p.pid, p.binary), logFile: p.logFile,
  }));
  const down = components.filter((c) => !c.running).map((c) => c.component);
  if (down.length > 0) return { name, state, components, ready: false, message: `not running: ${down.join(', ')}` };
  if (components.length < 5) return { name, state, components, ready: false, message: 'starting' };
  try {
    const res = await adminRequest({ url: `${state.server}/readyz`, pki: pkiPaths(clusterDirs(home, name).pki), timeoutMs: 3_000 });
    const ready = res.status === 200;
    return { name, state, components, ready, message: ready ? 'ready' : `API server not ready: HTTP ${res.status}` };
  } catch (err) {
    return { name, state, components, ready: false, message: `API server unreachable: ${(err as Error).message}` };
  }
}

export async function listClusters(options: { home?: string } = {}): Promise<ClusterStatus[]> {
  const home = options.home ?? defaultCapstanHome();
  const names = await listClusterNames(home);
  return Promise.all(names.map((n) => clusterStatus(n, { home })));
}
