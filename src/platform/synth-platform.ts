// Synthesizing a platform program (a cdk8s app such as
// examples/cdk8s-platform) for `capstan up --synth DIR`: `npm run synth` when
// its package.json has that script, else cdk8s.yaml's `app` command, in DIR,
// within a time limit; the packages it writes are DIR/<cdk8s.yaml output>
// (default dist/), read as `--package` reads a directory.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CapstanError } from '../errors.ts';
import { runTool } from '../render/run-tool.ts';

export interface SynthTarget {
  /** The program's folder (absolute). */
  readonly dir: string;
  /** Where it writes its packages (absolute). */
  readonly outdir: string;
  readonly command: string;
}

export function synthTargetOf(dir: string): SynthTarget {
  const abs = path.resolve(dir);
  const config = path.join(abs, 'cdk8s.yaml');
  const cfg = existsSync(config) ? (parse(readFileSync(config, 'utf8')) as { app?: string; output?: string } | null) ?? {} : {};
  const pkg = path.join(abs, 'package.json');
  const scripts = existsSync(pkg) ? (JSON.parse(readFileSync(pkg, 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {} : {};
  const command = scripts['synth'] !== undefined ? 'npm run --silent synth' : cfg.app;
  if (command === undefined) throw new CapstanError('InvalidPlatform', `${abs}: no synth script in package.json and no app in cdk8s.yaml`);
  return { dir: abs, outdir: path.resolve(abs, cfg.output ?? 'dist'), command };
}

export async function synthPlatform(target: SynthTarget, timeoutMs = 180_000): Promise<void> {
  try {
    await runTool('sh', ['-c', target.command], { cwd: target.dir, timeoutMs });
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    const hint = /ERR_MODULE_NOT_FOUND|Cannot find (package|module)/.test(detail) ? ` (are its dependencies installed? npm ci in ${target.dir})` : '';
    throw new CapstanError('SynthFailed', `${target.dir}: ${target.command} failed${hint}: ${detail}`, { cause: err });
  }
  if (!existsSync(target.outdir)) throw new CapstanError('SynthFailed', `${target.dir}: ${target.command} wrote no ${path.relative(target.dir, target.outdir)}/`);
}
