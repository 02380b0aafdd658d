// The Kustomize source: `kustomize build` of the path. The Application's
// kustomize overrides are applied as Argo CD applies them — `kustomize edit`
// commands (name prefix/suffix, images, replicas, labels, annotations,
// namespace, components) and appended `patches` — on a temporary copy of the
// checkout, never on the shared tree.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import type { ApplicationSourceKustomize } from '../api/application.ts';
import type { KubeObject } from '../api/kube-object.ts';
import { parseToolOutput } from './manifest-parse.ts';
import { runTool } from './run-tool.ts';
import { kustomizationFiles } from './source-type.ts';

export interface KustomizeRun {
  readonly binary: string;
  /** The checkout root and the app path inside it. */
  readonly root: string;
  readonly appPath: string;
  readonly overrides?: ApplicationSourceKustomize;
  /** Extra `kustomize build` flags (argocd-cm kustomize.buildOptions, e.g. --enable-helm). */
  readonly buildOptions?: readonly string[];
  readonly timeoutMs?: number;
  readonly helmBinary?: string;
}

function hasOverrides(o: ApplicationSourceKustomize | undefined): o is ApplicationSourceKustomize {
  if (o === undefined) return false;
  return Boolean(o.namePrefix || o.nameSuffix || o.images?.length || o.replicas?.length || o.namespace
    || Object.keys(o.commonLabels ?? {}).length || Object.keys(o.commonAnnotations ?? {}).length
    || o.components?.length || o.patches?.length);
}

function editCommands(o: ApplicationSourceKustomize): string[][] {
  const cmds: string[][] = [];
  if (o.namePrefix) cmds.push(['set', 'nameprefix', '--', o.namePrefix]);
  if (o.nameSuffix) cmds.push(['set', 'namesuffix', '--', o.nameSuffix]);
  if (o.images?.length) cmds.push(['set', 'image', ...o.images]);
  if (o.replicas?.length) cmds.push(['set', 'replicas', ...o.replicas.map((r) => `${r.name}=${r.count}`)]);
  const labels = Object.entries(o.commonLabels ?? {}).map(([k, v]) => `${k}:${v}`);
  if (labels.length) cmds.push(['add', 'label', ...(o.forceCommonLabels ? ['--force'] : []), ...(o.labelWithoutSelector ? ['--without-selector'] : []), ...labels]);
  const annotations = Object.entries(o.commonAnnotations ?? {}).map(([k, v]) => `${k}:${v}`);
  if (annotations.length) cmds.push(['add', 'annotation', ...(o.forceCommonAnnotations ? ['--force'] : []), ...annotations]);
  if (o.namespace) cmds.push(['set', 'namespace', '--', o.namespace]);
  if (o.components?.length) cmds.push(['add', 'component', ...o.components]);
  return cmds;
}

async function appendPatches(dir: string, patches: NonNullable<ApplicationSourceKustomize['patches']>): Promise<void> {
  const file = kustomizationFiles.map((f) => path.join(dir, f)).find((f) => existsSync(f));
  if (file === undefined) return;
  const doc = (parse(await readFile(file, 'utf8')) ?? {}) as Record<string, unknown>;
  doc['patches'] = [...((doc['patches'] as unknown[]) ?? []), ...patches];
  await writeFile(file, stringify(doc));
}

export async function renderKustomize(run: KustomizeRun): Promise<KubeObject[]> {
  const env: Record<string, string> = run.helmBinary ? { PATH: `${path.dirname(run.helmBinary)}:${process.env['PATH'] ?? ''}` } : {};
  const build = (dir: string): Promise<string> =>
    runTool(run.binary, ['build', dir, ...(run.buildOptions ?? [])], { timeoutMs: run.timeoutMs ?? 90_000, env });
  if (!hasOverrides(run.overrides)) return parseToolOutput(await build(path.join(run.root, run.appPath)), 'kustomize build');
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'capstan-kustomize-'));
  try {
    await cp(run.root, tmp, { recursive: true });
    const dir = path.join(tmp, run.appPath);
    for (const args of editCommands(run.overrides)) await runTool(run.binary, ['edit', ...args], { cwd: dir, timeoutMs: 30_000 });
    if (run.overrides.patches?.length) await appendPatches(dir, run.overrides.patches);
    return parseToolOutput(await build(dir), 'kustomize build');
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
