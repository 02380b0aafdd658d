// `capstan controller`: runs the engine against a cluster until interrupted;
// with `--serve`, the API server and web UI too, in the same process, sharing
// the engine's caches.
import type { Command } from 'commander';
import { parsePort, withServeFlags, type ServeFlags } from './server.ts';

export function registerControllerCommand(program: Command): void {
  withServeFlags(program.command('controller').description('watch Applications and make clusters match git'), '--serve-port <port>')
    .option('--serve', 'also serve the API and the web UI (see capstan server)', false)
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('-n, --namespace <ns>', 'control namespace', 'argocd')
    .option('--repo <mapping...>', 'serve a repository URL from elsewhere: URL=PATH (e.g. cnoe://shop=/srv/shop)')
    .action(async (opts: Omit<ServeFlags, 'port'> & { servePort: string; serve: boolean; kubeconfig?: string; context?: string; namespace: string; repo?: string[] }) => {
      const { startEngine } = await import('../../engine.ts');
      const { parseRepoMappings, rewriterFromMap } = await import('../../platform/repository-map.ts');
      const rewrite = rewriterFromMap(parseRepoMappings(opts.repo ?? []));
      const engine = await startEngine({
        ...(opts.kubeconfig ? { kubeconfigPath: opts.kubeconfig } : {}), ...(opts.context ? { context: opts.context } : {}),
        namespace: opts.namespace, rewriteRepoUrl: rewrite,
        log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
      });
      process.stderr.write(`capstan controller running in namespace ${engine.namespace}; Ctrl-C stops it\n`);
      let server: { url: string; close(): Promise<void> } | undefined;
      if (opts.serve) {
        const { startApiServer } = await import('../../server/start-server.ts');
        server = await startApiServer({ client: engine.client, namespace: engine.namespace, engine, port: parsePort(opts.servePort), host: opts.address,
          ...(opts.uiDir ? { uiDir: opts.uiDir } : {}), log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`) });
        process.stderr.write(`API server listening on ${server.url}\n`);
      }
      await new Promise<void>((resolve) => {
        for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => resolve());
      });
      await server?.close();
      engine.close();
    });
}
