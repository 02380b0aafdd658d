// `capstan app`: list, get, diff, sync, wait, history, rollback, terminate-op,
// confirm-deletion and delete Applications through the Kubernetes API, with the flags of Argo
// CD's `argocd app` commands. Exit codes: 0 done, 1 the operation failed, a
// wait timed out or the application does not exist, 2 usage errors (and a
// rollback refused under automated sync); `diff` exits as `argocd app diff`
// does: 0 no difference, 1 differences, 2 an error.
import { Command } from 'commander';
import { CapstanError } from '../../errors.ts';
import type { Application } from '../../api/application.ts';
import type { KubeClient } from '../../kube/kube-client.ts';

interface Common { kubeconfig?: string; context?: string; namespace: string }

function withCommon(cmd: Command): Command {
  return cmd.option('--kubeconfig <path>', 'kubeconfig file').option('--context <name>', 'kubeconfig context')
    .option('-n, --namespace <ns>', 'namespace of the Applications', 'argocd');
}

async function clientFor(opts: Common): Promise<KubeClient> {
  const { KubeClient } = await import('../../kube/kube-client.ts');
  return KubeClient.fromKubeconfig({ ...(opts.kubeconfig ? { kubeconfigPath: opts.kubeconfig } : {}), ...(opts.context ? { context: opts.context } : {}) });
}

async function run(opts: Common, fn: (client: KubeClient, lib: typeof import('./app-client.ts'), fmt: typeof import('./app-format.ts')) => Promise<void>): Promise<void> {
  const client = await clientFor(opts);
  try {
    await fn(client, await import('./app-client.ts'), await import('./app-format.ts'));
  } finally {
    client.close();
  }
}

/** `GROUP:KIND:NAME` or `GROUP:KIND:NAMESPACE/NAME`, as `argocd app sync --resource` takes them. */
export function parseResource(spec: string): { group: string; kind: string; name: string; namespace?: string } {
  const parts = spec.split(':');
  if (parts.length !== 3 || parts[1] === '' || parts[2] === '') {
    throw new CapstanError('Usage', `--resource must be GROUP:KIND:NAME or GROUP:KIND:NAMESPACE/NAME, got "${spec}"`);
  }
  const [group, kind, rest] = parts as [string, string, string];
  const slash = rest.indexOf('/');
  return slash < 0 ? { group, kind, name: rest } : { group, kind, namespace: rest.slice(0, slash), name: rest.slice(slash + 1) };
}

function parseStrategy(value: string): 'apply' | 'hook' {
  if (value !== 'apply' && value !== 'hook') throw new CapstanError('Usage', `--strategy must be apply or hook, got "${value}"`);
  return value;
}

export function registerAppCommand(program: Command): void {
  const app = program.command('app').description('work with Applications');

  withCommon(app.command('list').description('list applications')).action((opts: Common) => run(opts, async (client, lib, fmt) => {
    process.stdout.write(fmt.formatAppList(await lib.listApps(client, opts.namespace)));
  }));

  withCommon(app.command('get <name>').description('show an application and its resources')).action((name: string, opts: Common) =>
    run(opts, async (client, lib, fmt) => {
      const current = await lib.getApp(client, opts.namespace, name);
      process.stdout.write(fmt.formatAppDetail(current, await lib.windowLines(client, current)));
    }));

  withCommon(app.command('diff <name>').description('show what differs between git and the cluster (exit 0: none, 1: differences, 2: error)'))
    .option('--repo <mapping...>', 'fetch a repository URL from elsewhere: URL=PATH (the map `capstan up` records is read by itself)')
    .action(async (name: string, opts: Common & { repo?: string[] }) => {
      try {
        await run(opts, async (client) => {
          const { runAppDiff } = await import('./app-diff-command.ts');
          const { parseRepoMappings, readRepositoryMap, rewriterFromMap } = await import('../../platform/repository-map.ts');
          const kubeconfig = opts.kubeconfig ?? process.env['KUBECONFIG']?.split(':')[0];
          const map = new Map([...(kubeconfig ? readRepositoryMap(kubeconfig) : []), ...parseRepoMappings(opts.repo ?? [])]);
          const differs = await runAppDiff(client, opts.namespace, name, (text) => process.stdout.write(text),
            { rewriteRepoUrl: rewriterFromMap(map) });
          process.exitCode = differs ? 1 : 0;
        });
      } catch (err) {
        process.stderr.write(`capstan: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 2;
      }
    });

  withCommon(app.command('sync <name>').description('sync an application (waits for the result unless --async)'))
    .option('--prune', 'delete resources that are no longer in git', false)
    .option('--dry-run', 'validate only', false)
    .option('--revision <rev>', 'sync to this revision instead of the target revision')
    .option('--resource <group:kind:name...>', 'sync only these resources (GROUP:KIND:NAME or GROUP:KIND:NAMESPACE/NAME; hooks are skipped)')
    .option('--strategy <apply|hook>', 'sync strategy: hook (default) runs hooks, apply does not', parseStrategy)
    .option('--force', 'delete and recreate resources the server refuses to change', false)
    .option('--sync-option <option...>', 'sync options for this sync (default: the application\'s)')
    .option('--async', 'do not wait for the operation', false)
    .option('--timeout <seconds>', 'how long to wait', (v) => Number(v), 300)
    .action((name: string, opts: Common & { prune: boolean; dryRun: boolean; revision?: string; resource?: string[]; strategy?: 'apply' | 'hook';
      force: boolean; syncOption?: string[]; async: boolean; timeout: number }) =>
      run(opts, async (client, lib, fmt) => {
        const current = await lib.getApp(client, opts.namespace, name);
        await lib.assertManualSyncAllowed(client, current);
        const strategy = opts.strategy === 'apply' ? { apply: { force: opts.force } } : opts.force || opts.strategy === 'hook' ? { hook: { force: opts.force } } : undefined;
        const since = await lib.requestOperation(client, current, { sync: {
          prune: opts.prune, dryRun: opts.dryRun, ...(opts.revision ? { revision: opts.revision } : {}),
          ...(opts.resource ? { resources: opts.resource.map(parseResource) } : {}), ...(strategy ? { syncStrategy: strategy } : {}),
          syncOptions: opts.syncOption ?? current.spec.syncPolicy?.syncOptions ?? [] } });
        if (opts.async) return;
        await report(await lib.waitForOperation(client, opts.namespace, name, since, opts.timeout * 1000), fmt.formatAppDetail);
      }));

  withCommon(app.command('wait <name>').description('wait until an application is synced, healthy and done with its operation'))
    .option('--sync', 'wait for Synced', false).option('--health', 'wait for Healthy', false)
    .option('--operation', 'wait for the running operation to finish', false)
    .option('--timeout <seconds>', 'give up after', (v) => Number(v), 300)
    .action((name: string, opts: Common & { sync: boolean; health: boolean; operation: boolean; timeout: number }) => run(opts, async (client, lib) => {
      const deadline = Date.now() + opts.timeout * 1000;
      const { setTimeout: sleep } = await import('node:timers/promises');
      // As `argocd app wait`: with no flag, wait for all three.
      const all = !opts.sync && !opts.health && !opts.operation;
      for (;;) {
        const a = await lib.getApp(client, opts.namespace, name);
        const phase = a.status?.operationState?.phase;
        const syncOk = !(all || opts.sync) || a.status?.sync?.status === 'Synced';
        const healthOk = !(all || opts.health) || a.status?.health?.status === 'Healthy';
        const operationOk = !(all || opts.operation) || (a.operation === undefined && phase !== 'Running' && phase !== 'Terminating');
        if (syncOk && healthOk && operationOk) {
          process.stdout.write(`${name}: ${a.status?.sync?.status ?? 'Unknown'} ${a.status?.health?.status ?? 'Unknown'}\n`);
          return;
        }
        if (Date.now() > deadline) {
          process.stderr.write(`timed out (${opts.timeout}s) waiting for ${name}: it is ${a.status?.sync?.status ?? 'Unknown'} and ${a.status?.health?.status ?? 'Unknown'}`
            + `${phase ? `, operation ${phase}` : ''}\n`);
          process.exitCode = 1;
          return;
        }
        await sleep(1000);
      }
    }));

  withCommon(app.command('history <name>').description('list the revisions an application was synced to')).action((name: string, opts: Common) =>
    run(opts, async (client, lib, fmt) => { process.stdout.write(fmt.formatHistory(await lib.getApp(client, opts.namespace, name))); }));

  withCommon(app.command('rollback <name> <id>').description('sync to the revision of a history entry'))
    .option('--timeout <seconds>', 'how long to wait', (v) => Number(v), 300)
    .action((name: string, id: string, opts: Common & { timeout: number }) => run(opts, async (client, lib, fmt) => {
      const current = await lib.getApp(client, opts.namespace, name);
      const { rollbackOperation } = await import('../../controller/app-operations.ts');
      let operation;
      try {
        operation = rollbackOperation(current, id, { prune: true });
      } catch (err) {
        // A refused rollback is a usage error (exit 2); an unknown id is a missing thing (exit 1).
        if (err instanceof CapstanError && err.code === 'FailedPrecondition') throw new CapstanError('Usage', err.message);
        if (err instanceof CapstanError && err.code === 'InvalidArgument') throw new CapstanError('NotFound', `application "${name}" has no history entry ${id}`);
        throw err;
      }
      const since = await lib.requestOperation(client, current, operation);
      await report(await lib.waitForOperation(client, opts.namespace, name, since, opts.timeout * 1000), fmt.formatAppDetail);
    }));

  withCommon(app.command('terminate-op <name>').description('stop the running operation')).action((name: string, opts: Common) =>
    run(opts, async (client, lib) => {
      await lib.terminateOperation(client, await lib.getApp(client, opts.namespace, name));
      process.stdout.write(`terminating the operation of ${name}\n`);
    }));

  withCommon(app.command('confirm-deletion <name>').description('approve the Prune=confirm / Delete=confirm deletions the application waits for'))
    .action((name: string, opts: Common) => run(opts, async (client, lib) => {
      const { confirmDeletion } = await import('../../controller/app-operations.ts');
      const at = await confirmDeletion(client, await lib.getApp(client, opts.namespace, name));
      process.stdout.write(`deletions of ${name} approved at ${at}\n`);
    }));

  withCommon(app.command('delete <name>').description('delete an application'))
    .option('--cascade <bool>', 'also delete its resources', (v) => v !== 'false', true)
    .action((name: string, opts: Common & { cascade: boolean }) => run(opts, async (client, lib) => {
      const current = await lib.getApp(client, opts.namespace, name);
      const { deleteApplication } = await import('../../controller/app-operations.ts');
      await deleteApplication(client, current, opts.cascade);
      process.stdout.write(`application ${name} deleted${opts.cascade ? ' with its resources' : ', its resources kept'}\n`);
    }));
}

async function report(app: Application, format: (a: Application) => string): Promise<void> {
  process.stdout.write(format(app));
  if (app.status?.operationState?.phase !== 'Succeeded') process.exitCode = 1;
}
