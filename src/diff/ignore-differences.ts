// ignoreDifferences as Argo CD applies them before a diff
// (util/argo/normalizers/diff_normalizer.go): the rules of an object are the
// app's `spec.ignoreDifferences` entries whose group and kind match as globs
// and whose name and namespace, when given, match exactly, plus the
// `argocd-cm` customizations whose key (`group/Kind`, `Kind`, `*\/*`, globs)
// matches. Each JSON pointer is a `remove` patch, each jq path expression runs
// as `del(<expr>)` (gojq, 1 s limit); a patch that fails (missing path, jq
// error, not exactly one output) is skipped, and empty maps and lists left
// behind are dropped. The same normalization is applied to both sides.
import type { ResourceIgnoreDifferences } from '../api/application.ts';
import { groupOf, type KubeObject } from '../api/kube-object.ts';
import { globMatch } from '../project/glob.ts';
import type { ResourceOverride } from '../settings/argocd-cm.ts';
import { defaultJqTimeoutMs, type EvalJq } from './jq.ts';
import { removeAtPointer } from './json-pointer.ts';

export interface IgnoreRules {
  readonly jsonPointers: readonly string[];
  readonly jqPathExpressions: readonly string[];
  readonly managedFieldsManagers: readonly string[];
}

export const noIgnoreRules: IgnoreRules = { jsonPointers: [], jqPathExpressions: [], managedFieldsManagers: [] };

export interface IgnoreSources {
  readonly appIgnores?: readonly ResourceIgnoreDifferences[];
  readonly overrides?: ReadonlyMap<string, ResourceOverride>;
}

/** An override key's group and kind: `group/Kind`, or `Kind` for the core group. */
export function groupKindOfOverrideKey(key: string): { group: string; kind: string } {
  const slash = key.lastIndexOf('/');
  return slash < 0 ? { group: '', kind: key } : { group: key.slice(0, slash), kind: key.slice(slash + 1) };
}

/** The rules that apply to one object. */
export function resolveIgnoreRules(obj: KubeObject, sources: IgnoreSources): IgnoreRules {
  const group = groupOf(obj.apiVersion);
  const pointers: string[] = [];
  const jq: string[] = [];
  const managers: string[] = [];
  const add = (e: { jsonPointers?: readonly string[] | undefined; jqPathExpressions?: readonly string[] | undefined; managedFieldsManagers?: readonly string[] | undefined }): void => {
    pointers.push(...(e.jsonPointers ?? []));
    jq.push(...(e.jqPathExpressions ?? []));
    managers.push(...(e.managedFieldsManagers ?? []));
  };
  for (const e of sources.appIgnores ?? []) {
    if (!globMatch(e.group ?? '', group) || !globMatch(e.kind, obj.kind)) continue;
    if (e.name && e.name !== obj.metadata.name) continue;
    if (e.namespace && e.namespace !== (obj.metadata.namespace ?? '')) continue;
    add(e);
  }
  for (const [key, override] of sources.overrides ?? []) {
    if (override.ignoreDifferences === undefined) continue;
    const gk = groupKindOfOverrideKey(key);
    if (globMatch(gk.group, group) && globMatch(gk.kind, obj.kind)) add(override.ignoreDifferences);
  }
  return { jsonPointers: [...new Set(pointers)], jqPathExpressions: [...new Set(jq)], managedFieldsManagers: [...new Set(managers)] };
}

export function hasIgnoreRules(rules: IgnoreRules): boolean {
  return rules.jsonPointers.length + rules.jqPathExpressions.length + rules.managedFieldsManagers.length > 0;
}

/** A problem met while normalizing (reported, never fatal: the patch is skipped). */
export interface NormalizeProblem {
  readonly expression: string;
  readonly message: string;
}

/**
 * The object with the ignored fields removed (a copy). jq expressions need
 * `evalJq`; without it they are reported and skipped.
 */
export function applyIgnoreRules(obj: KubeObject, rules: IgnoreRules, evalJq?: EvalJq, problems?: NormalizeProblem[]): KubeObject {
  if (rules.jsonPointers.length === 0 && rules.jqPathExpressions.length === 0) return obj;
  let doc = JSON.parse(JSON.stringify(obj)) as unknown;
  for (const pointer of rules.jsonPointers) {
    try {
      removeAtPointer(doc, pointer);
    } catch (err) {
      problems?.push({ expression: pointer, message: err instanceof Error ? err.message : String(err) });
    }
  }
  for (const expr of rules.jqPathExpressions) {
    if (evalJq === undefined) {
      problems?.push({ expression: expr, message: 'jq is not available' });
      continue;
    }
    const result = evalJq({ program: `del(${expr})`, input: doc, timeoutMs: defaultJqTimeoutMs });
    if (!result.ok) { problems?.push({ expression: expr, message: `JQ patch returned error: ${result.error}` }); continue; }
    if (result.outputs.length !== 1) {
      problems?.push({ expression: expr, message: result.outputs.length === 0 ? 'JQ patch did not return any data' : 'JQ patch returned multiple objects' });
      continue;
    }
    doc = result.outputs[0];
  }
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) removeEmptyObjects(doc as Record<string, unknown>);
  return doc as KubeObject;
}

/** Drops maps and lists that normalization left empty (Argo CD's removeEmptyObjects). */
export function removeEmptyObjects(obj: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(obj)) {
    if (Array.isArray(value)) {
      const cleaned = value.filter((item) => {
        if (item === null || typeof item !== 'object' || Array.isArray(item)) return true;
        removeEmptyObjects(item as Record<string, unknown>);
        return Object.keys(item).length > 0;
      });
      if (cleaned.length !== value.length) obj[key] = cleaned;
      if (cleaned.length === 0) delete obj[key];
    } else if (value !== null && typeof value === 'object') {
      removeEmptyObjects(value as Record<string, unknown>);
      if (Object.keys(value).length === 0) delete obj[key];
    }
  }
}
