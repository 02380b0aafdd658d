// An Application controller on the shared test cluster for one test file:
// its own control namespace (CRDs and the default AppProject installed),
// real git repositories, helpers to create, sync, refresh and read
// Applications, and cleanup of every namespace the file used.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Application } from '../../src/api/application.ts';
import type { Operation } from '../../src/api/application-status.ts';
import type { KubeObject } from '../../src/api/kube-object.ts';
import { AppController, type AppControllerOptions } from '../../src/controller/app-controller.ts';
import { installControlPlane } from '../../src/controller/install-crds.ts';
import { KubeClient } from '../../src/kube/kube-client.ts';
import { ensureBinaries } from '../../src/render/tool-binaries.ts';
import { RenderCache } from '../../src/render/render-cache.ts';
import { RepositoryStore, type RepositoryStoreOptions } from '../../src/source/repository-store.ts';
import { useTestCluster, type TestCluster } from './cluster.ts';
import { eventually } from './eventually.ts';
import { TestRepo } from './git-repo.ts';

export interface AppSpecInput {
  readonly repo: TestRepo;
  readonly path?: string;
  readonly dest: string;
  readonly targetRevision?: string;
  readonly syncPolicy?: Record<string, unknown>;
  readonly finalizers?: string[];
  readonly project?: string;
  readonly operation?: Operation;
  readonly annotations?: Record<string, string>;
  readonly spec?: Record<string, unknown>;
}

export class AppHarness {
  private readonly repos: TestRepo[] = [];
  private readonly namespaces = new Set<string>();

  private constructor(readonly cluster: TestCluster, readonly client: KubeClient, readonly ns: string,
    public controller: AppController, readonly repositories: RepositoryStore, readonly cache: RenderCache<KubeObject[]>,
    readonly cacheDir: string, private readonly options: Partial<AppControllerOptions>) {}

  static async start(prefix: string, options: Partial<AppControllerOptions> = {},
    store: Omit<RepositoryStoreOptions, 'cacheDir'> = {}): Promise<AppHarness> {
    const cluster = await useTestCluster();
    const client = KubeClient.fromKubeconfig({ kubeconfigPath: cluster.kubeconfigPath });
    const ns = `${prefix}-${process.pid}`;
    await installControlPlane(client, ns);
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), `capstan-${prefix}-`));
    const repositories = new RepositoryStore({ ...store, cacheDir });
    const cache = new RenderCache<KubeObject[]>();
    const controller = await AppHarness.controllerFor(client, ns, repositories, cache, cacheDir, options);
    const h = new AppHarness(cluster, client, ns, controller, repositories, cache, cacheDir, options);
    h.namespaces.add(ns);
    return h;
  }

  private static async controllerFor(client: KubeClient, ns: string, repositories: RepositoryStore, cache: RenderCache<KubeObject[]>,
    cacheDir: string, options: Partial<AppControllerOptions>): Promise<AppController> {
    const controller = new AppController({ client, namespace: ns, waveDelayMs: 0, reconcileIntervalMs: 3_600_000,
      render: { repositories, binaries: await ensureBinaries(), cacheDir, cache }, ...options });
    await controller.start();
    return controller;
  }

  /** Stops the controller; `run` happens while none runs; then a new one starts (a restart). */
  async restartController(run: () => Promise<void> = async () => undefined): Promise<void> {
    this.controller.close();
    await run();
    this.controller = await AppHarness.controllerFor(this.client, this.ns, this.repositories, this.cache, this.cacheDir, this.options);
  }

  /** A destination namespace name unique to this run (deleted at the end). */
  dest(name: string): string {
    const ns = `${name}-${process.pid}`;
    this.namespaces.add(ns);
    return ns;
  }

  repo(files: Record<string, string>): TestRepo {
    const r = new TestRepo();
    this.repos.push(r);
    r.commit(files);
    return r;
  }

  async createApp(name: string, input: AppSpecInput): Promise<void> {
    await this.client.create({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
      metadata: { name, namespace: this.ns, ...(input.finalizers ? { finalizers: input.finalizers } : {}),
        ...(input.annotations ? { annotations: input.annotations } : {}) },
      spec: { project: input.project ?? 'default',
        source: { repoURL: input.repo.dir, targetRevision: input.targetRevision ?? 'HEAD', path: input.path ?? 'app' },
        destination: { server: 'https://kubernetes.default.svc', namespace: input.dest },
        ...(input.syncPolicy ? { syncPolicy: input.syncPolicy } : {}), ...input.spec },
      ...(input.operation ? { operation: input.operation } : {}) });
  }

  ref(name: string): KubeObject {
    return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: this.ns } };
  }

  async app(name: string): Promise<Application> {
    return (await this.client.get('argoproj.io/v1alpha1', 'Application', this.ns, name)) as unknown as Application;
  }

  /** Requests a sync operation (as `capstan app sync --async` does). */
  async sync(name: string, sync: NonNullable<Operation['sync']> = {}, extra: Partial<Operation> = {}): Promise<void> {
    await this.client.patch(this.ref(name), { operation: { sync, initiatedBy: { username: 'test' }, ...extra } }, 'merge');
  }

  async refresh(name: string, type: 'normal' | 'hard' = 'normal'): Promise<void> {
    await this.client.patch(this.ref(name), { metadata: { annotations: { 'argocd.argoproj.io/refresh': type } } }, 'merge');
  }

  /** Waits until `probe` holds for the app; the timeout message shows its operation state and conditions. */
  waitApp<T>(name: string, what: string, probe: (app: Application) => T | undefined, timeoutMs = 60_000): Promise<T> {
    return eventually(`${name}: ${what}`, async () => {
      const a = await this.app(name);
      return a === undefined ? undefined : probe(a);
    }, timeoutMs, async () => {
      const a = await this.app(name);
      return { sync: a?.status?.sync?.status, health: a?.status?.health, op: a?.status?.operationState, conditions: a?.status?.conditions };
    });
  }

  /** Waits for the requested operation to finish (operation cleared) and returns the app. */
  finished(name: string, timeoutMs = 60_000): Promise<Application> {
    return this.waitApp(name, 'operation finished', (a) => (a.operation === undefined && a.status?.operationState?.finishedAt
      && a.status.operationState.phase !== 'Running' ? a : undefined), timeoutMs);
  }

  async get(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    return this.client.get(apiVersion, kind, namespace, name);
  }

  async close(): Promise<void> {
    this.controller.close();
    for (const app of (await this.client.list('argoproj.io/v1alpha1', 'Application', { namespace: this.ns }).catch(() => []))) {
      await this.client.patch(app, { metadata: { finalizers: [] } }, 'merge').catch(() => undefined);
    }
    for (const n of this.namespaces) await this.client.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } }).catch(() => undefined);
    this.client.close();
    for (const r of this.repos) r.remove();
    rmSync(this.cacheDir, { recursive: true, force: true });
  }
}

import { deploymentYaml } from './manifests.ts';

export { cmYaml, deploymentYaml } from './manifests.ts';

/** A Deployment whose pods only schedule on a node labelled `gate` (kwok runs them once a node has it). */
export const gatedDeploymentYaml = (name: string, gate: string, annotations: Record<string, string> = {}): string =>
  deploymentYaml(name, { nodeSelector: { [gate]: 'yes' }, annotations });

/** Labels (or unlabels) the kwok node so pods gated on `gate` run. */
export async function openGate(client: KubeClient, gate: string, open = true): Promise<void> {
  await client.patch({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'kwok-node-0' } },
    { metadata: { labels: { [gate]: open ? 'yes' : null } } }, 'merge');
}
