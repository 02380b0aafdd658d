// The engine's settings from Argo CD's `argocd-cm` ConfigMap, parsed as Argo
// CD reads them (util/settings/settings.go): resource customizations (the
// `resource.customizations` YAML and the split keys
// `resource.customizations.<type>.<group_kind>`), resource exclusions and
// inclusions (the install manifest's defaults when the key is absent, plus
// the core exclusions that always apply), `resource.compareoptions`,
// `timeout.reconciliation` (+ `.jitter`), the tracking method and instance
// label key, `kustomize.buildOptions` and `cluster.inClusterEnabled`. Pure: a malformed entry is
// reported with its key and cause and that entry falls back to its default;
// the rest of the ConfigMap still applies.
import { parse } from 'yaml';
import { describeError } from '../errors.ts';
import { defaultExclusions, type FilteredResource } from './resource-filter.ts';

export const argoCdConfigMapName = 'argocd-cm';

export type TrackingMethod = 'annotation' | 'annotation+label' | 'label';

export interface OverrideIgnoreDiff {
  readonly jsonPointers?: readonly string[];
  readonly jqPathExpressions?: readonly string[];
  readonly managedFieldsManagers?: readonly string[];
}

export interface KnownTypeField {
  readonly field: string;
  readonly type: string;
}

/** One entry of the resource customizations, keyed `group/Kind`, `Kind` (core group) or a glob such as `*.example.com/*`. */
export interface ResourceOverride {
  readonly healthLua?: string;
  readonly useOpenLibs?: boolean;
  readonly actions?: string;
  readonly ignoreDifferences?: OverrideIgnoreDiff;
  readonly ignoreResourceUpdates?: OverrideIgnoreDiff;
  readonly knownTypeFields?: readonly KnownTypeField[];
}

/** `resource.compareoptions`; `ignoreResourceStatusField` is `crd` (default), `all` or `off`. */
export interface CompareOptions {
  readonly ignoreAggregatedRoles: boolean;
  readonly ignoreResourceStatusField: 'crd' | 'all' | 'off';
  readonly ignoreDifferencesOnResourceUpdates: boolean;
}

export interface EngineSettings {
  /** Resource customizations by override key, with the `/status` (and CRD) entries compare options add. */
  readonly resourceOverrides: ReadonlyMap<string, ResourceOverride>;
  readonly exclusions: readonly FilteredResource[];
  readonly inclusions: readonly FilteredResource[];
  readonly compareOptions: CompareOptions;
  /** Reconciliation period; 0 disables periodic refresh. */
  readonly reconciliationMs: number;
  readonly reconciliationJitterMs: number;
  readonly trackingMethod: TrackingMethod;
  readonly instanceLabelKey: string;
  readonly kustomizeBuildOptions: readonly string[];
  /** `cluster.inClusterEnabled`: only "false" turns the in-cluster destination off (Argo CD's reading). */
  readonly inClusterEnabled: boolean;
}

export interface SettingsProblem {
  /** The ConfigMap key at fault. */
  readonly key: string;
  readonly message: string;
}

export interface ParsedSettings {
  readonly settings: EngineSettings;
  readonly problems: readonly SettingsProblem[];
}

export const defaultInstanceLabelKey = 'app.kubernetes.io/instance';

const defaultCompareOptions: CompareOptions = { ignoreAggregatedRoles: false, ignoreResourceStatusField: 'crd', ignoreDifferencesOnResourceUpdates: false };

const customizationsKey = 'resource.customizations';
const crdOverrideKey = 'apiextensions.k8s.io/CustomResourceDefinition';

/** Settings with nothing configured (no ConfigMap): Argo CD's defaults. */
export function defaultSettings(): EngineSettings {
  return parseArgoCdConfigMap(undefined).settings;
}

export function parseArgoCdConfigMap(data: Readonly<Record<string, string>> | undefined): ParsedSettings {
  const cm = data ?? {};
  const problems: SettingsProblem[] = [];
  const attempt = <T>(key: string, fallback: T, fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      problems.push({ key, message: describeError(err) });
      return fallback;
    }
  };
  const overrides = new Map<string, ResourceOverride>();
  const yamlForm = cm[customizationsKey];
  if (yamlForm !== undefined && yamlForm.trim() !== '') {
    attempt(customizationsKey, undefined, () => {
      const parsed = parse(yamlForm) as unknown;
      if (parsed === null || parsed === undefined) return;
      if (!isRecord(parsed)) throw new Error('must be a map of "group/Kind" to a customization');
      for (const [key, value] of Object.entries(parsed)) {
        attempt(`${customizationsKey} "${key}"`, undefined, () => { overrides.set(key, overrideFromYamlForm(value)); });
      }
    });
  }
  for (const key of Object.keys(cm).sort()) {
    if (!key.startsWith(`${customizationsKey}.`)) continue;
    attempt(key, undefined, () => applySplitKey(overrides, key, cm[key]!));
  }
  const compareOptions = attempt('resource.compareoptions', defaultCompareOptions, () => parseCompareOptions(cm['resource.compareoptions']));
  addStatusOverrides(overrides, compareOptions);
  const exclusions = cm['resource.exclusions'] === undefined ? defaultExclusions
    : attempt('resource.exclusions', defaultExclusions, () => parseFilteredResources(cm['resource.exclusions']!));
  const inclusions = cm['resource.inclusions'] === undefined ? []
    : attempt('resource.inclusions', [], () => parseFilteredResources(cm['resource.inclusions']!));
  const reconciliationMs = attempt('timeout.reconciliation', 120_000, () => parseOptionalDuration(cm['timeout.reconciliation'], 120_000));
  const reconciliationJitterMs = attempt('timeout.reconciliation.jitter', 60_000, () => parseOptionalDuration(cm['timeout.reconciliation.jitter'], 60_000));
  const trackingMethod = attempt('application.resourceTrackingMethod', 'annotation' as TrackingMethod, () => parseTrackingMethod(cm['application.resourceTrackingMethod']));
  const labelKey = cm['application.instanceLabelKey'];
  const instanceLabelKey = labelKey === undefined || labelKey === '' ? defaultInstanceLabelKey
    : attempt('application.instanceLabelKey', defaultInstanceLabelKey, () => checkLabelKey(labelKey));
  const kustomizeBuildOptions = (cm['kustomize.buildOptions'] ?? '').split(/\s+/).filter((s) => s !== '');
  const inClusterRaw = cm['cluster.inClusterEnabled'];
  if (inClusterRaw !== undefined && !['true', 'false', ''].includes(inClusterRaw)) {
    problems.push({ key: 'cluster.inClusterEnabled', message: `"${inClusterRaw}" is not "true" or "false"; the in-cluster destination stays enabled` });
  }
  return {
    settings: { resourceOverrides: overrides, exclusions, inclusions, compareOptions, reconciliationMs, reconciliationJitterMs,
      trackingMethod, instanceLabelKey, kustomizeBuildOptions, inClusterEnabled: inClusterRaw !== 'false' },
    problems,
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function stringList(v: unknown, what: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw new Error(`${what} must be a list of strings`);
  return v as string[];
}

/** The ignoreDifferences / ignoreResourceUpdates body: a map, or (YAML form) a YAML string holding one. */
function parseIgnoreDiff(raw: unknown): OverrideIgnoreDiff {
  const value = typeof raw === 'string' ? (parse(raw) as unknown) : raw;
  if (value === null || value === undefined) return {};
  if (!isRecord(value)) throw new Error('ignoreDifferences must be a map with jsonPointers, jqPathExpressions or managedFieldsManagers');
  const known = new Set(['jsonPointers', 'jqPathExpressions', 'managedFieldsManagers']);
  const unknown = Object.keys(value).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new Error(`unknown field(s) ${unknown.join(', ')} (expected jsonPointers, jqPathExpressions, managedFieldsManagers)`);
  const jsonPointers = stringList(value['jsonPointers'], 'jsonPointers');
  for (const p of jsonPointers ?? []) if (p !== '' && !p.startsWith('/')) throw new Error(`JSON pointer "${p}" must start with "/"`);
  const jqPathExpressions = stringList(value['jqPathExpressions'], 'jqPathExpressions');
  const managedFieldsManagers = stringList(value['managedFieldsManagers'], 'managedFieldsManagers');
  return { ...(jsonPointers ? { jsonPointers } : {}), ...(jqPathExpressions ? { jqPathExpressions } : {}),
    ...(managedFieldsManagers ? { managedFieldsManagers } : {}) };
}

function parseKnownTypeFields(raw: unknown): KnownTypeField[] {
  const value = typeof raw === 'string' ? (parse(raw) as unknown) : raw;
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new Error('knownTypeFields must be a list of {field, type}');
  return value.map((f: unknown) => {
    if (!isRecord(f) || typeof f['field'] !== 'string' || typeof f['type'] !== 'string') throw new Error('each knownTypeFields entry needs string "field" and "type"');
    return { field: f['field'], type: f['type'] };
  });
}

function parseBool(raw: unknown, what: string): boolean {
  if (typeof raw === 'boolean') return raw;
  const s = String(raw).trim();
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  throw new Error(`${what}: "${s}" is not a boolean`);
}

function overrideFromYamlForm(value: unknown): ResourceOverride {
  if (!isRecord(value)) throw new Error('must be a map (health.lua, health.lua.useOpenLibs, actions, ignoreDifferences, ignoreResourceUpdates, knownTypeFields)');
  const str = (k: string): string | undefined => {
    const v = value[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw new Error(`${k} must be a string`);
    return v;
  };
  const healthLua = str('health.lua');
  const actions = str('actions');
  return {
    ...(healthLua !== undefined ? { healthLua } : {}),
    ...(value['health.lua.useOpenLibs'] !== undefined ? { useOpenLibs: parseBool(value['health.lua.useOpenLibs'], 'health.lua.useOpenLibs') } : {}),
    ...(actions !== undefined ? { actions } : {}),
    ...(value['ignoreDifferences'] !== undefined ? { ignoreDifferences: parseIgnoreDiff(value['ignoreDifferences']) } : {}),
    ...(value['ignoreResourceUpdates'] !== undefined ? { ignoreResourceUpdates: parseIgnoreDiff(value['ignoreResourceUpdates']) } : {}),
    ...(value['knownTypeFields'] !== undefined ? { knownTypeFields: parseKnownTypeFields(value['knownTypeFields']) } : {}),
  };
}

/** `<group>_<Kind>` → `group/Kind`; `<Kind>` stays (core group); `all` → `*\/*`. */
export function overrideKeyOf(groupKind: string): string {
  if (groupKind === 'all') return '*/*';
  const parts = groupKind.split('_');
  if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') return `${parts[0]}/${parts[1]}`;
  if (parts.length === 1 && groupKind !== '') return groupKind;
  throw new Error(`group kind should be in the form <group>_<Kind> or <Kind>, got "${groupKind}"`);
}

function applySplitKey(overrides: Map<string, ResourceOverride>, key: string, value: string): void {
  const rest = key.slice(customizationsKey.length + 1);
  const dot = rest.indexOf('.');
  if (dot < 0) throw new Error('expected resource.customizations.<type>.<group_kind>');
  const type = rest.slice(0, dot);
  const overrideKey = overrideKeyOf(rest.slice(dot + 1));
  const current = overrides.get(overrideKey) ?? {};
  let next: ResourceOverride;
  switch (type) {
    case 'health': next = { ...current, healthLua: value }; break;
    case 'useOpenLibs': next = { ...current, useOpenLibs: parseBool(value, 'useOpenLibs') }; break;
    case 'actions': next = { ...current, actions: value }; break;
    case 'ignoreDifferences': next = { ...current, ignoreDifferences: parseIgnoreDiff(value) }; break;
    case 'ignoreResourceUpdates': next = { ...current, ignoreResourceUpdates: parseIgnoreDiff(value) }; break;
    case 'knownTypeFields': next = { ...current, knownTypeFields: parseKnownTypeFields(value) }; break;
    default: throw new Error(`resource customization type "${type}" is not supported (health, useOpenLibs, actions, ignoreDifferences, ignoreResourceUpdates, knownTypeFields)`);
  }
  overrides.set(overrideKey, next);
}

function parseCompareOptions(raw: string | undefined): CompareOptions {
  if (raw === undefined || raw.trim() === '') return defaultCompareOptions;
  const value = parse(raw) as unknown;
  if (value === null) return defaultCompareOptions;
  if (!isRecord(value)) throw new Error('must be a map (ignoreAggregatedRoles, ignoreResourceStatusField, ignoreDifferencesOnResourceUpdates)');
  const field = value['ignoreResourceStatusField'];
  let ignoreResourceStatusField: CompareOptions['ignoreResourceStatusField'] = 'crd';
  if (field === 'all') ignoreResourceStatusField = 'all';
  else if (field === 'off' || field === 'false' || field === false || field === 'none') ignoreResourceStatusField = 'off';
  else if (field !== undefined && field !== '' && field !== 'crd') throw new Error(`ignoreResourceStatusField "${String(field)}" is not one of crd, all, off`);
  return {
    ignoreAggregatedRoles: value['ignoreAggregatedRoles'] === undefined ? false : parseBool(value['ignoreAggregatedRoles'], 'ignoreAggregatedRoles'),
    ignoreResourceStatusField,
    ignoreDifferencesOnResourceUpdates: value['ignoreDifferencesOnResourceUpdates'] === undefined ? false
      : parseBool(value['ignoreDifferencesOnResourceUpdates'], 'ignoreDifferencesOnResourceUpdates'),
  };
}

/** As Argo CD: `/status` is ignored for CRDs (default) or for everything, and a CRD's `/spec/preserveUnknownFields`. */
function addStatusOverrides(overrides: Map<string, ResourceOverride>, options: CompareOptions): void {
  const addPointer = (key: string, pointer: string): void => {
    const current = overrides.get(key) ?? {};
    const ignore = current.ignoreDifferences ?? {};
    overrides.set(key, { ...current, ignoreDifferences: { ...ignore, jsonPointers: [...(ignore.jsonPointers ?? []), pointer] } });
  };
  if (options.ignoreResourceStatusField === 'crd') {
    addPointer(crdOverrideKey, '/status');
    addPointer(crdOverrideKey, '/spec/preserveUnknownFields');
  } else if (options.ignoreResourceStatusField === 'all') {
    addPointer('*/*', '/status');
  }
}

function parseFilteredResources(raw: string): FilteredResource[] {
  const value = parse(raw) as unknown;
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new Error('must be a list of {apiGroups, kinds, clusters}');
  return value.map((entry: unknown, i) => {
    if (!isRecord(entry)) throw new Error(`entry ${i} must be a map of apiGroups, kinds, clusters`);
    const apiGroups = stringList(entry['apiGroups'], `entry ${i} apiGroups`);
    const kinds = stringList(entry['kinds'], `entry ${i} kinds`);
    const clusters = stringList(entry['clusters'], `entry ${i} clusters`);
    return { ...(apiGroups ? { apiGroups } : {}), ...(kinds ? { kinds } : {}), ...(clusters ? { clusters } : {}) };
  });
}

function parseTrackingMethod(raw: string | undefined): TrackingMethod {
  if (raw === undefined || raw === '') return 'annotation';
  if (raw === 'annotation' || raw === 'label' || raw === 'annotation+label') return raw;
  throw new Error(`"${raw}" is not one of annotation, annotation+label, label`);
}

function checkLabelKey(key: string): string {
  if (!/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(key)) {
    throw new Error(`"${key}" is not a valid label key`);
  }
  return key;
}

const unitMs: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration (`180s`, `3m`, `1h30m`, `0`) in milliseconds. */
export function parseGoDuration(raw: string): number {
  const s = raw.trim();
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    total += Number(m[1]) * unitMs[m[2]!]!;
    matched = re.lastIndex;
  }
  if (s === '' || matched !== s.length) throw new Error(`"${raw}" is not a duration (e.g. 180s, 3m, 1h)`);
  return total;
}

function parseOptionalDuration(raw: string | undefined, fallback: number): number {
  return raw === undefined || raw.trim() === '' ? fallback : parseGoDuration(raw);
}
