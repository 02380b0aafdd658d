// `capstan up`: a local platform in one command — a local cluster, the bundled
// example platform published as local git repositories (cnoe://<name>), the
// engine, and the example's bootstrap Applications; it prints each app's sync
// and health as they converge. `--cluster NAME` adds destination clusters
// (`capstan up --bootstrap vclusters --cluster dev-vcluster --cluster
// staging-vcluster` runs the seed layout). `--package DIR` runs idpbuilder
// packages as `idpbuilder create --package DIR` does, and `--synth DIR`
// synthesizes a platform program (`npm run synth`) into its packages first and
// again whenever its sources change. The API server and web UI run in the same
// process (`--port`, default 8080), and so does a git server of the platform
// repositories (`--git-port`, default 8081): clone, commit, push, and the apps
// that read the repository sync at once. Ctrl-C stops everything it started.
import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { capstanHome } from '../env.ts';
import { defaultUiDir, parsePort } from './server.ts';

const bundledExamples = fileURLToPath(new URL('../../../examples', import.meta.url));
const repeatable = (value: string, previous: string[]): string[] => [...previous, value];

interface UpFlags {
  name: string;
  platform?: string;
  bootstrap?: string;
  exitWhenSynced: boolean;
  cluster: string[];
  package: string[];
  synth: string[];
  port: string;
  gitPort: string;
  uiDir: string;
}

export function registerUpCommand(program: Command): void {
  program.command('up').description('start a local cluster and the engine, and sync an example platform or idpbuilder packages')
    .option('--name <name>', 'cluster name', 'capstan')
    .option('--platform <dir>', `folder whose sub-folders are the platform repositories (default: ${bundledExamples}, unless packages are given)`)
    .option('--bootstrap <repo>', 'repository whose argocd/bootstrap/*.yaml Applications start the platform (default: helm-envs, unless packages are given)')
    .option('--exit-when-synced', 'stop once every app is Synced or has a manual sync policy (for scripts)', false)
    .option('--cluster <name>', 'also start a local cluster of that name and register it as a destination (repeatable)', repeatable, [] as string[])
    .option('--package <dir>', 'an idpbuilder package directory: its *.yaml Applications, their cnoe:// folders as repositories (repeatable)', repeatable, [] as string[])
    .option('--synth <dir>', 'a platform program: `npm run synth` there, then its output directory as a --package (repeatable)', repeatable, [] as string[])
    .option('--port <port>', 'port of the API server and web UI (a busy one falls back to a free port)', '8080')
    .option('--git-port <port>', 'port of the git server of the platform repositories (a busy one falls back to a free port)', '8081')
    .option('--ui-dir <dir>', 'directory of the web UI build', defaultUiDir)
    .action(async (opts: UpFlags) => {
      const { runLocalPlatform } = await import('../../platform/local-platform.ts');
      // With packages, the bundled examples are published and bootstrapped only when asked for.
      const withPackages = opts.package.length + opts.synth.length > 0;
      const bootstrap = opts.bootstrap ?? (withPackages ? undefined : 'helm-envs');
      const platformDir = opts.platform ?? (bootstrap !== undefined ? bundledExamples : undefined);
      const code = await runLocalPlatform({ home: capstanHome(), clusterName: opts.name,
        ...(platformDir !== undefined ? { platformDir } : {}), ...(bootstrap !== undefined ? { bootstrapRepo: bootstrap } : {}),
        packageDirs: opts.package, synthDirs: opts.synth, exitWhenSynced: opts.exitWhenSynced, destinationClusters: opts.cluster,
        serverPort: parsePort(opts.port), gitPort: parsePort(opts.gitPort), uiDir: opts.uiDir, out: (l) => process.stdout.write(`${l}\n`) });
      process.exitCode = code;
    });
}
