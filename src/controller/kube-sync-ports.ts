// The sync engine's ports over a real cluster: server-side apply (Capstan
// owns what it renders, so conflicts with other field managers are forced —
// that is what makes self-heal revert a manual edit), replace/create for
// Replace=true (update for CRDs and Namespaces, as Argo CD does), deletion
// with a propagation policy, and removal of the hook finalizer.
import { setTimeout as sleep } from 'node:timers/promises';
import { groupOf, type KubeObject } from '../api/kube-object.ts';
import { hookFinalizer } from '../api/sync-annotations.ts';
import { isNotFound } from '../kube/api-error.ts';
import type { KubeClient } from '../kube/kube-client.ts';
import type { HealthResult, SyncPorts } from '../sync/execute/sync-ports.ts';

export const fieldManager = 'capstan';

export interface KubeSyncPortsOptions {
  readonly client: KubeClient;
  readonly assessHealth: (live: KubeObject) => HealthResult | undefined;
  readonly waveDelayMs?: number;
}

function resultName(obj: KubeObject): string {
  const group = groupOf(obj.apiVersion);
  return `${obj.kind.toLowerCase()}${group ? `.${group}` : ''}/${obj.metadata.name ?? ''}`;
}

const capitalized = { foreground: 'Foreground', background: 'Background', orphan: 'Orphan' } as const;

export function kubeSyncPorts(options: KubeSyncPortsOptions): SyncPorts {
  const { client } = options;
  return {
    async apply(target, { dryRun, mode, live }) {
      const suffix = dryRun ? ' (server dry run)' : '';
      if (mode.replace) {
        if (live === undefined) {
          await client.create(target, { dryRun, fieldManager });
          return `${resultName(target)} created${suffix}`;
        }
        const update = { ...target, metadata: { ...target.metadata, resourceVersion: live.metadata.resourceVersion } };
        await client.replace(update, { dryRun, fieldManager });
        const verb = target.kind === 'CustomResourceDefinition' || target.kind === 'Namespace' ? 'updated' : 'replaced';
        return `${resultName(target)} ${verb}${suffix}`;
      }
      await client.apply(target, { fieldManager, force: true, dryRun });
      return `${resultName(target)} serverside-applied${suffix}`;
    },
    async remove(obj, { propagationPolicy }) {
      const existed = await client.delete(obj, { propagationPolicy: capitalized[propagationPolicy] });
      if (!existed) throw Object.assign(new Error(`${resultName(obj)} not found`), { notFound: true });
    },
    async removeHookFinalizer(live) {
      const current = await client.get(live.apiVersion, live.kind, live.metadata.namespace, live.metadata.name ?? '');
      const finalizers = current?.metadata.finalizers ?? [];
      if (current === undefined || !finalizers.includes(hookFinalizer)) return;
      await client.patch(current, { metadata: { finalizers: finalizers.filter((f) => f !== hookFinalizer),
        resourceVersion: current.metadata.resourceVersion } }, 'merge');
    },
    isNotFound: (err) => isNotFound(err) || (err as { notFound?: boolean } | undefined)?.notFound === true,
    assessHealth: options.assessHealth,
    waveDelay: () => sleep(options.waveDelayMs ?? 2000),
  };
}
