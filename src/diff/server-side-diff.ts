// Server-side diff, Argo CD's ServerSideDiff strategy (gitops-engine
// pkg/diff): both sides are normalized first (managedFieldsManagers, then
// ignoreDifferences pointers and jq), the normalized desired object is
// applied with dryRun=All (server-side apply, forced like the real apply, with
// the real apply's field manager and validation — the caller passes the
// request `applyRequestOf` decides for that object), and the server's
// predicted object — normalized the same way — is compared with the live
// one, so defaulting, admission and list merging are the server's own.
// Predictions are cached by (desired object, field manager, validation, live
// content), so a steady state makes no API calls, and the sync reuses
// them (`ApplyPredictions`): its whole-plan dry run of the same body and
// request against the same live version is answered from the cache, and the
// answer of a real apply is remembered as the prediction for the version it
// produced (applying that body again as its manager changes nothing, which
// the kube-client-layer test checks on the real API server). The live content
// is the live object without its status, resourceVersion and the managedFields
// entries of the status subresource: a status-only change (a Deployment's
// rollout progress, an HPA's metrics every 15 s) cannot change what an apply
// of the desired object predicts outside status, and status is never compared,
// so it costs no dry run — the effect Argo CD gets from ignoreResourceUpdates
// on status. When
// a dry run is impossible (e.g. the kind is not served yet), or the resource
// asks for it with `compare-options: ServerSideDiff=false`, the local
// comparison is used (every field of the desired object must match live) and
// the result says so.
import type { KubeObject } from '../api/kube-object.ts';
import { applyIgnoreRules, noIgnoreRules, type IgnoreRules, type NormalizeProblem } from './ignore-differences.ts';
import type { EvalJq } from './jq.ts';
import { normalizeManagedFields, withoutPaths } from './managed-fields.ts';
import type { ApplyRequest } from '../sync/plan/task-actions.ts';

/** A server-side apply with dryRun=All (and force) of `desired` as `request` says. */
export type DryRunApply = (desired: KubeObject, request: ApplyRequest) => Promise<KubeObject>;

/** What the sync asks of the differ's predictions. */
export interface ApplyPredictions {
  /** The server's answer to a dry run of `body` as `request` against `live` (its content), when one was made. */
  predictionFor(body: KubeObject, request: ApplyRequest, live: KubeObject): KubeObject | undefined;
  /** A real apply of `body` as `request` answered `applied`: the prediction for applying it again to that version. */
  recordApplied(body: KubeObject, request: ApplyRequest, applied: KubeObject): void;
}

export interface DiffNormalization {
  readonly rules: IgnoreRules;
  readonly evalJq?: EvalJq;
}

export interface DiffVerdict {
  readonly modified: boolean;
  readonly mode: 'server' | 'local';
}

export interface DiffResult extends DiffVerdict {
  /** Live as it would be after applying the desired object, normalized (what a diff shows on the desired side). */
  readonly predictedLive: KubeObject;
  /** Live, normalized the same way. */
  readonly normalizedLive: KubeObject;
  /** The desired object with ignored fields removed (what RespectIgnoreDifferences starts from). */
  readonly normalizedTarget: KubeObject;
  /** Why the local comparison was used instead of the server's. */
  readonly fallbackReason?: string;
  /** Ignore rules that could not be applied (skipped, as Argo CD does). */
  readonly problems: readonly NormalizeProblem[];
  /**
   * The server already holds a newer version than the cached live object, so
   * no verdict was reached (reported as not modified); the watch event about
   * to arrive brings the app back for a real comparison.
   */
  readonly staleLive?: boolean;
}

const serverSet = ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp', 'selfLink'];

/** Drops what the server sets and `status`, for comparing two server views of one object. */
export function normalizeLive(obj: KubeObject): KubeObject {
  const { status: _status, ...rest } = obj as KubeObject & { status?: unknown };
  const metadata = { ...obj.metadata };
  for (const f of serverSet) delete metadata[f];
  if (metadata.annotations) {
    const { 'kubectl.kubernetes.io/last-applied-configuration': _l, ...annotations } = metadata.annotations;
    metadata.annotations = annotations;
  }
  return { ...rest, metadata };
}

/** Stable JSON: object keys sorted, so equal objects give equal strings. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** True when every field set in `desired` has the same value in `live` (lists compared whole). */
export function isSubsetOf(desired: unknown, live: unknown): boolean {
  if (desired !== null && typeof desired === 'object' && !Array.isArray(desired)) {
    if (live === null || typeof live !== 'object' || Array.isArray(live)) return false;
    return Object.entries(desired as Record<string, unknown>).every(([k, v]) => v === null || isSubsetOf(v, (live as Record<string, unknown>)[k]));
  }
  if (Array.isArray(desired)) {
    return Array.isArray(live) && desired.length === live.length && desired.every((v, i) => isSubsetOf(v, live[i]));
  }
  return desired === live || (typeof desired === 'number' && String(desired) === live) || (typeof live === 'number' && String(live) === desired);
}

/** Live with the desired fields laid over it (maps merged, lists replaced): the local prediction. */
export function overlay(live: unknown, desired: unknown): unknown {
  if (desired === null || typeof desired !== 'object' || Array.isArray(desired)) return desired;
  const base = live !== null && typeof live === 'object' && !Array.isArray(live) ? { ...(live as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(desired as Record<string, unknown>)) {
    if (v !== null) base[k] = overlay(base[k], v);
  }
  return base;
}

/** Two independent 32-bit string hashes: a compact cache key for a canonical JSON text. */
function hashText(text: string): string {
  let h1 = 0xdeadbeef; let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `${(h1 >>> 0).toString(36)}.${(h2 >>> 0).toString(36)}.${text.length.toString(36)}`;
}

export function wantsLocalDiff(desired: KubeObject): boolean {
  return (desired.metadata.annotations?.['argocd.argoproj.io/compare-options'] ?? '')
    .split(',').map((s) => s.trim()).includes('ServerSideDiff=false');
}

const predictionKey = (body: KubeObject, request: ApplyRequest, live: KubeObject): string =>
  `${hashText(canonicalJson(body))}\u0000${request.fieldManager}\u0000${request.fieldValidation}\u0000${liveContentKey(live)}`;

const contentKeys = new WeakMap<KubeObject, string>();

/**
 * A key of what in a live object can change an apply's prediction: all but its
 * status, resourceVersion and the status subresource's managedFields entries
 * (memoized per object: the live cache hands out one object per version).
 */
export function liveContentKey(live: KubeObject): string {
  let key = contentKeys.get(live);
  if (key === undefined) {
    const { status: _status, ...rest } = live as KubeObject & { status?: unknown };
    const { resourceVersion: _rv, managedFields, ...metadata } = live.metadata;
    const owners = (managedFields as Array<{ subresource?: string }> | undefined)?.filter((m) => m.subresource !== 'status');
    key = hashText(canonicalJson({ ...rest, metadata: { ...metadata, ...(owners ? { managedFields: owners } : {}) } }));
    contentKeys.set(live, key);
  }
  return key;
}

export class ServerSideDiffer implements ApplyPredictions {
  private readonly predictions = new Map<string, KubeObject>();
  /** Dry-run calls made (a steady state makes none). */
  dryRuns = 0;

  constructor(private readonly dryRunApply: DryRunApply, private readonly maxEntries = 50_000) {}

  /** Diffs `desired` against `live` as the server would apply it with `request` (the real apply's manager and validation). */
  async diff(desired: KubeObject, live: KubeObject, request: ApplyRequest,
    normalization: DiffNormalization = { rules: noIgnoreRules }): Promise<DiffResult> {
    const problems: NormalizeProblem[] = [];
    const { rules, evalJq } = normalization;
    const managed = normalizeManagedFields(live, desired, rules.managedFieldsManagers);
    const target = applyIgnoreRules(managed.target, rules, evalJq, problems);
    const normalizedLive = normalizeLive(applyIgnoreRules(managed.live, rules, evalJq, problems));
    let fallbackReason: string | undefined = wantsLocalDiff(desired) ? 'compare-options ServerSideDiff=false' : undefined;
    if (fallbackReason === undefined) {
      const key = predictionKey(target, request, live);
      let predicted = this.predictions.get(key);
      if (predicted === undefined) {
        try {
          this.dryRuns++;
          predicted = await this.dryRunApply(target, request);
          const liveVersion = live.metadata.resourceVersion;
          const serverVersion = predicted.metadata.resourceVersion;
          if (liveVersion !== undefined && serverVersion !== undefined && liveVersion !== serverVersion) {
            // Comparing a prediction made from the server's newer copy with the cache's older one shows
            // changes nobody asked for (e.g. a controller's annotation not yet seen): no verdict yet.
            return { modified: false, mode: 'server', staleLive: true, predictedLive: normalizedLive, normalizedLive,
              normalizedTarget: target, problems };
          }
          this.remember(key, predicted);
        } catch (err) {
          fallbackReason = `server-side dry run failed: ${err instanceof Error ? err.message : String(err)}`;
        }
      }
      if (predicted !== undefined) {
        // The fields a trusted manager owns are left out of the prediction too (the server keeps that manager's value).
        const predictedLive = normalizeLive(applyIgnoreRules(withoutPaths(predicted, managed.dropped), rules, evalJq));
        return { modified: canonicalJson(predictedLive) !== canonicalJson(normalizedLive), mode: 'server',
          predictedLive, normalizedLive, normalizedTarget: target, problems };
      }
    }
    const localTarget = normalizeLive(target);
    return { modified: !isSubsetOf(localTarget, normalizedLive), mode: 'local',
      predictedLive: overlay(normalizedLive, localTarget) as KubeObject, normalizedLive, normalizedTarget: target,
      ...(fallbackReason !== undefined ? { fallbackReason } : {}), problems };
  }

  predictionFor(body: KubeObject, request: ApplyRequest, live: KubeObject): KubeObject | undefined {
    return live.metadata.resourceVersion ? this.predictions.get(predictionKey(body, request, live)) : undefined;
  }

  recordApplied(body: KubeObject, request: ApplyRequest, applied: KubeObject): void {
    if (applied.metadata.resourceVersion) this.remember(predictionKey(body, request, applied), applied);
  }

  /** Forgets every prediction (a hard refresh). */
  clear(): void {
    this.predictions.clear();
  }

  private remember(key: string, value: KubeObject): void {
    this.predictions.set(key, value);
    if (this.predictions.size > this.maxEntries) this.predictions.delete(this.predictions.keys().next().value as string);
  }
}
