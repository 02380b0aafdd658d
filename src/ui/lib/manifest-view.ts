// What the UI shows of a resource's manifests: the live and desired states of
// managed-resources (Argo CD's ResourceDiff, JSON as strings) parsed, Secret
// values masked again here whatever the server sent (Argo CD's HideSecretData:
// `++++++++`, equal values equal masks), managedFields left out, printed as
// YAML with sorted keys, and a unified diff from live to desired. The diff
// compares the normalized live state with the predicted one when the server
// gives them, as Argo CD's diff view does.
import type { KubeObject } from '../../api/kube-object.ts';
import { resourceYaml } from '../../diff/resource-yaml.ts';
import { maskSecretPair } from '../../diff/secret-mask.ts';
import { unifiedDiff } from '../../diff/unified-diff.ts';
import type { ResourceDiff } from '../api/api-types.ts';
import { refKey } from './resource-tree.ts';

export function parseState(state: string | object | null | undefined): KubeObject | undefined {
  if (state === undefined || state === null || state === '' || state === 'null') return undefined;
  if (typeof state === 'object') return JSON.parse(JSON.stringify(state)) as KubeObject;
  const value = JSON.parse(state) as unknown;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as KubeObject) : undefined;
}

function looksLikeSecret(obj: KubeObject | undefined): boolean {
  return obj !== undefined && obj.kind === 'Secret';
}

/** A Secret of any apiVersion spelling gets the same masking as a v1 one; other kinds pass through. */
function asMaskable(obj: KubeObject | undefined): KubeObject | undefined {
  if (obj === undefined || !looksLikeSecret(obj)) return obj;
  return { ...obj, apiVersion: 'v1' };
}

function withoutManagedFields(obj: KubeObject | undefined): KubeObject | undefined {
  if (obj === undefined) return undefined;
  if (obj.metadata?.managedFields === undefined) return obj;
  const metadata = { ...obj.metadata };
  delete metadata.managedFields;
  return { ...obj, metadata };
}

/** A desired/live pair ready to show: masked (Secrets), without managedFields. */
export function maskedPair(target: KubeObject | undefined, live: KubeObject | undefined): { target?: KubeObject; live?: KubeObject } {
  const t = asMaskable(target); const l = asMaskable(live);
  const masked = looksLikeSecret(t) || looksLikeSecret(l) ? maskSecretPair(t, l) : { ...(t ? { target: t } : {}), ...(l ? { live: l } : {}) };
  const mt = withoutManagedFields(masked.target); const ml = withoutManagedFields(masked.live);
  // A Secret's stringData is folded into data by the masking; keep the original apiVersion for display.
  if (mt && target) mt.apiVersion = target.apiVersion;
  if (ml && live) ml.apiVersion = live.apiVersion;
  return { ...(mt ? { target: mt } : {}), ...(ml ? { live: ml } : {}) };
}

/** One live object (the resource endpoint's manifest) ready to show. */
export function maskedObject(obj: KubeObject | undefined): KubeObject | undefined {
  return maskedPair(undefined, obj).live;
}

export function manifestYaml(obj: KubeObject | undefined): string {
  return obj === undefined ? '' : resourceYaml(obj);
}

export interface ResourceDiffView {
  readonly key: string;
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly liveYaml: string;
  readonly targetYaml: string;
  /** Unified diff from live to desired; empty when they are equal. */
  readonly diff: string;
  readonly modified: boolean;
  readonly hook: boolean;
  /** Why a state could not be read, if one could not. */
  readonly error?: string;
}

export function diffViewOf(item: ResourceDiff): ResourceDiffView {
  const base = { key: refKey(item), group: item.group ?? '', kind: item.kind, namespace: item.namespace ?? '', name: item.name,
    hook: item.hook === true };
  const label = `${item.group ? `${item.group}/` : ''}${item.kind}/${item.namespace ? `${item.namespace}/` : ''}${item.name}`;
  try {
    const live = parseState(item.normalizedLiveState) ?? parseState(item.liveState);
    const target = parseState(item.predictedLiveState) ?? parseState(item.targetState);
    const pair = maskedPair(target, live);
    const liveYaml = manifestYaml(pair.live); const targetYaml = manifestYaml(pair.target);
    const diff = unifiedDiff(liveYaml, targetYaml, { from: `live ${label}`, to: `desired ${label}` });
    return { ...base, liveYaml, targetYaml, diff, modified: item.modified ?? diff !== '' };
  } catch (err) {
    return { ...base, liveYaml: '', targetYaml: '', diff: '', modified: item.modified === true,
      error: `${label}: ${err instanceof Error ? err.message : String(err)}` };
  }
}
