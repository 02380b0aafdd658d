// The per-app comparison and health functions the reconciler uses, built
// from the current argocd-cm settings and the compatibility runtime (gojq for
// jqPathExpressions, gopher-lua for health scripts): ignore rules resolved per
// resource from the app's spec.ignoreDifferences and the resource
// customizations, the server-side differ (dry runs made as the sync will
// apply each object: the manager and validation of its apply mode, from the
// app's sync options and the object's own), and health with Lua overrides
// first. RespectIgnoreDifferences=true turns a desired object into the one
// to apply: ignored fields keep their live values.
import type { Application } from '../api/application.ts';
import type { KubeObject } from '../api/kube-object.ts';
import { resolveIgnoreRules } from '../diff/ignore-differences.ts';
import type { EvalJq } from '../diff/jq.ts';
import { restoreIgnoredFields } from '../diff/restore-ignored.ts';
import type { ApplyPredictions, DiffResult, ServerSideDiffer } from '../diff/server-side-diff.ts';
import { assessHealth } from '../health/assess-health.ts';
import type { HealthStatus } from '../health/builtin-health.ts';
import type { RunLua } from '../health/lua.ts';
import type { EngineSettings } from '../settings/argocd-cm.ts';
import type { PlanResource } from '../sync/plan/plan-sync.ts';
import { isHook } from '../sync/plan/hooks.ts';
import { applyRequestOf, decideApplyMode } from '../sync/plan/task-actions.ts';

/** What the compatibility module provides (absent until it is loaded). */
export interface CompatRuntime {
  readonly evalJq?: EvalJq;
  readonly runLua?: RunLua;
}

export interface ResourceChecks {
  diff(target: KubeObject, live: KubeObject): Promise<DiffResult>;
  health(live: KubeObject): HealthStatus | undefined;
  /** RespectIgnoreDifferences: the pairs with each desired object carrying live's values in ignored fields. */
  respectIgnoreDifferences(pairs: readonly PlanResource[]): Promise<PlanResource[]>;
  /** The differ's dry runs, for the sync to reuse (and to feed with its applies). */
  readonly predictions: ApplyPredictions;
}

export const respectIgnoreDifferencesOption = 'RespectIgnoreDifferences=true';

export function resourceChecks(app: Application, settings: EngineSettings, differ: ServerSideDiffer, compat: CompatRuntime = {}): ResourceChecks {
  const sources = { ...(app.spec.ignoreDifferences ? { appIgnores: app.spec.ignoreDifferences } : {}), overrides: settings.resourceOverrides };
  const appOptions = app.spec.syncPolicy?.syncOptions ?? [];
  const diff = (target: KubeObject, live: KubeObject): Promise<DiffResult> => {
    let rules = resolveIgnoreRules(target, sources);
    // resource.compareoptions ignoreAggregatedRoles: an aggregated ClusterRole's rules are the controller's.
    if (settings.compareOptions.ignoreAggregatedRoles && target.kind === 'ClusterRole' && target['aggregationRule'] !== undefined) {
      rules = { ...rules, jsonPointers: [...rules.jsonPointers, '/rules'] };
    }
    return differ.diff(target, live, applyRequestOf(decideApplyMode(target, { appOptions })),
      { rules, ...(compat.evalJq ? { evalJq: compat.evalJq } : {}) });
  };
  return {
    diff,
    predictions: differ,
    health: (live) => assessHealth(live, { overrides: settings.resourceOverrides, ...(compat.runLua ? { runLua: compat.runLua } : {}) }),
    async respectIgnoreDifferences(pairs) {
      return Promise.all(pairs.map(async (p) => {
        if (p.target === undefined || p.live === undefined || isHook(p.target)) return p;
        const r = await diff(p.target, p.live);
        return { ...p, target: restoreIgnoredFields(r.normalizedTarget, r.normalizedLive, p.live) };
      }));
    },
  };
}
