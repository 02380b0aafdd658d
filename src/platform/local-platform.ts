// The local platform behind `capstan up`: cluster → repositories → engine →
// destination clusters (each a local cluster registered with the engine as an
// Argo CD cluster Secret, so `destination.name: dev-vcluster` works as in the
// seed platforms) → the API server and web UI (its URL and the initial admin
// password printed) → the embedded git server (every platform repository to
// clone and push to; a push refreshes what reads it) → bootstrap Applications
// and idpbuilder packages (applied wave by wave, published again when they
// change) → a live view of every app's sync and health.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseAllDocuments } from 'yaml';
import type { Application } from '../api/application.ts';
import type { ApplicationSet } from '../api/application-set.ts';
import type { KubeObject } from '../api/kube-object.ts';
import { startEngine, type Engine } from '../engine.ts';
import { readInitialAdminPassword } from '../server/auth/server-secrets.ts';
import { startApiServer, type RunningServer } from '../server/start-server.ts';
import { describeError } from '../errors.ts';
import { startCluster, stopCluster } from './cluster.ts';
import { registerLocalCluster } from './register-cluster.ts';
import { publishPlatformRepos, repositoryMapOf } from './example-repos.ts';
import { startGitHttpServer, type GitHttpServer } from './git-http-server.ts';
import { refreshReadersOf } from './push-refresh.ts';
import { PackageSession } from './package-session.ts';
import { rewriterFromMap, writeRepositoryMap } from './repository-map.ts';

export interface LocalPlatformOptions {
  readonly home: string;
  readonly clusterName: string;
  /** Folder whose sub-folders are published as cnoe://<folder> repositories. */
  readonly platformDir?: string;
  /** The repository whose argocd/bootstrap/*.yaml objects are applied. */
  readonly bootstrapRepo?: string;
  /** idpbuilder package directories (`idpbuilder create --package DIR`). */
  readonly packageDirs?: readonly string[];
  /** Platform programs synthesized into package directories (`npm run synth`), again when their sources change. */
  readonly synthDirs?: readonly string[];
  readonly exitWhenSynced?: boolean;
  /** More local clusters, registered by name as destinations (started and stopped with the platform). */
  readonly destinationClusters?: readonly string[];
  readonly out: (line: string) => void;
  /** Port of the API server and web UI (default 8080; a busy port falls back to a free one). */
  readonly serverPort?: number;
  /** Port of the embedded git server (default 8081; a busy port falls back to a free one). */
  readonly gitPort?: number;
  /** The web UI build served at the API server's root. */
  readonly uiDir?: string;
}

function bootstrapObjects(repoDir: string): KubeObject[] {
  const dir = path.join(repoDir, 'argocd', 'bootstrap');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().flatMap((f) =>
    parseAllDocuments(readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS() as KubeObject).filter((o) => o?.kind));
}

const line = (a: Application): string => {
  const op = a.status?.operationState;
  const opText = op && op.phase !== 'Succeeded' ? `  ${op.phase}: ${op.message ?? ''}` : '';
  return `${(a.metadata.name ?? '').padEnd(24)} ${(a.status?.sync?.status ?? 'Unknown').padEnd(10)} ${(a.status?.health?.status ?? 'Unknown').padEnd(12)}${opText}`;
};

/** An ApplicationSet's state in the live view: how many Applications it owns, or why it applied nothing. */
const setLine = (s: ApplicationSet): string => {
  const error = s.status?.conditions?.find((c) => c.type === 'ErrorOccurred' && c.status === 'True');
  const upToDate = s.status?.conditions?.some((c) => c.type === 'ResourcesUpToDate' && c.status === 'True');
  return `applicationset ${s.metadata.name}: ${error ? `error: ${error.message}` : upToDate ? `${s.status?.resourcesCount ?? 0} applications` : 'generating'}`;
};

/** Listens on `port`, or on a free one when it is busy. */
async function onPortOrFree<T>(port: number, start: (port: number) => Promise<T>): Promise<T> {
  try {
    return await start(port);
  } catch (err) {
    if ((err as { code?: string }).code !== 'EADDRINUSE') throw err;
    return start(0);
  }
}

/** The API server and web UI in the engine's process; prints where, and the initial admin password. */
async function startPlatformServer(engine: Engine, options: LocalPlatformOptions): Promise<{ server: RunningServer; password?: string }> {
  const base = { client: engine.client, namespace: engine.namespace, engine, ...(options.uiDir ? { uiDir: options.uiDir } : {}),
    log: (l: string) => options.out(`  server: ${l}`) };
  const server = await onPortOrFree(options.serverPort ?? 8080, (port) => startApiServer({ ...base, port }));
  const password = server.generatedPassword ?? await readInitialAdminPassword(engine.client, engine.namespace);
  options.out(`API server and UI: ${server.url}  (login: admin / ${password ?? 'the password set in argocd-secret'})`);
  return password !== undefined ? { server, password } : { server };
}

/**
 * Every repository under <home>/repos over git's smart HTTP, pushes accepted
 * (as admin with the UI's password, or a generated one when that is not
 * known); a push refreshes the Applications and ApplicationSets that read
 * the repository under any of its URLs.
 */
async function startPlatformGit(engine: Engine, options: LocalPlatformOptions, repoMap: ReadonlyMap<string, string>,
  adminPassword: string | undefined): Promise<GitHttpServer> {
  const root = path.join(options.home, 'repos');
  const password = adminPassword ?? randomBytes(12).toString('base64url');
  let url = '';
  const onPush = (name: string): void => {
    const dir = path.resolve(root, name);
    const urls = [`${url}/${name}`, ...[...repoMap].filter(([, d]) => path.resolve(d) === dir).map(([u]) => u)];
    refreshReadersOf(engine.client, engine.namespace, urls).then((r) => {
      options.out(`push to ${name}: refreshing ${[...r.applications, ...r.applicationSets.map((s) => `applicationset ${s}`)].join(', ') || 'nothing reads it'}`);
    }, (err: unknown) => options.out(`push to ${name}: refresh failed: ${describeError(err)}`));
  };
  const git = await onPortOrFree(options.gitPort ?? 8081, (port) =>
    startGitHttpServer({ root, allowPush: true, auth: { username: 'admin', password }, port, onPush }));
  url = git.url;
  const example = [...repoMap.keys()].find((u) => u.startsWith('cnoe://'))?.slice('cnoe://'.length) ?? 'NAME';
  options.out(`git server: ${git.url}/<repository>  (user admin, password ${adminPassword !== undefined ? 'as above' : password}; `
    + `git clone ${git.url.replace('://', `://admin:${encodeURIComponent(password)}@`)}/${example}; a push syncs at once)`);
  return git;
}

export async function runLocalPlatform(options: LocalPlatformOptions): Promise<number> {
  const stop = new AbortController();
  // SIGHUP: the terminal closed; the platform stops as on Ctrl-C.
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(s, () => stop.abort());
  const t0 = Date.now();
  const repoMap = new Map<string, string>();
  let kubeconfig: string | undefined = undefined;
  // Packages are synthesized and published before anything starts, so a bad one stops here.
  const packages = (options.packageDirs?.length ?? 0) + (options.synthDirs?.length ?? 0) > 0
    ? new PackageSession({ packageDirs: options.packageDirs ?? [], synthDirs: options.synthDirs ?? [], home: options.home,
      namespace: 'argocd', repoMap, onRepoMapChanged: () => { if (kubeconfig) writeRepositoryMap(kubeconfig, repoMap); }, out: options.out })
    : undefined;
  try {
    await packages?.start();
  } catch (err) {
    options.out(`error: ${describeError(err)}`);
    return 1;
  }
  const cluster = await startCluster({ name: options.clusterName, home: options.home, signal: stop.signal,
    progress: (l) => options.out(`  cluster: ${l}`) });
  options.out(`cluster "${options.clusterName}" ready: export KUBECONFIG=${cluster.kubeconfig}`);
  kubeconfig = cluster.kubeconfig;
  const repos = options.platformDir !== undefined ? publishPlatformRepos(options.platformDir, options.home) : [];
  for (const r of repos) options.out(`repository ${r.url} → ${r.dir} @ ${r.commit.slice(0, 7)}`);
  for (const [url, dir] of repositoryMapOf(repos)) if (!repoMap.has(url)) repoMap.set(url, dir);
  writeRepositoryMap(cluster.kubeconfig, repoMap);
  // The map is read at every new URL, so packages published later resolve too.
  const engine = await startEngine({ kubeconfigPath: cluster.kubeconfig, rewriteRepoUrl: rewriterFromMap(repoMap),
    reconcileIntervalMs: 60_000, log: (l) => options.out(`  engine: ${l}`) });
  const destinations = [...new Set(options.destinationClusters ?? [])].filter((n) => n !== options.clusterName);
  let server: RunningServer | undefined;
  let git: GitHttpServer | undefined;
  try {
    const started = await startPlatformServer(engine, options);
    server = started.server;
    git = await startPlatformGit(engine, options, repoMap, started.password);
    for (const name of destinations) {
      const dest = await startCluster({ name, home: options.home, signal: stop.signal, resume: true, progress: (l) => options.out(`  cluster ${name}: ${l}`) });
      await registerLocalCluster(engine.client, { home: options.home, name, server: dest.server, namespace: engine.namespace });
      options.out(`cluster "${name}" registered as a destination at ${dest.server}`);
    }
    const bootstrap = repos.find((r) => r.name === options.bootstrapRepo);
    for (const obj of bootstrap ? bootstrapObjects(bootstrap.dir) : []) {
      await engine.client.apply(obj, { fieldManager: 'capstan-up', force: true });
      options.out(`applied ${obj.kind} ${obj.metadata.name}`);
    }
    options.out('\nwatching applications (Ctrl-C stops everything; in another shell: node bin/capstan.js app list)');
    const seen = new Map<string, string>();
    let wasSettled = false;
    while (!stop.signal.aborted) {
      const apps = (await engine.client.list('argoproj.io/v1alpha1', 'Application', { namespace: engine.namespace }).catch(() => [])) as unknown as Application[];
      const sets = (await engine.client.list('argoproj.io/v1alpha1', 'ApplicationSet', { namespace: engine.namespace }).catch(() => [])) as unknown as ApplicationSet[];
      const show = (key: string, l: string): void => {
        if (seen.get(key) !== l) { seen.set(key, l); options.out(`${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s  ${l}`); }
      };
      for (const s of sets) show(`set/${s.metadata.name}`, setLine(s));
      for (const a of apps) show(a.metadata.name!, line(a));
      // After the view, so an app is seen settled before the next wave is applied.
      await packages?.tick(engine.client, apps);
      // Settled: every ApplicationSet has generated its Applications, and every automated one is Synced and Healthy.
      const generated = sets.every((s) => s.status?.conditions?.some((c) => c.type === 'ResourcesUpToDate' && c.status === 'True')
        && apps.filter((a) => a.metadata.ownerReferences?.some((r) => r.kind === 'ApplicationSet' && r.name === s.metadata.name)).length === (s.status.resourcesCount ?? 0));
      const settled = apps.length > 0 && generated && (packages?.doneIn(apps) ?? true) && apps.every((a) => a.operation === undefined
        && (a.status?.sync?.status === 'Synced' && a.status.health?.status === 'Healthy' || !a.spec.syncPolicy?.automated));
      if (settled && !wasSettled) options.out('every automated app is Synced and Healthy');
      wasSettled = settled;
      if (options.exitWhenSynced && settled) return 0;
      await sleep(2000, undefined, { signal: stop.signal }).catch(() => undefined);
    }
    return 0;
  } catch (err) {
    options.out(`error: ${describeError(err)}`);
    return 1;
  } finally {
    await git?.close();
    await server?.close();
    engine.close();
    for (const name of [...destinations, options.clusterName]) {
      options.out(`stopping cluster "${name}"`);
      await stopCluster(name, { home: options.home });
    }
  }
}
