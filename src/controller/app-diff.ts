// The diff of one Application between git and the cluster, resource by
// resource, as `argocd app diff` shows it: the app is rendered, each desired
// object is compared with its live copy through the same server-side diff
// and ignoreDifferences the controller uses, and resources the app tracks
// but no longer renders (status.resources with requiresPruning) are shown as
// removals. Each modified resource gets a unified diff of normalized live
// against predicted live, in YAML with sorted keys and Secret values masked.
// `compareApplication` is the comparison itself, resource by resource (the
// API server's managed-resources reads it); it can reuse the controller's
// differ so its cached dry runs serve both.
import type { Application } from '../api/application.ts';
import { groupOf, versionOf, type KubeObject } from '../api/kube-object.ts';
import { resourceYaml } from '../diff/resource-yaml.ts';
import { maskSecretPair } from '../diff/secret-mask.ts';
import { normalizeLive, ServerSideDiffer } from '../diff/server-side-diff.ts';
import { unifiedDiff } from '../diff/unified-diff.ts';
import type { KubeClient } from '../kube/kube-client.ts';
import { renderApplication, type RenderServices } from '../render/render-application.ts';
import type { EngineSettings } from '../settings/argocd-cm.ts';
import { isHook } from '../sync/plan/hooks.ts';
import { dryRunApplyWith } from './kube-sync-ports.ts';
import { resourceChecks, type CompatRuntime } from './resource-checks.ts';

export interface AppDiffDeps {
  /** The destination cluster's client (live objects and dry runs). */
  readonly client: KubeClient;
  /** The controller's differ for this cluster (shares its cached predictions); a new one otherwise. */
  readonly differ?: ServerSideDiffer;
  readonly render: RenderServices;
  readonly settings: EngineSettings;
  readonly compat?: CompatRuntime;
}

export interface ResourceDiffView {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly modified: boolean;
  /** Unified diff (live → desired); empty when in sync. */
  readonly diff: string;
  /** Set when the server's dry run could not be used, with the reason (the local comparison was). */
  readonly localReason?: string;
}

function view(obj: KubeObject, modified: boolean, live: KubeObject | undefined, desired: KubeObject | undefined, localReason?: string): ResourceDiffView {
  const masked = maskSecretPair(desired, live);
  const label = `${groupOf(obj.apiVersion)}/${obj.kind} ${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
  return {
    group: groupOf(obj.apiVersion), kind: obj.kind, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '', modified,
    diff: modified ? unifiedDiff(resourceYaml(masked.live), resourceYaml(masked.target), { from: `live ${label}`, to: `desired ${label}` }) : '',
    ...(localReason !== undefined ? { localReason } : {}),
  };
}

/** One resource of an app, compared: the target as rendered, live as it is, and the diff's two normalized sides. Values unmasked. */
export interface ResourceComparison {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly target?: KubeObject;
  readonly live?: KubeObject;
  readonly normalizedLive?: KubeObject;
  readonly predictedLive?: KubeObject;
  readonly modified: boolean;
  readonly hook: boolean;
  /** Set when the server's dry run could not be used, with the reason (the local comparison was). */
  readonly localReason?: string;
}

const byKey = (a: { group: string; kind: string; namespace: string; name: string }, b: typeof a): number =>
  `${a.group}/${a.kind}/${a.namespace}/${a.name}`.localeCompare(`${b.group}/${b.kind}/${b.namespace}/${b.name}`);

export async function compareApplication(app: Application, deps: AppDiffDeps): Promise<ResourceComparison[]> {
  // The dry runs are the controller's: each object as its sync would apply it (argocd-controller under ServerSideApply=true).
  const differ = deps.differ ?? new ServerSideDiffer(dryRunApplyWith(deps.client));
  const checks = resourceChecks(app, deps.settings, differ, deps.compat);
  const rendered = await renderApplication({ appName: app.metadata.name!, spec: app.spec }, deps.render);
  const seen = new Set<string>();
  const out: ResourceComparison[] = [];
  const identity = (obj: KubeObject): Pick<ResourceComparison, 'group' | 'version' | 'kind' | 'namespace' | 'name'> => ({
    group: groupOf(obj.apiVersion), version: versionOf(obj.apiVersion), kind: obj.kind, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' });
  for (const target of rendered.objects) {
    if (isHook(target)) continue;
    const key = `${groupOf(target.apiVersion)}/${target.kind}/${target.metadata.namespace ?? ''}/${target.metadata.name ?? ''}`;
    seen.add(key);
    const live = await deps.client.get(target.apiVersion, target.kind, target.metadata.namespace, target.metadata.name ?? '')
      .catch(() => undefined);
    if (live === undefined) { out.push({ ...identity(target), target, predictedLive: target, modified: true, hook: false }); continue; }
    const r = await checks.diff(target, live);
    out.push({ ...identity(target), target, live, normalizedLive: r.normalizedLive, predictedLive: r.predictedLive, modified: r.modified, hook: false,
      ...(r.fallbackReason !== undefined ? { localReason: r.fallbackReason } : {}) });
  }
  for (const r of app.status?.resources ?? []) {
    if (!r.requiresPruning) continue;
    const key = `${r.group}/${r.kind}/${r.namespace}/${r.name}`;
    if (seen.has(key)) continue;
    const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    const live = await deps.client.get(apiVersion, r.kind, r.namespace || undefined, r.name).catch(() => undefined);
    if (live !== undefined) out.push({ ...identity(live), live, normalizedLive: normalizeLive(live), modified: true, hook: false });
  }
  return out.sort(byKey);
}

export async function diffApplication(app: Application, deps: AppDiffDeps): Promise<ResourceDiffView[]> {
  const compared = await compareApplication(app, deps);
  return compared.map((c) => {
    const obj = c.target ?? c.live!;
    return c.live === undefined ? view(obj, true, undefined, c.target)
      : view(obj, c.modified, c.normalizedLive, c.predictedLive, c.localReason);
  });
}

/** `argocd app diff` output: a header per modified resource, then its diff. */
export function formatAppDiff(views: readonly ResourceDiffView[]): string {
  return views.filter((v) => v.modified).map((v) => `===== ${v.group}/${v.kind} ${v.namespace}/${v.name} ======\n`
    + `${v.localReason !== undefined ? `# compared locally (${v.localReason})\n` : ''}${v.diff}`).join('');
}
