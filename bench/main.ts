// `npm run bench -- <name> [...]`: runs the named benchmarks (all when none is
// given). Each prints its figures and ratios; none asserts on time.
const benches: Record<string, { module: string; run: string }> = {
  'sync-plan': { module: './sync-plan.ts', run: 'runSyncPlanBench' },
  render: { module: './render.ts', run: 'runRenderBench' },
  compat: { module: './compat.ts', run: 'runCompatBench' },
  appset: { module: './appset.ts', run: 'runAppsetBench' },
  cache: { module: './cache.ts', run: 'runCacheBench' },
  sync: { module: './sync.ts', run: 'runSyncBench' },
  projects: { module: './projects.ts', run: 'runProjectsBench' },
  server: { module: './server.ts', run: 'runServerBench' },
};

async function main(names: string[]): Promise<void> {
  const selected = names.length > 0 ? names : Object.keys(benches);
  for (const name of selected) {
    const bench = benches[name];
    if (bench === undefined) {
      process.stderr.write(`unknown benchmark "${name}"; known: ${Object.keys(benches).join(', ')}\n`);
      process.exitCode = 2;
      return;
    }
    let mod: Record<string, unknown>;
    try {
      mod = await import(bench.module) as Record<string, unknown>;
    } catch (err) {
      if (names.length === 0 && (err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') continue;
      throw err;
    }
    const run = mod[bench.run];
    if (typeof run !== 'function') throw new Error(`${bench.module} does not export ${bench.run}`);
    process.stdout.write(`\n== ${name}\n`);
    await (run as () => Promise<void>)();
  }
}

await main(process.argv.slice(2));
