// `capstan up`: a local platform in one command — a local cluster, the bundled
// example platform published as local git repositories (cnoe://<name>), the
// engine, and the example's bootstrap Applications; it prints each app's sync
// and health as they converge. `--cluster NAME` adds destination clusters
// (`capstan up --bootstrap vclusters --cluster dev-vcluster --cluster
// staging-vcluster` runs the seed layout). Ctrl-C stops everything it started.
import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { capstanHome } from '../env.ts';

const bundledExamples = fileURLToPath(new URL('../../../examples', import.meta.url));

export function registerUpCommand(program: Command): void {
  program.command('up').description('start a local cluster and the engine, and sync an example platform')
    .option('--name <name>', 'cluster name', 'capstan')
    .option('--platform <dir>', 'folder whose sub-folders are the platform repositories', bundledExamples)
    .option('--bootstrap <repo>', 'repository whose argocd/bootstrap/*.yaml Applications start the platform', 'helm-envs')
    .option('--exit-when-synced', 'stop once every app is Synced or has a manual sync policy (for scripts)', false)
    .option('--cluster <name>', 'also start a local cluster of that name and register it as a destination (repeatable)',
      (value: string, previous: string[]) => [...previous, value], [] as string[])
    .action(async (opts: { name: string; platform: string; bootstrap: string; exitWhenSynced: boolean; cluster: string[] }) => {
      const { runLocalPlatform } = await import('../../platform/local-platform.ts');
      const code = await runLocalPlatform({ home: capstanHome(), clusterName: opts.name, platformDir: opts.platform,
        bootstrapRepo: opts.bootstrap, exitWhenSynced: opts.exitWhenSynced, destinationClusters: opts.cluster,
        out: (l) => process.stdout.write(`${l}\n`) });
      process.exitCode = code;
    });
}
