// The clusters generator (applicationset/generators/cluster.go): one
// parameter set per cluster Secret matching `selector` — `name`,
// `nameNormalized`, `server`, `project`, and the Secret's labels and
// annotations as `metadata.labels.<k>` / `metadata.annotations.<k>`
// (fasttemplate) or a `metadata` map (Go templates) — then `values`. The
// local cluster (`in-cluster`, https://kubernetes.default.svc) has no Secret,
// comes first, and is left out by any non-empty selector or when a Secret
// already targets its server. `flatList` gives one set `{clusters: [...]}`.
import type { ClusterGenerator } from '../../api/application-set.ts';
import { inClusterName, inClusterServer } from '../../api/cluster-secret.ts';
import type { ClusterSecretInfo, GenerateContext } from './generator-context.ts';
import { sanitizeName } from './go-values.ts';
import { compileSelector, isEmptySelector } from './label-selector.ts';
import type { ParamSet } from './param-merge.ts';
import { appendTemplatedValues } from './templated-values.ts';

export { inClusterName, inClusterServer } from '../../api/cluster-secret.ts';

function secretParams(cluster: ClusterSecretInfo, goTemplate: boolean): ParamSet {
  const params: ParamSet = { name: cluster.name, nameNormalized: sanitizeName(cluster.name), server: cluster.server, project: cluster.project ?? '' };
  if (goTemplate) {
    const meta: Record<string, unknown> = {};
    if (Object.keys(cluster.annotations).length > 0) meta['annotations'] = { ...cluster.annotations };
    if (Object.keys(cluster.labels).length > 0) meta['labels'] = { ...cluster.labels };
    params['metadata'] = meta;
  } else {
    for (const [k, v] of Object.entries(cluster.annotations)) params[`metadata.annotations.${k}`] = v;
    for (const [k, v] of Object.entries(cluster.labels)) params[`metadata.labels.${k}`] = v;
  }
  return params;
}

export async function clusterParams(gen: ClusterGenerator, ctx: GenerateContext, path: string): Promise<ParamSet[]> {
  const matches = compileSelector(gen.selector ?? {});
  const ignoreLocal = !isEmptySelector(gen.selector);
  const secrets = (await ctx.sources.clusters()).map((s) => ({ ...s, server: s.server.replace(/\/+$/, '') }));
  const byName = new Map<string, ClusterSecretInfo>();
  for (const s of secrets) if (matches(s.labels)) byName.set(s.name, s);
  const res: ParamSet[] = [];
  const found: ClusterSecretInfo[] = [];
  for (const s of secrets) {
    const match = byName.get(s.name);
    if (match !== undefined) found.push(match);
  }
  const hasLocalSecret = secrets.some((s) => s.server === inClusterServer);
  if (!hasLocalSecret && !ignoreLocal) res.push({ name: inClusterName, nameNormalized: inClusterName, server: inClusterServer, project: '' });
  for (const s of found) res.push(secretParams(s, ctx.goTemplate));
  appendTemplatedValues(ctx, path, gen.values, res);
  if (gen.flatList) return res.length === 0 ? [] : [{ clusters: res }];
  return res;
}
