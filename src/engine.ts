// The engine: builds the adapters (Kubernetes client, git mirrors, render
// cache and tools) and starts the controllers on them. The CLI and the local
// platform receive what this returns.
import os from 'node:os';
import path from 'node:path';
import specSchemas from './api/generated/crd-schemas.json' with { type: 'json' };
import { loadCompat } from './compat/load-compat.ts';
import { AppController } from './controller/app-controller.ts';
import { AppSetController } from './controller/appset-controller.ts';
import type { CompatRuntime } from './controller/resource-checks.ts';
import { installControlPlane } from './controller/install-crds.ts';
import { KubeClient } from './kube/kube-client.ts';
import { ensureBinaries } from './render/tool-binaries.ts';
import { RenderCache } from './render/render-cache.ts';
import { RepositoryStore } from './source/repository-store.ts';
import { RepositorySecrets } from './controller/repository-secrets-watch.ts';
import type { RenderServices } from './render/render-application.ts';

export interface EngineOptions {
  readonly kubeconfigPath?: string;
  readonly context?: string;
  /** Control namespace (Argo CD's default: argocd). */
  readonly namespace?: string;
  readonly cacheDir?: string;
  readonly rewriteRepoUrl?: (url: string) => string;
  readonly reconcileIntervalMs?: number;
  readonly waveDelayMs?: number;
  readonly log?: (line: string) => void;
}

export interface Engine {
  readonly client: KubeClient;
  readonly controller: AppController;
  readonly appSets: AppSetController;
  readonly namespace: string;
  /** What renders apps (repositories, tools, render cache), shared with readers such as the API server. */
  readonly render: Omit<RenderServices, 'generation'>;
  readonly compat: CompatRuntime | undefined;
  close(): void;
}

export interface RenderServicesOptions {
  readonly cacheDir?: string;
  readonly rewriteRepoUrl?: (url: string) => string;
  readonly log?: (line: string) => void;
  /** Watch the repository Secrets until this aborts; without it they are read once. */
  readonly signal?: AbortSignal;
}

/**
 * Repositories (with the credentials of Argo CD's repository Secrets, asked
 * at every fetch), the rendering tools and a render cache: what the
 * controller, `capstan app diff` and the API server render apps with.
 */
export async function startRenderServices(client: KubeClient, namespace: string, options: RenderServicesOptions = {}): Promise<Omit<RenderServices, 'generation'>> {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const repoSecrets = new RepositorySecrets({ client, namespace, keyDir: path.join(cacheDir, 'keys'), ...(options.log ? { log: options.log } : {}) });
  if (options.signal) await repoSecrets.start(options.signal); else await repoSecrets.load();
  const repositories = new RepositoryStore({ cacheDir, credentialsFor: (url) => repoSecrets.gitCredentialsFor(url),
    ...(options.rewriteRepoUrl ? { rewrite: options.rewriteRepoUrl } : {}) });
  return { repositories, binaries: await ensureBinaries(), cacheDir, cache: new RenderCache(), helmCredentialsFor: (url) => repoSecrets.helmCredentialsFor(url) };
}

/** The pause between sync waves: the option, else Argo CD's ARGOCD_SYNC_WAVE_DELAY (seconds), else the controller's 2 s. */
function waveDelayMs(options: EngineOptions): number | undefined {
  if (options.waveDelayMs !== undefined) return options.waveDelayMs;
  const env = process.env['ARGOCD_SYNC_WAVE_DELAY'];
  return env !== undefined && /^\d+$/.test(env) ? Number(env) * 1000 : undefined;
}

export function defaultCacheDir(): string {
  return path.join(os.homedir(), '.cache', 'capstan');
}

/**
 * gojq and gopher-lua for jqPathExpressions and Lua health. Without them the
 * engine still runs: those rules are reported as skipped and Lua health as
 * Unknown, naming the cause.
 */
export async function loadCompatRuntime(log?: (line: string) => void): Promise<CompatRuntime | undefined> {
  try {
    const compat = await loadCompat();
    return { evalJq: compat.evalJqProgram, runLua: compat.runLuaScript };
  } catch (err) {
    log?.(`the compatibility engine is unavailable (jqPathExpressions and Lua health will not run): ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

export async function startEngine(options: EngineOptions = {}): Promise<Engine> {
  const namespace = options.namespace ?? 'argocd';
  const client = KubeClient.fromKubeconfig({
    ...(options.kubeconfigPath ? { kubeconfigPath: options.kubeconfigPath } : {}), ...(options.context ? { context: options.context } : {}),
  });
  const report = await installControlPlane(client, namespace);
  options.log?.(report.foreign.length > 0 ? `using Argo CD's CRDs: ${report.foreign.join(', ')}` : `CRDs ready in namespace ${namespace}`);
  const compat = await loadCompatRuntime(options.log);
  const stop = new AbortController();
  const render = await startRenderServices(client, namespace, { ...options, signal: stop.signal });
  const { repositories } = render;
  const controller = new AppController({
    client, namespace,
    render,
    ...(options.reconcileIntervalMs ? { reconcileIntervalMs: options.reconcileIntervalMs } : {}),
    ...(waveDelayMs(options) !== undefined ? { waveDelayMs: waveDelayMs(options)! } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(compat ? { compat } : {}),
  });
  await controller.start();
  // ApplicationSets share the client and the repositories (so their fetches and refresh generations). Without
  // the template engine every ApplicationSet reports the cause and nothing is applied.
  const templates = await loadCompat().then((c) => c.renderTemplates, (err: unknown) => {
    const error = `the template engine is unavailable: ${err instanceof Error ? err.message : String(err)}`;
    return (requests: readonly unknown[]) => requests.map(() => ({ ok: false as const, error, errorClass: 'crash' as const }));
  });
  const appSets = new AppSetController({ client, namespace, repositories, render: templates, ...(compat ? { evalJq: compat.evalJq } : {}),
    specSchema: specSchemas.Application, ...(options.log ? { log: options.log } : {}) });
  await appSets.start();
  return { client, controller, appSets, namespace, render, compat, close: () => { stop.abort(); appSets.close(); controller.close(); client.close(); } };
}
