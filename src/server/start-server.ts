// Starting the API server: the secrets it needs (argocd-secret's signing key
// and, at first start, the admin password in argocd-initial-admin-secret),
// the watches of the control namespace, the session manager, the live and
// diff sources — the engine's own when it runs in the same process, else the
// server's — and the HTTP listener. `close()` undoes it all.
import { readFileSync } from 'node:fs';
import type { Engine } from '../engine.ts';
import type { CompatRuntime } from '../controller/resource-checks.ts';
import type { KubeClient } from '../kube/kube-client.ts';
import { argoCdConfigMapName, parseArgoCdConfigMap } from '../settings/argocd-cm.ts';
import type { ServerDeps, VersionInfo } from './api-context.ts';
import { ApiServer, type ApiServerOptions } from './api-server.ts';
import { LoginAttempts } from './auth/login-attempts.ts';
import { ensureServerSecrets } from './auth/server-secrets.ts';
import { SessionManager } from './auth/session-manager.ts';
import { ControlPlaneCache } from './state/control-plane-cache.ts';
import { engineLiveSource } from './state/engine-live-source.ts';
import type { LiveSource } from './state/live-source.ts';
import { renderDiffSource } from './state/render-diff-source.ts';
import { ServerSettings } from './state/server-settings.ts';
import { StandaloneLiveSource } from './state/standalone-live-source.ts';
import type { RenderServices } from '../render/render-application.ts';

export interface StartServerOptions extends ApiServerOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  /** 0 picks a free port. @default 8080 */
  readonly port?: number;
  /** @default 127.0.0.1 */
  readonly host?: string;
  /** The engine running in this process: its caches and render services are shared. */
  readonly engine?: Pick<Engine, 'controller' | 'render' | 'compat'>;
  /** Render services for managed-resources when no engine runs here. */
  readonly render?: Omit<RenderServices, 'generation'>;
  readonly compat?: CompatRuntime;
  readonly log?: (line: string) => void;
  /** Random padding of password checks, ms (Argo CD: 500–1000). */
  readonly verifyDelayMs?: readonly [number, number];
  readonly loginAttempts?: LoginAttempts;
}

export interface RunningServer {
  readonly url: string;
  readonly api: ApiServer;
  /** The admin password generated at this start (first start only). */
  readonly generatedPassword?: string;
  close(): Promise<void>;
}

function capstanVersion(): VersionInfo {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return { Version: `v${pkg.version}+capstan`, BuildDate: '', GitCommit: '', GitTreeState: '', GoVersion: '', Compiler: 'node',
    Platform: `${process.platform}/${process.arch}`, NodeVersion: process.version, KustomizeVersion: 'v5.8.1', HelmVersion: 'v4.2.1' };
}

export async function startApiServer(options: StartServerOptions): Promise<RunningServer> {
  const log = options.log ?? (() => undefined);
  const { client, namespace } = options;
  const secrets = await ensureServerSecrets(client, namespace);
  if (secrets.generatedPassword !== undefined) log(`generated the admin password (argocd-initial-admin-secret in namespace ${namespace})`);
  const cache = new ControlPlaneCache(client, namespace, log);
  await cache.start();
  const settings = new ServerSettings(cache, log);
  const sessions = new SessionManager({ settings: () => settings.current().auth,
    ...(options.verifyDelayMs ? { verifyDelayMs: options.verifyDelayMs } : {}), ...(options.loginAttempts ? { attempts: options.loginAttempts } : {}) });
  const compat = options.engine?.compat ?? options.compat;
  const live: LiveSource = options.engine ? engineLiveSource(options.engine.controller, compat) : new StandaloneLiveSource(client, namespace, cache, compat);
  const render = options.engine?.render ?? options.render;
  const engineSettings = () => options.engine?.controller.currentSettings ?? parseArgoCdConfigMap(cache.configMapData(argoCdConfigMapName)).settings;
  const diff = render === undefined ? undefined : renderDiffSource({ render, settings: engineSettings, live,
    ...(compat ? { compat } : {}), ...(options.engine ? { controller: options.engine.controller } : {}) });
  const deps: ServerDeps = { client, namespace, cache, settings, sessions, live, ...(diff ? { diff } : {}), version: capstanVersion(), log };
  const api = new ApiServer(deps, options);
  let url: string;
  try {
    url = await api.listen(options.port ?? 8080, options.host ?? '127.0.0.1');
  } catch (err) {
    cache.close();
    live.close();
    throw err;
  }
  return {
    url, api, ...(secrets.generatedPassword !== undefined ? { generatedPassword: secrets.generatedPassword } : {}),
    close: async () => { await api.close(); cache.close(); live.close(); },
  };
}
