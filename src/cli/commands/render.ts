// `capstan render`: the manifests an Application's source(s) produce, as a
// YAML stream or JSON, from an Application file or from --repo/--path flags;
// --explain adds the resolved commits, the tools and the time taken.
import { Command } from 'commander';
import { readFileSync } from 'node:fs';

interface RenderOpts {
  repo?: string; path?: string; revision: string; name: string; namespace: string; output: 'yaml' | 'json'; explain: boolean;
  values?: string[]; releaseName?: string; recurse: boolean; cacheDir?: string;
}

export function registerRenderCommand(program: Command): void {
  program.command('render [application-file]').description("print the manifests of an Application's source(s)")
    .option('--repo <url>', 'repository URL or local path (instead of an Application file)')
    .option('--path <path>', 'path in the repository', '.')
    .option('--revision <rev>', 'branch, tag, commit or semver constraint', 'HEAD')
    .option('--name <name>', 'application name (tracking, Helm release name)', 'app')
    .option('--namespace <ns>', 'destination namespace', 'default')
    .option('--values <file...>', 'Helm value files (relative to the chart)')
    .option('--release-name <name>', 'Helm release name')
    .option('--recurse', 'directory sources: include sub-directories', false)
    .option('-o, --output <format>', 'yaml or json', 'yaml')
    .option('--explain', 'print the resolved revision, tool and time on stderr', false)
    .option('--cache-dir <dir>', 'cache directory (default ~/.cache/capstan)')
    .action(async (file: string | undefined, opts: RenderOpts) => {
      const { parse, stringify } = await import('yaml');
      const { CapstanError } = await import('../../errors.ts');
      const { defaultCacheDir } = await import('../../engine.ts');
      const { renderApplication } = await import('../../render/render-application.ts');
      const { RenderCache } = await import('../../render/render-cache.ts');
      const { ensureBinaries } = await import('../../render/tool-binaries.ts');
      const { RepositoryStore } = await import('../../source/repository-store.ts');
      type Spec = import('../../api/application.ts').ApplicationSpec;
      let name = opts.name;
      let spec: Spec;
      if (file !== undefined) {
        const app = parse(readFileSync(file, 'utf8')) as { metadata?: { name?: string }; spec?: Spec };
        if (app?.spec === undefined) throw new CapstanError('Usage', `${file} is not an Application (no spec)`);
        name = app.metadata?.name ?? name;
        spec = app.spec;
      } else if (opts.repo !== undefined) {
        const helm = opts.values || opts.releaseName ? { ...(opts.values ? { valueFiles: opts.values } : {}), ...(opts.releaseName ? { releaseName: opts.releaseName } : {}) } : undefined;
        spec = { project: 'default', destination: { namespace: opts.namespace }, source: { repoURL: opts.repo, path: opts.path, targetRevision: opts.revision,
          ...(helm ? { helm } : {}), ...(opts.recurse ? { directory: { recurse: true } } : {}) } };
      } else {
        throw new CapstanError('Usage', 'give an Application file or --repo');
      }
      const cacheDir = opts.cacheDir ?? process.env['CAPSTAN_CACHE_DIR'] ?? defaultCacheDir();
      const t0 = performance.now();
      const out = await renderApplication({ appName: name, spec }, {
        repositories: new RepositoryStore({ cacheDir }), binaries: await ensureBinaries({ progress: process.stderr }), cacheDir, cache: new RenderCache(),
      });
      if (opts.explain) {
        process.stderr.write(`app ${name}: ${out.objects.length} objects from ${out.sourceTypes.join(', ')} at ${out.revisions.join(', ')} in ${(performance.now() - t0).toFixed(0)} ms\n`);
      }
      process.stdout.write(opts.output === 'json' ? `${JSON.stringify(out.objects, null, 2)}\n`
        : out.objects.map((o) => stringify(o)).join('---\n'));
    });
}
