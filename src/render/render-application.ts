// renderApplication: from an Application's source(s) to its desired objects.
// Each source's targetRevision is resolved to a commit in a shared mirror,
// the commit is checked out once, and the source is rendered by the tool
// Argo CD would choose; `ref`-only sources only provide files ($ref/...).
// Results are cached before tracking is applied, keyed by the tree hashes of
// what the render read (not the commit), so two apps on the same path render
// once and a commit elsewhere in the repository renders nothing again.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import path from 'node:path';
import type { ApplicationSource, ApplicationSpec } from '../api/application.ts';
import type { KubeObject } from '../api/kube-object.ts';
import { CapstanError, describeError } from '../errors.ts';
import type { TrackingOptions } from '../kube/cache/tracking.ts';
import type { GitMirror } from '../source/git-mirror.ts';
import type { RepositoryStore } from '../source/repository-store.ts';
import { applyTracking, type NamespacedLookup } from './apply-tracking.ts';
import { kustomizeInputs } from './kustomize-inputs.ts';
import { RenderCache } from './render-cache.ts';
import { renderCdk8s } from './render-cdk8s.ts';
import { renderDirectory } from './render-directory.ts';
import { pullChart, renderHelm, type HelmRepositoryCredentials } from './render-helm.ts';
import { renderKustomize } from './render-kustomize.ts';
import { detectSourceType, type SourceType } from './source-type.ts';

export interface RenderServices {
  readonly repositories: RepositoryStore;
  readonly binaries: { readonly kustomize: string; readonly helm: string };
  readonly cacheDir: string;
  readonly cache: RenderCache<KubeObject[]>;
  readonly tracking?: TrackingOptions;
  readonly isNamespaced?: NamespacedLookup;
  readonly kubeVersion?: string;
  readonly apiVersions?: readonly string[];
  readonly kustomizeBuildOptions?: readonly string[];
  /** Refresh generation: repositories are fetched at most once per generation. */
  readonly generation?: number;
  /** A hard refresh: render again instead of reusing cached manifests. */
  readonly hardRefresh?: boolean;
  readonly timeoutMs?: number;
  /** Credentials of HTTP chart repositories (repository Secrets of `type: helm`). */
  readonly helmCredentialsFor?: (repoURL: string) => HelmRepositoryCredentials | undefined;
}

export interface RenderRequest {
  readonly appName: string;
  readonly spec: ApplicationSpec;
  /** Revisions to render instead of each source's targetRevision (a sync to a revision, a rollback). */
  readonly revisions?: readonly string[];
}

export interface AppRender {
  readonly objects: KubeObject[];
  /** Resolved commit (or chart version) per source. */
  readonly revisions: string[];
  readonly sourceTypes: SourceType[];
}

interface Checkout { readonly mirror: GitMirror; readonly commit: string; readonly root: string }

const toolVersions = 'kustomize/v5.8.1 helm/v4.2.1';

function isHelmRepository(source: ApplicationSource): boolean {
  return Boolean(source.chart) && !/\.git\/?$/.test(source.repoURL) && !source.repoURL.startsWith('file://') && !source.repoURL.startsWith('/');
}

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 24);
}

export async function renderApplication(req: RenderRequest, services: RenderServices): Promise<AppRender> {
  const sources = req.spec.sources?.length ? req.spec.sources : req.spec.source ? [req.spec.source] : [];
  if (sources.length === 0) throw new CapstanError('InvalidSpecError', `app "${req.appName}": spec has no source`);
  const checkouts = await Promise.all(sources.map((s, i) => isHelmRepository(s) ? undefined
    : checkoutSource(req, s, services, req.revisions?.[i]).catch((err: unknown) => { throw sourceError(req.appName, s, err); })));
  const refs = new Map<string, string>();
  sources.forEach((s, i) => { if (s.ref && checkouts[i]) refs.set(s.ref, checkouts[i]!.root); });
  const objects: KubeObject[] = [];
  const revisions: string[] = [];
  const sourceTypes: SourceType[] = [];
  for (const [i, source] of sources.entries()) {
    try {
      const refOnly = source.ref !== undefined && !source.path && !source.chart;
      if (refOnly) { revisions.push(checkouts[i]!.commit); continue; }
      const out = await renderSource(req, source, checkouts[i], refs, services, req.revisions?.[i]);
      objects.push(...out.objects);
      revisions.push(out.revision);
      sourceTypes.push(out.type);
    } catch (err) {
      throw sourceError(req.appName, source, err);
    }
  }
  const tracked = applyTracking(objects, {
    appName: req.appName, namespace: req.spec.destination.namespace ?? '',
    ...(services.tracking ? { tracking: services.tracking } : {}), ...(services.isNamespaced ? { isNamespaced: services.isNamespaced } : {}),
  });
  return { objects: tracked, revisions, sourceTypes };
}

function sourceError(appName: string, source: ApplicationSource, err: unknown): CapstanError {
  if (err instanceof CapstanError && err.message.startsWith(`app "${appName}"`)) return err;
  const where = source.chart ? `chart ${source.chart}` : `path ${source.path ?? '.'}`;
  const code = err instanceof CapstanError ? err.code : 'RenderFailed';
  const retry = err instanceof CapstanError ? err.retry : 'wait';
  return new CapstanError(code, `app "${appName}" source ${redactUrl(source.repoURL)} ${where}: ${describeError(err)}`, { retry, cause: err });
}

const redactUrl = (url: string): string => url.replace(/(https?:\/\/)[^/@\s]+@/, '$1***@');

async function checkoutSource(_req: RenderRequest, source: ApplicationSource, services: RenderServices,
  revision: string | undefined): Promise<Checkout> {
  const mirror = services.repositories.get(source.repoURL);
  await mirror.fetch(services.generation ?? services.repositories.currentGeneration);
  const { commit } = await mirror.resolve(revision ?? source.targetRevision ?? 'HEAD');
  return { mirror, commit, root: await mirror.checkout(commit) };
}

async function renderSource(req: RenderRequest, source: ApplicationSource, checkout: Checkout | undefined,
  refs: ReadonlyMap<string, string>, services: RenderServices, revision: string | undefined): Promise<{ objects: KubeObject[]; revision: string; type: SourceType }> {
  // What a render depends on besides its files; tracking is applied per app afterwards, so the app
  // name only matters where Helm uses it as the release name.
  const helmParams = { helm: source.helm, release: source.helm?.releaseName || req.appName, ns: source.helm?.namespace || req.spec.destination.namespace,
    kubeVersion: services.kubeVersion, apiVersions: services.apiVersions, tools: toolVersions };
  const paramsFor = (type: SourceType): unknown => type === 'Helm' ? helmParams
    : type === 'Kustomize' ? { kustomize: source.kustomize, build: services.kustomizeBuildOptions, tools: toolVersions }
      : type === 'Cdk8s' ? { cdk8s: 1 } : { directory: source.directory };
  if (checkout === undefined) {
    const version = revision ?? source.targetRevision ?? '';
    const key = `chart:${hash([source.repoURL, source.chart, version, helmParams])}`;
    const objects = await services.cache.get(key, async () => {
      const chartDir = await pullChart(services.binaries.helm, source.repoURL, source.chart!, version, services.cacheDir, services.timeoutMs,
        services.helmCredentialsFor?.(source.repoURL));
      return renderHelm({ binary: services.binaries.helm, chartDir, root: path.dirname(chartDir), appName: req.appName,
        namespace: req.spec.destination.namespace ?? '', ...helmContext(source, refs, services) });
    }, { fresh: services.hardRefresh === true });
    return { objects, revision: version, type: 'Helm' };
  }
  const appPath = (source.path ?? '.').replace(/^\/+/, '') || '.';
  const dir = path.resolve(checkout.root, appPath);
  if (!dir.startsWith(checkout.root) || !existsSync(dir)) {
    throw new CapstanError('InvalidSpecError', `${appPath}: app path does not exist`, { retry: 'wait' });
  }
  const type = detectSourceType(source, dir);
  const inputs = type === 'Kustomize' ? kustomizeInputs(checkout.root, appPath)
    : type === 'Helm' ? helmInputs(checkout.root, appPath) : [appPath];
  const refTrees = source.helm?.valueFiles?.some((f) => f.startsWith('$')) ? [...refs.values()] : [];
  const trees = await Promise.all(inputs.map((p) => checkout.mirror.treeHash(checkout.commit, p)));
  const key = `${type}:${hash([source.repoURL, inputs, trees, refTrees, paramsFor(type)])}`;
  const objects = await services.cache.get(key, () => renderChecked(type, req, source, checkout.root, appPath, refs, services),
    { fresh: services.hardRefresh === true });
  return { objects, revision: checkout.commit, type };
}

/** A chart's directory plus the local (file://) dependencies it builds from, relative to the checkout root. */
function helmInputs(root: string, chartPath: string): string[] {
  const inputs = [chartPath];
  try {
    const chart = parse(readFileSync(path.join(root, chartPath, 'Chart.yaml'), 'utf8')) as { dependencies?: Array<{ repository?: string }> } | null;
    for (const dep of chart?.dependencies ?? []) {
      if (!dep.repository?.startsWith('file://')) continue;
      const rel = path.relative(root, path.resolve(root, chartPath, dep.repository.slice('file://'.length)));
      if (!rel.startsWith('..')) inputs.push(rel);
    }
  } catch {
    // helm reports an unreadable Chart.yaml itself
  }
  return inputs;
}

function helmContext(source: ApplicationSource, refs: ReadonlyMap<string, string>, services: RenderServices) {
  return {
    ...(source.helm ? { helm: source.helm } : {}), refs,
    ...(services.kubeVersion ? { kubeVersion: services.kubeVersion } : {}),
    ...(services.apiVersions ? { apiVersions: services.apiVersions } : {}),
    ...(services.timeoutMs ? { timeoutMs: services.timeoutMs } : {}),
  };
}

async function renderChecked(type: SourceType, req: RenderRequest, source: ApplicationSource, root: string, appPath: string,
  refs: ReadonlyMap<string, string>, services: RenderServices): Promise<KubeObject[]> {
  const dir = path.join(root, appPath);
  switch (type) {
    case 'Directory':
      return (await renderDirectory(dir, source.directory ?? {}, appPath)).objects;
    case 'Kustomize':
      return renderKustomize({ binary: services.binaries.kustomize, root, appPath, helmBinary: services.binaries.helm,
        ...(source.kustomize ? { overrides: source.kustomize } : {}),
        ...(services.kustomizeBuildOptions ? { buildOptions: services.kustomizeBuildOptions } : {}),
        ...(services.timeoutMs ? { timeoutMs: services.timeoutMs } : {}) });
    case 'Helm':
      return renderHelm({ binary: services.binaries.helm, chartDir: dir, root, appName: req.appName,
        namespace: req.spec.destination.namespace ?? '', ...helmContext(source, refs, services) });
    case 'Cdk8s':
      return renderCdk8s({ dir, cacheDir: services.cacheDir, ...(services.timeoutMs ? { timeoutMs: services.timeoutMs } : {}) });
  }
}
