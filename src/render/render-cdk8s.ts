// The cdk8s source: a TypeScript/JavaScript program that synthesizes
// manifests. It runs on a temporary copy of the source (the shared checkout is
// never written), with node_modules installed by `npm ci` once per lockfile
// hash and reused, under a time limit and a heap limit; the output is every
// YAML file the program wrote to its output directory (cdk8s.yaml `output`,
// default dist/), in name order.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../api/kube-object.ts';
import { CapstanError } from '../errors.ts';
import { parseManifestFile } from './manifest-parse.ts';
import { runTool } from './run-tool.ts';

export interface Cdk8sRun {
  readonly dir: string;
  readonly cacheDir: string;
  readonly timeoutMs?: number;
  /** Heap limit of the synth process in MiB (default 1024). */
  readonly memoryMb?: number;
  readonly npm?: string;
}

async function installedModules(run: Cdk8sRun): Promise<string | undefined> {
  const lock = path.join(run.dir, 'package-lock.json');
  if (!existsSync(path.join(run.dir, 'package.json'))) return undefined;
  if (!existsSync(lock)) throw new CapstanError('InvalidSource', 'cdk8s app has a package.json but no package-lock.json (npm ci needs one)');
  const key = createHash('sha256').update(readFileSync(lock)).digest('hex').slice(0, 20);
  const dest = path.join(run.cacheDir, 'npm', key);
  if (existsSync(path.join(dest, 'node_modules'))) return path.join(dest, 'node_modules');
  await mkdir(path.dirname(dest), { recursive: true });
  const tmp = await mkdtemp(`${dest}.tmp-`);
  try {
    await cp(path.join(run.dir, 'package.json'), path.join(tmp, 'package.json'));
    await cp(lock, path.join(tmp, 'package-lock.json'));
    await runTool(run.npm ?? 'npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: tmp, timeoutMs: run.timeoutMs ?? 300_000 });
    await rename(tmp, dest).catch(async () => { await rm(tmp, { recursive: true, force: true }); });
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return path.join(dest, 'node_modules');
}

function synthCommand(dir: string): { command: string; output: string } {
  const config = path.join(dir, 'cdk8s.yaml');
  const cfg = existsSync(config) ? (parse(readFileSync(config, 'utf8')) as { app?: string; output?: string } | null) ?? {} : {};
  const scripts = existsSync(path.join(dir, 'package.json'))
    ? (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {} : {};
  const command = scripts['synth'] !== undefined ? 'npm run --silent synth' : cfg.app;
  if (command === undefined) throw new CapstanError('InvalidSource', 'cdk8s app has neither a synth script nor an `app` in cdk8s.yaml');
  return { command, output: cfg.output ?? 'dist' };
}

export async function renderCdk8s(run: Cdk8sRun): Promise<KubeObject[]> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'capstan-cdk8s-'));
  try {
    await cp(run.dir, work, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
    const modules = await installedModules({ ...run, dir: work });
    if (modules !== undefined) await symlink(modules, path.join(work, 'node_modules'), 'dir');
    const { command, output } = synthCommand(work);
    await rm(path.join(work, output), { recursive: true, force: true });
    await runTool('sh', ['-c', command], { cwd: work, timeoutMs: run.timeoutMs ?? 120_000,
      env: { NODE_OPTIONS: `--max-old-space-size=${run.memoryMb ?? 1024}`, CDK8S_OUTDIR: output } });
    const outDir = path.join(work, output);
    if (!existsSync(outDir)) throw new CapstanError('RenderFailed', `cdk8s synth wrote no ${output}/ directory`);
    const files = (await readdir(outDir)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
    const objects: KubeObject[] = [];
    for (const f of files) {
      const outcome = parseManifestFile(await readFile(path.join(outDir, f), 'utf8'), `${output}/${f}`);
      if ('objects' in outcome) objects.push(...outcome.objects);
    }
    return objects;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
