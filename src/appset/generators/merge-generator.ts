// The merge generator (applicationset/generators/merge.go): the first child's
// parameter sets are the base; a set of a later child whose values for all
// `mergeKeys` equal a base set's overrides that set's values (later children
// win), sets matching no base set are dropped, and base sets that nothing
// matches stay. Keys are looked up at the top level of each set, so nested
// keys (`values.env`) work with fasttemplate's flat parameters only. Within
// one child, two sets with the same key values are an error.
import type { ApplicationSetNestedGenerator } from '../../api/application-set.ts';
import type { GenerateContext } from './generator-context.ts';
import { combineStringMapsAllowDuplicates, mergoMerge, type ParamSet } from './param-merge.ts';

type ChildParams = (child: ApplicationSetNestedGenerator, path: string) => Promise<ParamSet[]>;

/** Go's json.Marshal of the key map (sorted keys), as a map key. */
function keyOf(mergeKeys: readonly string[], params: ParamSet): string {
  return JSON.stringify(mergeKeys.map((k) => [k, params[k] ?? null]));
}

function byMergeKey(mergeKeys: readonly string[], paramSets: ParamSet[]): Map<string, ParamSet> {
  const out = new Map<string, ParamSet>();
  for (const params of paramSets) {
    const key = keyOf(mergeKeys, params);
    if (out.has(key)) {
      const shown = JSON.stringify(Object.fromEntries(mergeKeys.map((k) => [k, params[k] ?? null])));
      throw new Error(`the parameters from a generator were not unique by the given mergeKeys, Merge requires all param sets to be unique. Duplicate key was ${shown}`);
    }
    out.set(key, params);
  }
  return out;
}

export async function mergeParams(children: ApplicationSetNestedGenerator[], mergeKeys: unknown, ctx: GenerateContext, path: string,
  childParams: ChildParams): Promise<ParamSet[]> {
  if (children.length < 2) throw new Error('found less than two generators, Merge requires two or more');
  if (!Array.isArray(mergeKeys) || mergeKeys.length === 0) throw new Error('no merge keys were specified, Merge requires at least one');
  const keys = [...new Set(mergeKeys.map(String))].sort();
  const sets: ParamSet[][] = [];
  for (const [i, child] of children.entries()) sets.push(await childParams(child, `${path}.generators[${i}]`));
  const base = byMergeKey(keys, sets[0]!);
  for (const later of sets.slice(1)) {
    const overrides = byMergeKey(keys, later);
    for (const [key, params] of base) {
      const override = overrides.get(key);
      if (override === undefined) continue;
      base.set(key, ctx.goTemplate ? mergoMerge(params, override, true) : combineStringMapsAllowDuplicates(params, override));
    }
  }
  return [...base.values()];
}
