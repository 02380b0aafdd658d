// `capstan controller`: runs the engine against a cluster until interrupted.
import type { Command } from 'commander';

export function registerControllerCommand(program: Command): void {
  program.command('controller').description('watch Applications and make clusters match git')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('-n, --namespace <ns>', 'control namespace', 'argocd')
    .option('--repo <mapping...>', 'serve a repository URL from elsewhere: URL=PATH (e.g. cnoe://shop=/srv/shop)')
    .action(async (opts: { kubeconfig?: string; context?: string; namespace: string; repo?: string[] }) => {
      const { startEngine } = await import('../../engine.ts');
      const { parseRepoMappings, rewriterFromMap } = await import('../../platform/repository-map.ts');
      const rewrite = rewriterFromMap(parseRepoMappings(opts.repo ?? []));
      const engine = await startEngine({
        ...(opts.kubeconfig ? { kubeconfigPath: opts.kubeconfig } : {}), ...(opts.context ? { context: opts.context } : {}),
        namespace: opts.namespace, rewriteRepoUrl: rewrite,
        log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
      });
      process.stderr.write(`capstan controller running in namespace ${engine.namespace}; Ctrl-C stops it\n`);
      await new Promise<void>((resolve) => {
        for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => resolve());
      });
      engine.close();
    });
}
