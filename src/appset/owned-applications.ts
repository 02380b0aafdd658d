// What an ApplicationSet writes to the Applications it generates, as Argo
// CD's createOrUpdateInCluster and utils.CreateOrUpdate do: the ApplicationSet
// is the controller owner (an Application owned by another controller is an
// error, an unowned one is adopted); spec, labels, annotations and
// finalizers come from the template, except the annotations and labels the
// ApplicationSet preserves (`preservedFields`, plus Argo CD's notification
// and refresh annotations) and post-delete finalizers already there. Both
// sides are normalized as NormalizeApplicationSpec does and stripped of the
// `ignoreApplicationDifferences` fields before they are compared; a change is
// a JSON merge patch between the stripped sides, so ignored fields keep their
// live values (lists are replaced whole, as in Argo CD). Pure: the caller
// writes.
import { applicationRefreshAnnotation, type Application, type ApplicationSource, type ApplicationSpec } from '../api/application.ts';
import type { ApplicationSet } from '../api/application-set.ts';
import type { KubeObject, ObjectMeta } from '../api/kube-object.ts';
import { applyIgnoreRules, type IgnoreRules } from '../diff/ignore-differences.ts';
import type { EvalJq } from '../diff/jq.ts';
import { CapstanError } from '../errors.ts';

type OwnerReference = NonNullable<ObjectMeta['ownerReferences']>[number] & { blockOwnerDeletion?: boolean };

const defaultPreservedAnnotations = ['notified.notifications.argoproj.io', applicationRefreshAnnotation];
const postDeleteFinalizer = 'post-delete-finalizer.argocd.argoproj.io';

export function ownerReferenceTo(appSet: ApplicationSet): OwnerReference {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', name: appSet.metadata.name!, uid: appSet.metadata.uid ?? '',
    controller: true, blockOwnerDeletion: true };
}

/** The ApplicationSet that controls an Application (Argo CD indexes by the owner's name). */
export function controllingAppSet(app: Application): string | undefined {
  const ref = app.metadata.ownerReferences?.find((r) => r.controller === true);
  return ref !== undefined && ref.kind === 'ApplicationSet' && ref.apiVersion.startsWith('argoproj.io/') ? ref.name : undefined;
}

/** controllerutil.SetControllerReference: replace our reference or add it; another controller is an error. */
export function withControllerReference(app: Application, appSet: ApplicationSet): OwnerReference[] {
  const ours = ownerReferenceTo(appSet);
  const refs = (app.metadata.ownerReferences ?? []) as OwnerReference[];
  const same = (r: OwnerReference): boolean => r.kind === ours.kind && r.name === ours.name && r.apiVersion.split('/')[0] === 'argoproj.io';
  const other = refs.find((r) => r.controller === true && !same(r));
  if (other !== undefined) {
    throw new CapstanError('AlreadyOwned', `Application ${app.metadata.namespace}/${app.metadata.name} is already owned by another controller: ${other.kind} ${other.name}`);
  }
  return refs.some(same) ? refs.map((r) => (same(r) ? ours : r)) : [...refs, ours];
}

const isEmptyObject = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'object' && Object.keys(v).length === 0);

function normalizeSource(source: ApplicationSource): ApplicationSource {
  const out = { ...source };
  if (isEmptyObject(out.kustomize)) delete out.kustomize;
  if (isEmptyObject(out.helm)) delete out.helm;
  if (isEmptyObject(out.directory)) delete out.directory;
  return out;
}

/** util/argo NormalizeApplicationSpec: project "" is "default", empty syncPolicy and source sections go. */
export function normalizeApplicationSpec(spec: ApplicationSpec): ApplicationSpec {
  const out: ApplicationSpec = { ...spec, project: spec.project || 'default' };
  if (isEmptyObject(out.syncPolicy)) delete out.syncPolicy;
  if (out.sources && out.sources.length > 0) out.sources = out.sources.map(normalizeSource);
  else if (out.source) out.source = normalizeSource(out.source);
  return out;
}

export interface IgnoreOptions {
  readonly evalJq?: EvalJq;
}

/** The ignoreApplicationDifferences rules for one Application (entries without a name apply to all). */
export function ignoreRulesFor(appSet: ApplicationSet, name: string): IgnoreRules {
  const entries = (appSet.spec.ignoreApplicationDifferences ?? []).filter((e) => !e.name || e.name === name);
  return {
    jsonPointers: entries.flatMap((e) => e.jsonPointers ?? []),
    jqPathExpressions: entries.flatMap((e) => e.jqPathExpressions ?? []),
    managedFieldsManagers: [],
  };
}

function pick(source: Readonly<Record<string, string>> | undefined, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (source?.[k] !== undefined) out[k] = source[k]!;
  return out;
}

function metadataOf(generated: Application, live: Application | undefined, appSet: ApplicationSet): ObjectMeta {
  const annotations = { ...generated.metadata.annotations,
    ...pick(live?.metadata.annotations, [...(appSet.spec.preservedFields?.annotations ?? []), ...defaultPreservedAnnotations]) };
  const labels = { ...generated.metadata.labels, ...pick(live?.metadata.labels, appSet.spec.preservedFields?.labels ?? []) };
  const finalizers = [...(generated.metadata.finalizers ?? []), ...(live?.metadata.finalizers ?? []).filter((f) => f.startsWith(postDeleteFinalizer))];
  return {
    name: generated.metadata.name!, namespace: generated.metadata.namespace!,
    ...(Object.keys(labels).length > 0 ? { labels } : {}), ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    ...(finalizers.length > 0 ? { finalizers } : {}),
    ownerReferences: live ? withControllerReference(live, appSet) : [ownerReferenceTo(appSet)],
  };
}

/** The Application to create. */
export function applicationToCreate(generated: Application, appSet: ApplicationSet): Application {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: metadataOf(generated, undefined, appSet),
    spec: normalizeApplicationSpec(generated.spec), ...(generated.operation ? { operation: generated.operation } : {}) };
}

export type ApplicationWrite =
  | { readonly action: 'none' }
  | { readonly action: 'patch'; readonly patch: Record<string, unknown> }
  /** A full update: the desired spec holds nulls, which a merge patch would read as deletions. */
  | { readonly action: 'replace'; readonly object: Application };

/** How the live Application has to change to match the generated one. */
export function planApplicationUpdate(generated: Application, live: Application, appSet: ApplicationSet, options: IgnoreOptions = {}): ApplicationWrite {
  const meta = metadataOf(generated, live, appSet);
  const desired: Record<string, unknown> = { apiVersion: live.apiVersion, kind: live.kind, metadata: meta, spec: normalizeApplicationSpec(generated.spec) };
  const current: Record<string, unknown> = { apiVersion: live.apiVersion, kind: live.kind, metadata: {
    name: live.metadata.name, namespace: live.metadata.namespace,
    ...(live.metadata.labels ? { labels: live.metadata.labels } : {}), ...(live.metadata.annotations ? { annotations: live.metadata.annotations } : {}),
    ...(live.metadata.finalizers ? { finalizers: live.metadata.finalizers } : {}),
    ...(live.metadata.ownerReferences ? { ownerReferences: live.metadata.ownerReferences } : {}),
  }, spec: normalizeApplicationSpec(live.spec) };
  if (generated.operation) {
    desired['operation'] = generated.operation;
    if (live.operation) current['operation'] = live.operation;
  }
  const rules = ignoreRulesFor(appSet, generated.metadata.name!);
  const strippedLive = applyIgnoreRules(current as KubeObject, rules, options.evalJq) as Record<string, unknown>;
  const strippedDesired = applyIgnoreRules(desired as KubeObject, rules, options.evalJq) as Record<string, unknown>;
  // jq must not move the Application: name and namespace are never ignored.
  strippedDesired['metadata'] = { ...(strippedDesired['metadata'] as object), name: meta.name, namespace: meta.namespace };
  strippedLive['metadata'] = { ...(strippedLive['metadata'] as object), name: live.metadata.name, namespace: live.metadata.namespace };
  const patch = mergePatch(strippedLive, strippedDesired);
  if (patch === undefined) return { action: 'none' };
  if (containsNull(strippedDesired['spec'])) {
    return { action: 'replace', object: { ...live, metadata: { ...live.metadata, ...meta }, spec: desired['spec'] as ApplicationSpec,
      ...(generated.operation ? { operation: generated.operation } : {}) } };
  }
  return { action: 'patch', patch: patch as Record<string, unknown> };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function containsNull(v: unknown): boolean {
  if (v === null) return true;
  if (Array.isArray(v)) return v.some(containsNull);
  if (isPlainObject(v)) return Object.values(v).some(containsNull);
  return false;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
  }
  return false;
}

/** RFC 7386 merge patch turning `from` into `to` (undefined: no change). */
export function mergePatch(from: unknown, to: unknown): unknown {
  if (isPlainObject(from) && isPlainObject(to)) {
    const patch: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(to)) {
      if (v === undefined) continue;
      const sub = Object.hasOwn(from, k) && from[k] !== undefined ? mergePatch(from[k], v) : v;
      if (sub !== undefined) patch[k] = sub;
    }
    for (const k of Object.keys(from)) if (from[k] !== undefined && (!Object.hasOwn(to, k) || to[k] === undefined)) patch[k] = null;
    return Object.keys(patch).length === 0 ? undefined : patch;
  }
  return sameJson(from, to) ? undefined : to;
}
