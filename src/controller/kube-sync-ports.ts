// The sync engine's ports over a real cluster. Capstan applies server-side
// and forces conflicts (it owns what it renders, which is also what makes
// self-heal revert a manual edit), as field manager `capstan`, or
// `argocd-controller` under ServerSideApply=true (Argo CD's manager, so apps
// move between the two engines without stranding fields); before applying,
// fields owned by the managers it takes over (kubectl's client-side apply
// under ServerSideApply=true) are moved to it. Validation is Strict, as
// `kubectl apply` validates, and Ignore under Validate=false. Replace=true
// replaces (creates when absent; CRDs and Namespaces are updated, never
// replaced); under Validate=false the fields the server would drop are left
// out first (a server-side apply refuses them otherwise); Force=true deletes and creates — always with Replace, and for a
// plain apply when the server refuses the change (conflict, immutable field),
// as `kubectl apply --force` does. An applied CRD is waited for until
// Established (3 s at most, as Argo CD). Every write is handed to `onWritten`
// so the live cache is never behind what the sync did. A plan dry run of an
// apply the server-side diff already dry-ran (same body, manager, validation
// and live resourceVersion) is answered by that prediction instead of a
// second request, and a real apply's answer becomes the prediction for the
// version it produced, so the compare after a sync needs no dry run either.
import { setTimeout as sleep } from 'node:timers/promises';
import { groupOf, type KubeObject } from '../api/kube-object.ts';
import { hookFinalizer } from '../api/sync-annotations.ts';
import { CapstanError } from '../errors.ts';
import { isNotFound, KubeApiError } from '../kube/api-error.ts';
import type { KubeClient } from '../kube/kube-client.ts';
import { keepDeclaredFields } from '../sync/execute/declared-fields.ts';
import { migrateManagedFields, type ManagedFieldsEntry } from '../sync/execute/managed-fields-migration.ts';
import type { HealthResult, SyncPorts } from '../sync/execute/sync-ports.ts';
import { applyRequestOf, type ApplyMode } from '../sync/plan/task-actions.ts';
import type { ApplyPredictions, DryRunApply } from '../diff/server-side-diff.ts';

export { capstanFieldManager as fieldManager } from '../sync/plan/task-actions.ts';

/** The server-side diff's dry run through `client`: the request the real apply sends (`applyRequestOf`), with dryRun=All. */
export function dryRunApplyWith(client: KubeClient): DryRunApply {
  return (desired, request) => client.apply(desired, { ...request, force: true, dryRun: true });
}

export interface KubeSyncPortsOptions {
  readonly client: KubeClient;
  readonly assessHealth: (live: KubeObject) => HealthResult | undefined;
  readonly waveDelayMs?: number;
  /** Every object the sync created, changed or replaced, as the server answered. */
  readonly onWritten?: (obj: KubeObject) => void;
  readonly crdReadyTimeoutMs?: number;
  /** How long a Force recreation waits for the old object to go. */
  readonly recreateTimeoutMs?: number;
  /** The server-side diff's predictions of the same cluster. */
  readonly predictions?: ApplyPredictions;
}

function resultName(obj: KubeObject): string {
  const group = groupOf(obj.apiVersion);
  return `${obj.kind.toLowerCase()}${group ? `.${group}` : ''}/${obj.metadata.name ?? ''}`;
}

const capitalized = { foreground: 'Foreground', background: 'Background', orphan: 'Orphan' } as const;

const isCrd = (obj: KubeObject): boolean => obj.kind === 'CustomResourceDefinition' && groupOf(obj.apiVersion) === 'apiextensions.k8s.io';

/** The server refused a change it would accept on a new object (409, or 422 for an immutable field). */
const refusedChange = (err: unknown): boolean => err instanceof KubeApiError && (err.status === 409 || err.status === 422);

export function kubeSyncPorts(options: KubeSyncPortsOptions): SyncPorts {
  const { client } = options;
  const written = (obj: KubeObject, dryRun: boolean): void => { if (!dryRun) options.onWritten?.(obj); };

  async function waitGone(obj: KubeObject): Promise<void> {
    const deadline = Date.now() + (options.recreateTimeoutMs ?? 60_000);
    while (await client.get(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name ?? '') !== undefined) {
      if (Date.now() > deadline) throw new CapstanError('RecreateTimeout', `${resultName(obj)} was deleted to be recreated but is still there`, { retry: 'transient' });
      await sleep(200);
    }
  }

  async function recreate(target: KubeObject, mode: ApplyMode): Promise<void> {
    await client.delete(target, { propagationPolicy: 'Background' });
    await waitGone(target);
    written(await client.apply(target, { ...applyRequestOf(mode), force: true }), false);
  }

  async function waitEstablished(crd: KubeObject): Promise<void> {
    const deadline = Date.now() + (options.crdReadyTimeoutMs ?? 3000);
    while (Date.now() < deadline) {
      const live = await client.get(crd.apiVersion, crd.kind, undefined, crd.metadata.name ?? '');
      const conditions = (live?.['status'] as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
      if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) return;
      await sleep(100);
    }
  }

  /** Validate=false: the target as the server decodes it, without the fields it would drop (see declared-fields.ts). */
  async function declaredOnly(target: KubeObject, mode: ApplyMode): Promise<KubeObject> {
    if (mode.validate) return target;
    const { name, resourceVersion: _rv, uid: _uid, ...meta } = target.metadata;
    const probe: KubeObject = { ...target, metadata: { ...meta, generateName: `${(name ?? 'probe').slice(0, 40)}-` } };
    const decoded = await client.create(probe, { dryRun: true, fieldManager: mode.fieldManager, fieldValidation: 'Ignore' }).catch(() => undefined);
    return decoded === undefined ? target : keepDeclaredFields(target, decoded);
  }

  /** Moves the fields of the managers `mode.migrateFrom` names to `mode.fieldManager`. */
  async function migrate(target: KubeObject, live: KubeObject, mode: ApplyMode): Promise<void> {
    // Objects the engine does not track yet are cached without managedFields: read them.
    const current = live.metadata.managedFields !== undefined ? live
      : await client.get(target.apiVersion, target.kind, target.metadata.namespace, target.metadata.name ?? '');
    const entries = (current?.metadata.managedFields ?? []) as ManagedFieldsEntry[];
    const next = migrateManagedFields(entries, mode.fieldManager, mode.migrateFrom, new Date().toISOString().replace(/\.\d+Z$/, 'Z'));
    if (current === undefined || next === undefined) return;
    await client.patch(current, JSON.stringify([
      { op: 'test', path: '/metadata/resourceVersion', value: current.metadata.resourceVersion },
      { op: 'replace', path: '/metadata/managedFields', value: next },
    ]), 'json');
  }

  return {
    async apply(asWritten, { dryRun, mode, live }) {
      const suffix = dryRun ? ' (server dry run)' : '';
      const target = await declaredOnly(asWritten, mode);
      const request = applyRequestOf(mode);
      if (mode.replace) {
        if (live === undefined) {
          written(await client.create(target, { dryRun, ...request }), dryRun);
          return `${resultName(target)} created${suffix}`;
        }
        const update = { ...target, metadata: { ...target.metadata, resourceVersion: live.metadata.resourceVersion } };
        if (isCrd(target) || (target.kind === 'Namespace' && groupOf(target.apiVersion) === '')) {
          written(await client.replace(update, { dryRun, ...request }), dryRun);
          return `${target.kind}/${target.metadata.name ?? ''} updated${suffix}`;
        }
        if (mode.force && !dryRun) {
          await recreate(target, mode);
        } else if (mode.force) {
          // Validate as the new object it will be: a change the server refuses to make is what Force is for.
          await client.apply(target, { ...request, force: true, dryRun: true })
            .catch((err: unknown) => { if (!refusedChange(err)) throw err; });
        } else {
          written(await client.replace(update, { dryRun, ...request }), dryRun);
        }
        return `${resultName(target)} replaced${suffix}`;
      }
      if (!dryRun && live !== undefined && mode.migrateFrom.length > 0) await migrate(target, live, mode);
      if (dryRun && live !== undefined && options.predictions?.predictionFor(target, request, live) !== undefined) {
        // The server-side diff made this very dry run (same body, request and live content): it succeeded.
        return `${resultName(target)} serverside-applied${suffix}`;
      }
      try {
        const answer = await client.apply(target, { ...request, force: true, dryRun });
        written(answer, dryRun);
        if (!dryRun) options.predictions?.recordApplied(target, request, answer);
      } catch (err) {
        if (!(mode.force && live !== undefined && refusedChange(err))) throw err;
        // The change is refused, so the object will be deleted and created instead.
        if (dryRun) return `${resultName(target)} replaced${suffix}`;
        await recreate(target, mode);
        return `${resultName(target)} replaced`;
      }
      if (isCrd(target) && !dryRun) await waitEstablished(target);
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
      written(await client.patch(current, { metadata: { finalizers: finalizers.filter((f) => f !== hookFinalizer),
        resourceVersion: current.metadata.resourceVersion } }, 'merge'), false);
    },
    isNotFound: (err) => isNotFound(err) || (err as { notFound?: boolean } | undefined)?.notFound === true,
    assessHealth: options.assessHealth,
    waveDelay: () => sleep(options.waveDelayMs ?? 2000),
  };
}

