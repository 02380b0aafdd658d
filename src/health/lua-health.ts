// Custom health in Lua, in Argo CD's format (docs operator-manual/health.md,
// util/lua): the script of `resource.customizations.health.<group>_<Kind>`
// (or the `health.lua` of the `resource.customizations` YAML) receives the
// live object as `obj` and returns `{status = ..., message = ...}`. The exact
// key (`group/Kind`, `Kind` for the core group) wins over wildcard keys such
// as `*.example.com/*`. A script that fails, times out or returns something
// else is Unknown with the error — never a crash.
import { groupOf, type KubeObject } from '../api/kube-object.ts';
import { globMatch } from '../project/glob.ts';
import type { ResourceOverride } from '../settings/argocd-cm.ts';
import type { HealthStatus, HealthStatusCode } from './builtin-health.ts';
import { luaHealthTimeoutMs, type RunLua } from './lua.ts';

export interface HealthScript {
  readonly key: string;
  readonly script: string;
  readonly useOpenLibs: boolean;
}

const codes: readonly HealthStatusCode[] = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'];

/** The override key Argo CD uses for a kind: `group/Kind`, or `Kind` in the core group. */
export function configMapKeyOf(apiVersion: string, kind: string): string {
  const group = groupOf(apiVersion);
  return group === '' ? kind : `${group}/${kind}`;
}

export function healthScriptFor(overrides: ReadonlyMap<string, ResourceOverride>, apiVersion: string, kind: string): HealthScript | undefined {
  const key = configMapKeyOf(apiVersion, kind);
  const exact = overrides.get(key);
  if (exact?.healthLua) return { key, script: exact.healthLua, useOpenLibs: exact.useOpenLibs === true };
  for (const k of [...overrides.keys()].sort()) {
    const o = overrides.get(k)!;
    if (k.includes('*') && o.healthLua && globMatch(k, key)) return { key: k, script: o.healthLua, useOpenLibs: o.useOpenLibs === true };
  }
  return undefined;
}

/** Runs a health script; undefined when it returns nil (no health). */
export function runHealthScript(obj: KubeObject, script: HealthScript, runLua: RunLua): HealthStatus | undefined {
  const result = runLua({ script: script.script, obj, openLibs: script.useOpenLibs, timeoutMs: luaHealthTimeoutMs });
  if (!result.ok) return { status: 'Unknown', message: `health script for ${script.key}: ${result.error}` };
  const value = result.value;
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object' || Array.isArray(value) && value.length > 0) {
    return { status: 'Unknown', message: `health script for ${script.key}: expect table output from Lua script, not ${Array.isArray(value) ? 'list' : typeof value}` };
  }
  const { status, message } = value as { status?: unknown; message?: unknown };
  if (typeof status !== 'string' || !codes.includes(status as HealthStatusCode)) {
    return { status: 'Unknown', message: 'Lua returned an invalid health status' };
  }
  return { status: status as HealthStatusCode, ...(typeof message === 'string' && message !== '' ? { message } : {}) };
}
