// `capstan appset generate FILE`: prints the Applications an ApplicationSet
// would produce, offline (no cluster): git generators read --repo-root (or
// fetch their repositories), the clusters generator reads --clusters.
import type { Command } from 'commander';

interface GenerateOpts { repoRoot?: string; clusters?: string; output: 'yaml' | 'json'; cacheDir?: string }

export function registerAppSetCommand(program: Command): void {
  const appset = program.command('appset').description('ApplicationSets');
  appset.command('generate <file>').description('print the Applications an ApplicationSet file generates, without a cluster')
    .option('--repo-root <dir>', 'a working tree the git generators read, whatever their repoURL (default: fetch repoURL)')
    .option('--clusters <file>', 'cluster Secrets (or {name, server, labels} entries) for the clusters generator')
    .option('-o, --output <format>', 'yaml or json', 'yaml')
    .option('--cache-dir <dir>', 'repository cache (default ~/.cache/capstan)')
    .action(async (file: string, opts: GenerateOpts) => {
      const { stringify } = await import('yaml');
      const { loadCompat } = await import('../../compat/load-compat.ts');
      const { generateOffline, readApplicationSets, readClustersFile } = await import('../../appset/generate-offline.ts');
      const { RepositoryStore } = await import('../../source/repository-store.ts');
      const { defaultCacheDir } = await import('../../engine.ts');
      const render = (await loadCompat({ progress: process.stderr })).renderTemplates;
      const clusters = opts.clusters ? readClustersFile(opts.clusters) : [];
      const apps = [];
      for (const set of readApplicationSets(file)) {
        const generated = await generateOffline(set, {
          render, clusters, ...(opts.repoRoot ? { repoRoot: opts.repoRoot }
            : { repositories: new RepositoryStore({ cacheDir: opts.cacheDir ?? process.env['CAPSTAN_CACHE_DIR'] ?? defaultCacheDir() }) }),
        });
        apps.push(...generated.map((g) => g.app));
      }
      process.stdout.write(opts.output === 'json' ? `${JSON.stringify(apps, null, 2)}\n` : apps.map((a) => stringify(a)).join('---\n'));
    });
}
