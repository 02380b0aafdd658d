// The health of one live object, in Argo CD's order (gitops-engine
// pkg/health GetResourceHealth): an object being deleted is Progressing
// (hooks holding the hook finalizer aside); then a Lua script from
// `argocd-cm` for its kind, if any; then the built-in checks for custom
// resources (in place of Argo CD's bundled scripts); then the core built-ins.
// Kinds without any check have no health (undefined).
import type { KubeObject } from '../api/kube-object.ts';
import type { ResourceOverride } from '../settings/argocd-cm.ts';
import { assessBuiltinHealth, type HealthStatus } from './builtin-health.ts';
import { assessCrdHealth } from './crd-health.ts';
import type { RunLua } from './lua.ts';
import { healthScriptFor, runHealthScript } from './lua-health.ts';

export interface HealthOptions {
  readonly overrides?: ReadonlyMap<string, ResourceOverride>;
  /** Needed for Lua scripts; without it a configured script reports Unknown. */
  readonly runLua?: RunLua;
}

const hookFinalizer = 'argocd.argoproj.io/hook-finalizer';

export function assessHealth(obj: KubeObject, options: HealthOptions = {}): HealthStatus | undefined {
  if (obj.metadata.deletionTimestamp && !(obj.metadata.finalizers ?? []).includes(hookFinalizer)) {
    return { status: 'Progressing', message: 'Pending deletion' };
  }
  const script = options.overrides === undefined ? undefined : healthScriptFor(options.overrides, obj.apiVersion, obj.kind);
  if (script !== undefined) {
    if (options.runLua === undefined) return { status: 'Unknown', message: `health script for ${script.key}: the Lua runtime is not available` };
    const result = runHealthScript(obj, script, options.runLua);
    if (result !== undefined) return result;
  }
  return assessCrdHealth(obj) ?? assessBuiltinHealth(obj);
}
