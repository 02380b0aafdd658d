// `capstan cluster up|down|status|list|kubeconfig|register|unregister`: local
// clusters built from Go modules (etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler, kwok). Several named clusters can
// run at once; `register NAME` starts (or reuses, or resumes) one and writes
// its Argo CD cluster Secret into a control cluster, so Applications there can
// target it by `destination.name`.
import { Command, InvalidArgumentError } from 'commander';
import { capstanHome } from '../env.ts';

interface NameOption { name: string }

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

export function registerClusterCommand(program: Command): void {
  const cluster = program.command('cluster').description('run local Kubernetes clusters built from Go modules');

  cluster.command('up').description('start a local cluster (or report the running one) and print its kubeconfig path')
    .option('--name <name>', 'cluster name', 'capstan')
    .option('--nodes <count>', 'number of kwok fake nodes', positiveInt, 1)
    .option('--port <port>', 'fixed API server port (default: a free one)', positiveInt)
    .option('--timeout <seconds>', 'start-up time limit', positiveInt, 180)
    .option('--resume', 'restart a cluster stopped with `down --keep` on its ports, certificates and data', false)
    .action(async (opts: NameOption & { nodes: number; port?: number; timeout: number; resume: boolean }) => {
      const { startCluster, stopCluster } = await import('../../platform/cluster.ts');
      // Interrupted while starting: the launcher stops whatever it launched; nothing is left behind.
      const interrupt = new AbortController();
      const onInterrupt = (): void => interrupt.abort();
      process.once('SIGINT', onInterrupt);
      process.once('SIGTERM', onInterrupt);
      process.once('SIGHUP', onInterrupt);
      const handle = await startCluster({
        signal: interrupt.signal,
        name: opts.name, nodes: opts.nodes, home: capstanHome(), timeoutMs: opts.timeout * 1000, resume: opts.resume,
        ...(opts.port === undefined ? {} : { apiserverPort: opts.port }),
        progress: (line) => process.stderr.write(`  ${line}\n`),
      }).catch(async (err: unknown) => {
        if (interrupt.signal.aborted) await stopCluster(opts.name, { home: capstanHome() });
        throw err;
      });
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onInterrupt);
      process.off('SIGHUP', onInterrupt);
      const how = handle.alreadyRunning ? 'already running' : `ready in ${(handle.readyMs / 1000).toFixed(1)} s`;
      process.stdout.write(`cluster "${opts.name}" ${how} at ${handle.server}\n`);
      process.stdout.write(`use it with: export KUBECONFIG=${handle.kubeconfig}\n`);
      process.stdout.write(`${handle.kubeconfig}\n`);
    });

  cluster.command('down').description('stop a local cluster and remove its data')
    .option('--name <name>', 'cluster name', 'capstan')
    .option('--keep', 'keep the data directory (logs, etcd data, certificates)', false)
    .action(async (opts: NameOption & { keep: boolean }) => {
      const { stopCluster } = await import('../../platform/cluster.ts');
      const existed = await stopCluster(opts.name, { home: capstanHome(), keep: opts.keep });
      process.stdout.write(existed ? `cluster "${opts.name}" stopped\n` : `cluster "${opts.name}" was not running\n`);
    });

  cluster.command('status').description('show whether each component of a cluster runs')
    .option('--name <name>', 'cluster name', 'capstan')
    .action(async (opts: NameOption) => {
      const { clusterStatus } = await import('../../platform/cluster.ts');
      const status = await clusterStatus(opts.name, { home: capstanHome() });
      process.stdout.write(`cluster "${status.name}": ${status.message}\n`);
      if (status.state !== undefined) process.stdout.write(`  server      ${status.state.server}\n  kubeconfig  ${status.state.kubeconfig}\n`);
      for (const c of status.components) {
        process.stdout.write(`  ${c.component.padEnd(24)} pid ${String(c.pid).padEnd(8)} ${c.running ? 'running' : 'stopped'}  ${c.logFile}\n`);
      }
      if (!status.ready) process.exitCode = 1;
    });

  cluster.command('list').description('list local clusters')
    .action(async () => {
      const { listClusters } = await import('../../platform/cluster.ts');
      const all = await listClusters({ home: capstanHome() });
      if (all.length === 0) process.stdout.write('no clusters\n');
      for (const s of all) process.stdout.write(`${s.name.padEnd(20)} ${s.message.padEnd(12)} ${s.state?.server ?? ''}\n`);
    });

  cluster.command('register').description('start (or reuse) a local cluster and register it with an engine as an Argo CD cluster Secret')
    .argument('<name>', 'local cluster name')
    .option('--control <name>', 'local cluster the engine runs on (where the Secret goes)', 'capstan')
    .option('--kubeconfig <file>', 'kubeconfig of the control cluster (instead of --control)')
    .option('--namespace <ns>', 'the engine\'s control namespace', 'argocd')
    .option('--cluster-name <name>', 'Argo CD cluster name (default: the local cluster name)')
    .option('--label <key=value>', 'label of the cluster Secret, for the clusters generator (repeatable)',
      (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--project <project>', 'make it a project-scoped cluster')
    .option('--nodes <count>', 'number of kwok fake nodes when it is started', positiveInt, 1)
    .action(async (name: string, opts: { control: string; kubeconfig?: string; namespace: string; clusterName?: string; label: string[];
      project?: string; nodes: number }) => {
      const [{ startCluster, clusterStatus }, { registerLocalCluster, localClusterSecretName }, { KubeClient }, { CapstanError }] = await Promise.all([
        import('../../platform/cluster.ts'), import('../../platform/register-cluster.ts'), import('../../kube/kube-client.ts'), import('../../errors.ts')]);
      const labels = Object.fromEntries(opts.label.map((l) => {
        const eq = l.indexOf('=');
        if (eq <= 0) throw new CapstanError('InvalidArgument', `--label ${l}: expected key=value`);
        return [l.slice(0, eq), l.slice(eq + 1)];
      }));
      let kubeconfig = opts.kubeconfig;
      if (kubeconfig === undefined) {
        const control = await clusterStatus(opts.control, { home: capstanHome() });
        if (control.state === undefined) throw new CapstanError('NotFound', `no control cluster named "${opts.control}" (start it with: capstan up, or capstan cluster up --name ${opts.control})`);
        kubeconfig = control.state.kubeconfig;
      }
      const handle = await startCluster({ name, nodes: opts.nodes, home: capstanHome(), resume: true, progress: (line) => process.stderr.write(`  ${line}\n`) });
      const client = KubeClient.fromKubeconfig({ kubeconfigPath: kubeconfig });
      try {
        await registerLocalCluster(client, { home: capstanHome(), name, server: handle.server, namespace: opts.namespace, labels,
          ...(opts.clusterName ? { clusterName: opts.clusterName } : {}), ...(opts.project ? { project: opts.project } : {}) });
      } finally {
        client.close();
      }
      process.stdout.write(`cluster "${name}" at ${handle.server} registered as "${opts.clusterName ?? name}" (Secret ${opts.namespace}/${localClusterSecretName(name)})\n`);
    });

  cluster.command('unregister').description('remove the Argo CD cluster Secret of a local cluster (the cluster keeps running)')
    .argument('<name>', 'local cluster name')
    .option('--control <name>', 'local cluster the engine runs on', 'capstan')
    .option('--kubeconfig <file>', 'kubeconfig of the control cluster (instead of --control)')
    .option('--namespace <ns>', 'the engine\'s control namespace', 'argocd')
    .action(async (name: string, opts: { control: string; kubeconfig?: string; namespace: string }) => {
      const [{ clusterStatus }, { localClusterSecretName }, { KubeClient }, { CapstanError }] = await Promise.all([
        import('../../platform/cluster.ts'), import('../../platform/register-cluster.ts'), import('../../kube/kube-client.ts'), import('../../errors.ts')]);
      const kubeconfig = opts.kubeconfig ?? (await clusterStatus(opts.control, { home: capstanHome() })).state?.kubeconfig;
      if (kubeconfig === undefined) throw new CapstanError('NotFound', `no control cluster named "${opts.control}"`);
      const client = KubeClient.fromKubeconfig({ kubeconfigPath: kubeconfig });
      try {
        const existed = await client.delete({ apiVersion: 'v1', kind: 'Secret', metadata: { name: localClusterSecretName(name), namespace: opts.namespace } });
        process.stdout.write(existed ? `cluster "${name}" unregistered\n` : `cluster "${name}" was not registered\n`);
      } finally {
        client.close();
      }
    });

  cluster.command('kubeconfig').description("print the path of a cluster's admin kubeconfig (last line)")
    .option('--name <name>', 'cluster name', 'capstan')
    .action(async (opts: NameOption) => {
      const { clusterStatus } = await import('../../platform/cluster.ts');
      const status = await clusterStatus(opts.name, { home: capstanHome() });
      if (status.state === undefined) {
        const { CapstanError } = await import('../../errors.ts');
        throw new CapstanError('NotFound', `no cluster named "${opts.name}" (start one with: capstan cluster up --name ${opts.name})`);
      }
      if (!status.ready) process.stderr.write(`warning: cluster "${opts.name}" is ${status.message}\n`);
      process.stdout.write(`${status.state.kubeconfig}\n`);
    });
}
