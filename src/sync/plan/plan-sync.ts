// planSync: from the reconciled resources of an app (target and live object
// per key) to the ordered list of sync tasks, as Argo CD's sync engine builds
// it: hooks only as hooks (with generated names and the hook finalizer),
// Skip-annotated objects left out, the destination namespace set on targets,
// an optional CreateNamespace task, prune waves mirrored so the last-created
// is pruned first, PruneLast tasks after the last Sync wave, and
// ApplyOutOfSyncOnly leaving unchanged resources alone.
import { groupOf, resourceKey, type KubeObject } from '../../api/kube-object.ts';
import { hookFinalizer, syncOptions, type SyncPhase } from '../../api/sync-annotations.ts';
import { generatedHookName, isHook, syncPhasesOf } from './hooks.ts';
import { hasAppOption, hasResourceOption } from './sync-options.ts';
import { isPruneTask, newTask, sortTasks, taskObject, type SyncTask } from './sync-task.ts';
import { waveOf } from './waves.ts';

export interface PlanResource {
  readonly target?: KubeObject;
  readonly live?: KubeObject;
  /** From the diff: false when target and live already match. */
  readonly modified?: boolean;
}

export interface ManagedNamespaceMetadata {
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

export interface PlanInput {
  /** Every reconciled key of the app: desired objects (hooks included) and tracked live objects. */
  readonly resources: readonly PlanResource[];
  /** Destination namespace. */
  readonly namespace: string;
  /** Resolved commit being synced (hook names use its first 7 characters). */
  readonly revision: string;
  /** Operation start, unix seconds (hook names use it, so a resumed operation names them the same). */
  readonly startedAtUnix: number;
  readonly syncOptions?: readonly string[];
  /** Selective sync or the `apply` strategy: hooks do not run. */
  readonly skipHooks?: boolean;
  /** Selective sync: only these objects. */
  readonly include?: (obj: KubeObject) => boolean;
  /** From discovery; undefined = unknown. Cluster-scoped targets get no namespace. */
  readonly isNamespaced?: (obj: KubeObject) => boolean | undefined;
  /** From discovery: does the API server serve this kind now? */
  readonly isServed?: (obj: KubeObject) => boolean;
  /** The live Namespace named `namespace`, for CreateNamespace. */
  readonly liveNamespace?: KubeObject;
  readonly managedNamespaceMetadata?: ManagedNamespaceMetadata;
  /** The managed namespace metadata the last sync applied (labels/annotations it may have to remove). */
  readonly previousManagedNamespaceMetadata?: ManagedNamespaceMetadata;
  /** A dry-run operation: nothing is created, not even the destination namespace. */
  readonly dryRun?: boolean;
  /** AppProject check: why this object may not be synced, or undefined when it may. */
  readonly permissionError?: (obj: KubeObject) => string | undefined;
}

export interface PlanError {
  readonly task: SyncTask;
  readonly message: string;
}

export interface SyncPlan {
  readonly tasks: readonly SyncTask[];
  /** Tasks that cannot run (e.g. a kind the server does not serve); the sync fails before any change. */
  readonly errors: readonly PlanError[];
}

export function planSync(input: PlanInput): SyncPlan {
  const liveByKey = new Map<string, KubeObject>();
  for (const r of input.resources) if (r.live !== undefined) liveByKey.set(resourceKey(r.live), r.live);
  const withNamespace = (obj: KubeObject): KubeObject => setNamespace(obj, input);
  let tasks = [...resourceTasks(input, withNamespace), ...hookTasks(input, withNamespace, liveByKey)];
  const nsTask = createNamespaceTask(input, tasks);
  if (nsTask !== undefined) tasks.push(nsTask);
  const errors: PlanError[] = [];
  tasks = tasks.map((t) => checkServed(t, input, tasks, errors));
  for (const t of tasks) {
    const denied = input.permissionError?.(taskObject(t));
    if (denied !== undefined) errors.push({ task: t, message: denied });
  }
  tasks = skipDryRunInNewNamespaces(tasks, input.dryRun ? undefined : input.namespace);
  tasks = mirrorPruneWaves(tasks);
  tasks = movePruneLast(tasks, hasAppOption(input.syncOptions, syncOptions.pruneLast));
  if (hasAppOption(input.syncOptions, syncOptions.applyOutOfSyncOnly)) {
    const unchanged = new Set(input.resources.filter((r) => r.modified === false && r.target && r.live)
      .map((r) => resourceKey(withNamespace(r.target!))));
    tasks = tasks.filter((t) => t.hook || t.target === undefined || t.live === undefined
      || !unchanged.has(resourceKey(t.target)));
  }
  return { tasks: sortTasks(tasks), errors };
}

function setNamespace(obj: KubeObject, input: PlanInput): KubeObject {
  if (obj.metadata.namespace || input.namespace === '') return obj;
  if (input.isNamespaced?.(obj) === false) return obj;
  return { ...obj, metadata: { ...obj.metadata, namespace: input.namespace } };
}

function resourceTasks(input: PlanInput, withNamespace: (o: KubeObject) => KubeObject): SyncTask[] {
  const tasks: SyncTask[] = [];
  for (const r of input.resources) {
    const obj = r.target ?? r.live;
    if (obj === undefined || isHook(obj)) continue;
    if (input.include !== undefined && !input.include(obj)) continue;
    const target = r.target === undefined ? undefined : withNamespace(r.target);
    for (const phase of syncPhasesOf(obj)) {
      tasks.push(newTask({ phase, wave: waveOf(obj), ...(target ? { target } : {}), ...(r.live ? { live: r.live } : {}), skipDryRun: false }));
    }
  }
  return tasks;
}

function hookTasks(input: PlanInput, withNamespace: (o: KubeObject) => KubeObject,
  liveByKey: ReadonlyMap<string, KubeObject>): SyncTask[] {
  if (input.skipHooks) return [];
  const tasks: SyncTask[] = [];
  for (const r of input.resources) {
    if (r.target === undefined || !isHook(r.target)) continue;
    for (const phase of syncPhasesOf(r.target)) {
      const target = withNamespace(namedHook(r.target, input, phase));
      const live = liveByKey.get(resourceKey(target));
      tasks.push(newTask({ phase, wave: waveOf(target), target, ...(live ? { live } : {}), skipDryRun: false }));
    }
  }
  return tasks;
}

const trackingIdKey = 'argocd.argoproj.io/tracking-id';

function namedHook(hook: KubeObject, input: PlanInput, phase: SyncPhase): KubeObject {
  const meta = { ...hook.metadata };
  if (!meta.name) {
    meta.name = generatedHookName(meta.generateName ?? '', input.revision, phase, input.startedAtUnix);
    // The tracking id was stamped before the name existed; complete it so the created hook is tracked.
    const tid = meta.annotations?.[trackingIdKey];
    if (tid !== undefined && tid.endsWith('/')) meta.annotations = { ...meta.annotations, [trackingIdKey]: `${tid}${meta.name}` };
  }
  const finalizers = meta.finalizers ?? [];
  if (!finalizers.includes(hookFinalizer)) meta.finalizers = [...finalizers, hookFinalizer];
  return { ...hook, metadata: meta };
}

function createNamespaceTask(input: PlanInput, tasks: readonly SyncTask[]): SyncTask | undefined {
  if (!hasAppOption(input.syncOptions, syncOptions.createNamespace) || input.namespace === '') return undefined;
  const declared = tasks.some((t) => {
    const o = t.target;
    return o !== undefined && o.kind === 'Namespace' && groupOf(o.apiVersion) === '' && o.metadata.name === input.namespace;
  });
  if (declared) return undefined;
  const meta = input.managedNamespaceMetadata;
  const target: KubeObject = {
    apiVersion: 'v1', kind: 'Namespace',
    metadata: { name: input.namespace, ...(meta?.labels ? { labels: meta.labels } : {}), ...(meta?.annotations ? { annotations: meta.annotations } : {}) },
  };
  const live = input.liveNamespace;
  if (live !== undefined && !needsNamespaceUpdate(live, meta, input.previousManagedNamespaceMetadata)) return undefined;
  return newTask({ phase: 'PreSync', wave: 0, target, ...(live ? { live } : {}), skipDryRun: false });
}

/** Wanted labels/annotations missing live, or ones the last sync set that are no longer wanted but still there. */
function needsNamespaceUpdate(live: KubeObject, meta: ManagedNamespaceMetadata | undefined,
  previous: ManagedNamespaceMetadata | undefined): boolean {
  const differs = (want: Record<string, string> | undefined, have: Record<string, string> | undefined): boolean =>
    Object.entries(want ?? {}).some(([k, v]) => have?.[k] !== v);
  const dropped = (before: Record<string, string> | undefined, want: Record<string, string> | undefined,
    have: Record<string, string> | undefined): boolean => Object.keys(before ?? {}).some((k) => !(k in (want ?? {})) && have?.[k] !== undefined);
  return differs(meta?.labels, live.metadata.labels) || differs(meta?.annotations, live.metadata.annotations)
    || dropped(previous?.labels, meta?.labels, live.metadata.labels)
    || dropped(previous?.annotations, meta?.annotations, live.metadata.annotations);
}

function checkServed(task: SyncTask, input: PlanInput, tasks: readonly SyncTask[], errors: PlanError[]): SyncTask {
  const obj = taskObject(task);
  if (input.isServed === undefined || input.isServed(obj)) return task;
  const group = groupOf(obj.apiVersion);
  const crdInSync = tasks.some((t) => {
    const spec = t.target?.kind === 'CustomResourceDefinition' ? t.target['spec'] as { group?: string; names?: { kind?: string } } : undefined;
    return spec?.group === group && spec.names?.kind === obj.kind;
  });
  if (crdInSync || hasAppOption(input.syncOptions, syncOptions.skipDryRunOnMissingResource)
    || hasResourceOption(task.target, syncOptions.skipDryRunOnMissingResource)) {
    return { ...task, skipDryRun: true };
  }
  errors.push({ task, message: `the server could not find the requested resource: no matches for kind "${obj.kind}" in version "${obj.apiVersion}"` });
  return task;
}

/**
 * Objects in a namespace that this sync creates cannot be validated by the
 * server before the namespace exists, so their dry run is skipped (Argo CD's
 * client-side dry run does not need the namespace either) — except the
 * destination namespace, which the executor creates before the dry run
 * (unless the whole operation is a dry run).
 */
function skipDryRunInNewNamespaces(tasks: SyncTask[], destination: string | undefined): SyncTask[] {
  const created = new Set(tasks.filter((t) => t.live === undefined && t.target?.kind === 'Namespace'
    && groupOf(t.target.apiVersion) === '' && t.target.metadata.name !== destination).map((t) => t.target!.metadata.name));
  if (created.size === 0) return tasks;
  return tasks.map((t) => (t.target?.metadata.namespace && created.has(t.target.metadata.namespace) ? { ...t, skipDryRun: true } : t));
}

/** Prune waves are mirrored (highest first), so resources are removed in reverse creation order. */
function mirrorPruneWaves(tasks: SyncTask[]): SyncTask[] {
  const waves = [...new Set(tasks.filter(isPruneTask).map((t) => t.wave))].sort((a, b) => a - b);
  const mirror = new Map(waves.map((w, i) => [w, waves[waves.length - 1 - i]!]));
  return tasks.map((t) => (isPruneTask(t) ? { ...t, wave: mirror.get(t.wave) ?? t.wave } : t));
}

/** PruneLast (app option or resource annotation): prune after the last Sync-phase wave. */
function movePruneLast(tasks: SyncTask[], appPruneLast: boolean): SyncTask[] {
  const lastWave = Math.max(0, ...tasks.filter((t) => t.phase === 'Sync').map((t) => t.wave)) + 1;
  return tasks.map((t) => (isPruneTask(t) && (appPruneLast || hasResourceOption(t.live, syncOptions.pruneLast))
    ? { ...t, wave: lastWave } : t));
}
