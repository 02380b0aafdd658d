// The Helm source: `helm template` with Argo CD's arguments — release name
// (default: the app name), namespace, kube version and API versions, value
// files (relative to the chart, or `$ref/...` from another source; missing
// ones skipped with ignoreMissingValueFiles), `values`/`valuesObject`,
// parameters (--set / --set-string), file parameters, CRDs unless skipCrds.
// Charts with unvendored dependencies are built on a temporary copy; charts
// from an HTTP chart repository are pulled once per version into the cache.
import { cp, mkdtemp, readFile, rm, writeFile, mkdir, rename } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import type { ApplicationSourceHelm } from '../api/application.ts';
import type { KubeObject } from '../api/kube-object.ts';
import { CapstanError } from '../errors.ts';
import { parseToolOutput } from './manifest-parse.ts';
import { runTool } from './run-tool.ts';

export interface HelmRun {
  readonly binary: string;
  /** The chart directory and the checkout root it lives in (value files may not leave it). */
  readonly chartDir: string;
  readonly root: string;
  readonly appName: string;
  readonly namespace: string;
  readonly helm?: ApplicationSourceHelm;
  /** Checkout roots of `ref` sources, for `$ref/path` value files. */
  readonly refs?: ReadonlyMap<string, string>;
  readonly kubeVersion?: string;
  readonly apiVersions?: readonly string[];
  readonly timeoutMs?: number;
}

function resolveValueFile(run: HelmRun, file: string): string | undefined {
  let base = run.chartDir;
  let rootDir = run.root;
  let rel = file;
  const ref = /^\$([^/]+)\/(.*)$/.exec(file);
  if (ref !== null) {
    const refRoot = run.refs?.get(ref[1]!);
    if (refRoot === undefined) throw new CapstanError('InvalidSource', `value file ${file}: no source with ref "${ref[1]}"`);
    [base, rootDir, rel] = [refRoot, refRoot, ref[2]!];
  }
  const full = path.resolve(base, rel);
  if (full !== rootDir && !full.startsWith(rootDir + path.sep)) {
    throw new CapstanError('InvalidSource', `value file ${file} is outside the repository`);
  }
  if (existsSync(full)) return full;
  if (run.helm?.ignoreMissingValueFiles) return undefined;
  throw new CapstanError('MissingValueFile', `value file ${file} not found`);
}

/** Argo CD merges `values` (YAML text) and `valuesObject` (which wins) into one extra values file. */
function inlineValues(helm: ApplicationSourceHelm | undefined): string | undefined {
  if (helm === undefined) return undefined;
  const fromText = helm.values ? (parse(helm.values) as Record<string, unknown> | null) ?? {} : undefined;
  const fromObject = helm.valuesObject as Record<string, unknown> | undefined;
  if (fromText === undefined && fromObject === undefined) return undefined;
  return stringify(fromObject !== undefined ? { ...fromText, ...fromObject } : fromText);
}

function templateArgs(run: HelmRun, chart: string, valuesFile: string | undefined): string[] {
  const h = run.helm ?? {};
  const args = ['template', chart, '--name-template', h.releaseName || run.appName];
  const ns = h.namespace || run.namespace;
  if (ns) args.push('--namespace', ns);
  const kubeVersion = h.kubeVersion || run.kubeVersion;
  if (kubeVersion) args.push('--kube-version', kubeVersion);
  for (const file of h.valueFiles ?? []) {
    const resolved = resolveValueFile(run, file);
    if (resolved !== undefined) args.push('--values', resolved);
  }
  if (valuesFile !== undefined) args.push('--values', valuesFile);
  for (const p of h.parameters ?? []) args.push(p.forceString ? '--set-string' : '--set', `${p.name}=${p.value}`);
  for (const p of h.fileParameters ?? []) {
    const file = resolveValueFile({ ...run, helm: { ...h, ignoreMissingValueFiles: false } }, p.path);
    args.push('--set-file', `${p.name}=${file}`);
  }
  if (!h.skipCrds) args.push('--include-crds');
  if (h.skipSchemaValidation) args.push('--skip-schema-validation');
  if (h.skipTests) args.push('--skip-tests');
  for (const v of h.apiVersions?.length ? h.apiVersions : run.apiVersions ?? []) args.push('--api-versions', v);
  return args;
}

function missingDependencies(chartDir: string, chartYaml: string): boolean {
  const deps = ((parse(chartYaml) as { dependencies?: Array<{ name: string }> } | null)?.dependencies) ?? [];
  if (deps.length === 0) return false;
  const vendored = existsSync(path.join(chartDir, 'charts')) ? readdirSync(path.join(chartDir, 'charts')) : [];
  return deps.some((d) => !vendored.some((f) => f === d.name || (f.startsWith(`${d.name}-`) && f.endsWith('.tgz'))));
}

export async function renderHelm(run: HelmRun): Promise<KubeObject[]> {
  const chartYamlPath = path.join(run.chartDir, 'Chart.yaml');
  if (!existsSync(chartYamlPath)) throw new CapstanError('InvalidSource', `no Chart.yaml in ${run.chartDir}`);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'capstan-helm-'));
  try {
    let chart = run.chartDir;
    if (missingDependencies(run.chartDir, await readFile(chartYamlPath, 'utf8'))) {
      // Build dependencies on a copy of the whole checkout, so file:// paths outside the chart still resolve.
      await cp(run.root, path.join(tmp, 'root'), { recursive: true });
      chart = path.join(tmp, 'root', path.relative(run.root, run.chartDir));
      await runTool(run.binary, ['dependency', 'build', chart], { timeoutMs: run.timeoutMs ?? 90_000, env: helmEnv(tmp) });
    }
    const inline = inlineValues(run.helm);
    let valuesFile: string | undefined;
    if (inline !== undefined) await writeFile(valuesFile = path.join(tmp, 'inline-values.yaml'), inline);
    const out = await runTool(run.binary, templateArgs(run, chart, valuesFile), { timeoutMs: run.timeoutMs ?? 90_000, env: helmEnv(tmp) });
    return parseToolOutput(out, 'helm template');
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Helm keeps its config and cache per run, away from the user's. */
function helmEnv(dir: string): Record<string, string> {
  return { HELM_CONFIG_HOME: path.join(dir, 'helm-config'), HELM_CACHE_HOME: path.join(dir, 'helm-cache'), HELM_DATA_HOME: path.join(dir, 'helm-data') };
}

/** Credentials of an HTTP chart repository (from a `type: helm` repository Secret). */
export interface HelmRepositoryCredentials {
  readonly username?: string;
  readonly password?: string;
  readonly insecureSkipTlsVerify?: boolean;
}

/** Pulls `chart` at `version` from an HTTP chart repository into the cache (once per version); returns its directory. */
export async function pullChart(binary: string, repoURL: string, chart: string, version: string, cacheDir: string,
  timeoutMs = 90_000, credentials?: HelmRepositoryCredentials): Promise<string> {
  const key = createHash('sha256').update(`${repoURL}\n${chart}\n${version}`).digest('hex').slice(0, 20);
  const dest = path.join(cacheDir, 'charts', key);
  if (existsSync(path.join(dest, chart, 'Chart.yaml'))) return path.join(dest, chart);
  await mkdir(path.dirname(dest), { recursive: true });
  const tmp = await mkdtemp(`${dest}.tmp-`);
  try {
    // As Argo CD passes them; run-tool never puts arguments into messages.
    const auth = [...(credentials?.username ? ['--username', credentials.username] : []),
      ...(credentials?.password ? ['--password', credentials.password] : []),
      ...(credentials?.insecureSkipTlsVerify ? ['--insecure-skip-tls-verify'] : [])];
    await runTool(binary, ['pull', chart, '--repo', repoURL, ...(version && version !== 'HEAD' ? ['--version', version] : []),
      ...auth, '--untar', '--untardir', tmp], { timeoutMs, env: helmEnv(tmp) });
    await rename(tmp, dest).catch(async () => { await rm(tmp, { recursive: true, force: true }); });
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return path.join(dest, chart);
}
