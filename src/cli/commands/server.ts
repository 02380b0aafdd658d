// `capstan server`: the HTTP API (Argo CD's paths) and the web UI against a
// cluster, without the engine — it reads what the controller writes. With
// `capstan controller --serve` the same server runs inside the engine's
// process and shares its caches. The URL is printed; the first start prints
// where the generated admin password is.
import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';

export const defaultUiDir = fileURLToPath(new URL('../../../dist/ui', import.meta.url));

export interface ServeFlags { port: string; address: string; uiDir?: string }

export function withServeFlags(cmd: Command, portFlag = '--port <port>'): Command {
  return cmd.option(portFlag, 'port of the API server', '8080')
    .option('--address <host>', 'address to listen on', '127.0.0.1')
    .option('--ui-dir <dir>', 'directory of the web UI build', defaultUiDir);
}

export function parsePort(raw: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got "${raw}"`);
  return port;
}

export function registerServerCommand(program: Command): void {
  withServeFlags(program.command('server').description('serve the API (Argo CD\'s paths) and the web UI for a cluster'))
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('-n, --namespace <ns>', 'control namespace', 'argocd')
    .option('--repo <mapping...>', 'fetch a repository URL from elsewhere for managed-resources: URL=PATH')
    .action(async (opts: ServeFlags & { kubeconfig?: string; context?: string; namespace: string; repo?: string[] }) => {
      const { KubeClient } = await import('../../kube/kube-client.ts');
      const { installControlPlane } = await import('../../controller/install-crds.ts');
      const { startApiServer } = await import('../../server/start-server.ts');
      const { loadCompatRuntime, startRenderServices } = await import('../../engine.ts');
      const { parseRepoMappings, readRepositoryMap, rewriterFromMap } = await import('../../platform/repository-map.ts');
      const log = (line: string): void => { process.stderr.write(`${new Date().toISOString()} ${line}\n`); };
      const client = KubeClient.fromKubeconfig({ ...(opts.kubeconfig ? { kubeconfigPath: opts.kubeconfig } : {}), ...(opts.context ? { context: opts.context } : {}) });
      await installControlPlane(client, opts.namespace);
      const kubeconfig = opts.kubeconfig ?? process.env['KUBECONFIG']?.split(':')[0];
      const rewrite = rewriterFromMap(new Map([...(kubeconfig ? readRepositoryMap(kubeconfig) : []), ...parseRepoMappings(opts.repo ?? [])]));
      const stop = new AbortController();
      const render = await startRenderServices(client, opts.namespace, { rewriteRepoUrl: rewrite, log, signal: stop.signal });
      const compat = await loadCompatRuntime(log);
      const server = await startApiServer({ client, namespace: opts.namespace, port: parsePort(opts.port), host: opts.address,
        ...(opts.uiDir ? { uiDir: opts.uiDir } : {}), render, ...(compat ? { compat } : {}), log });
      process.stderr.write(`capstan server listening on ${server.url} (namespace ${opts.namespace}); Ctrl-C stops it\n`);
      if (server.generatedPassword !== undefined) {
        process.stderr.write(`the admin password was generated: kubectl -n ${opts.namespace} get secret argocd-initial-admin-secret -o jsonpath='{.data.password}' | base64 -d\n`);
      }
      await new Promise<void>((resolve) => { for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => resolve()); });
      stop.abort();
      await server.close();
      client.close();
    });
}
