// One generator entry → parameter sets, as Argo CD's Transform does it
// (generator_spec_processor.go): every generator kind set in the entry runs
// (in Argo CD's field order), a matrix's second child is first rendered with
// each parameter set of the first (InterpolateGenerator), and the entry's
// `selector` keeps the sets whose flattened parameters it matches. Kinds
// Capstan does not run, and an entry that names no kind at all (which Argo CD
// would silently treat as zero Applications), are errors.
import type {
  ApplicationSetGenerator, ApplicationSetNestedGenerator, ApplicationSetTemplate, ApplicationSetTerminalGenerator, LabelSelector,
} from '../../api/application-set.ts';
import { clusterParams } from './cluster-generator.ts';
import { AppSetGeneratorError, generatorFailure, renderAll, type GenerateContext } from './generator-context.ts';
import { gitParams } from './git-generator.ts';
import { flattenParams } from './go-values.ts';
import { isPlainObject } from './go-yaml.ts';
import { compileSelector } from './label-selector.ts';
import { listParams } from './list-generator.ts';
import { mergeParams } from './merge-generator.ts';
import { cloneJson, combineStringMaps, mergoMerge, type ParamSet } from './param-merge.ts';

/** Generator kinds in the order of Argo CD's ApplicationSetGenerator struct fields. */
export const generatorKinds = ['list', 'clusters', 'git', 'scmProvider', 'clusterDecisionResource', 'pullRequest', 'matrix', 'merge', 'plugin'] as const;
export type GeneratorKind = (typeof generatorKinds)[number];

const unsupported: ReadonlySet<GeneratorKind> = new Set(['scmProvider', 'clusterDecisionResource', 'pullRequest', 'plugin']);

export interface GeneratorResult {
  readonly params: ParamSet[];
  /** The generator's own `template` merged over the ApplicationSet's (top-level entries only). */
  readonly template: ApplicationSetTemplate;
  /** Path of the generator in the spec, e.g. generators[0].matrix. */
  readonly path: string;
}

type AnyGenerator = ApplicationSetGenerator | ApplicationSetNestedGenerator | ApplicationSetTerminalGenerator;

export function kindsOf(gen: AnyGenerator): GeneratorKind[] {
  return generatorKinds.filter((k) => (gen as Record<string, unknown>)[k] !== undefined && (gen as Record<string, unknown>)[k] !== null);
}

function selectorFilter(ctx: GenerateContext, path: string, selector: LabelSelector | undefined): (p: ParamSet) => boolean {
  if (selector === undefined || selector === null) return () => true;
  try {
    const matches = compileSelector(selector);
    return (p) => matches(flattenParams(p));
  } catch (err) {
    throw new AppSetGeneratorError(ctx.appSetName, `${path}.selector`, `error parsing label selector: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Parameter sets of one kind of a generator entry. */
async function paramsOfKind(kind: GeneratorKind, gen: AnyGenerator, ctx: GenerateContext, path: string, depth: number): Promise<ParamSet[]> {
  const spec = (gen as Record<string, unknown>)[kind];
  const at = `${path}.${kind}`;
  if (unsupported.has(kind)) {
    throw new AppSetGeneratorError(ctx.appSetName, at, `the ${kind} generator is not supported by Capstan (supported: list, clusters, git, matrix, merge)`);
  }
  if (!isPlainObject(spec)) throw new AppSetGeneratorError(ctx.appSetName, at, `must be a map, not ${JSON.stringify(spec)}`);
  try {
    switch (kind) {
      case 'list': return listParams(spec, ctx.goTemplate);
      case 'clusters': return await clusterParams(spec, ctx, at);
      case 'git': return await gitParams(spec as unknown as Parameters<typeof gitParams>[0], ctx, at);
      case 'matrix':
      case 'merge': {
        if (depth >= 2) throw new Error('matrix and merge generators nest at most two levels deep (a matrix or merge inside a matrix or merge may hold only list, clusters or git generators)');
        const children = spec['generators'];
        if (!Array.isArray(children)) throw new Error('generators must be a list');
        return kind === 'matrix'
          ? await matrixParams(children as ApplicationSetNestedGenerator[], ctx, at, depth + 1)
          : await mergeParams(children as ApplicationSetNestedGenerator[], spec['mergeKeys'], ctx, at,
            (child, childPath) => childParams(child, ctx, childPath, depth + 1));
      }
      default: throw new Error(`unknown generator ${kind}`);
    }
  } catch (err) {
    throw generatorFailure(ctx, at, err);
  }
}

/** A child of a matrix or merge: exactly one kind, its selector applied. */
export async function childParams(child: ApplicationSetNestedGenerator, ctx: GenerateContext, path: string, depth: number): Promise<ParamSet[]> {
  if (!isPlainObject(child)) throw new AppSetGeneratorError(ctx.appSetName, path, 'must be a map');
  const kinds = kindsOf(child);
  if (kinds.length === 0) throw new AppSetGeneratorError(ctx.appSetName, path, 'child generator generated no parameters (it names no generator)');
  if (kinds.length > 1) throw new AppSetGeneratorError(ctx.appSetName, path, `found more than one generator in matrix.Generators (${kinds.join(', ')})`);
  const keep = selectorFilter(ctx, path, child.selector as LabelSelector | undefined);
  return (await paramsOfKind(kinds[0]!, child, ctx, path, depth)).filter(keep);
}

/** The matrix: every parameter set of the first child with every set the second produces for it. */
async function matrixParams(children: ApplicationSetNestedGenerator[], ctx: GenerateContext, path: string, depth: number): Promise<ParamSet[]> {
  if (children.length < 2) throw new Error(`found ${children.length} child generator${children.length === 1 ? '' : 's'}: a matrix combines exactly two (found less than two generators, Matrix support only two)`);
  if (children.length > 2) throw new Error(`found ${children.length} child generators: a matrix combines exactly two (nest a matrix to combine more)`);
  const first = await childParams(children[0]!, ctx, `${path}.generators[0]`, depth);
  const second = children[1]!;
  const secondPath = `${path}.generators[1]`;
  // The second child is rendered with each of the first's parameter sets (none to render with: used as
  // written); its `values` resolve only where the first's parameters suffice (the rest later, by the child).
  const withParams = first.filter((p) => Object.keys(p).length > 0);
  const rendered = renderAll(ctx, secondPath, withParams.map((params) => ({
    template: second, params, goTemplate: ctx.goTemplate, goTemplateOptions: ctx.goTemplateOptions, target: 'generator' as const,
  })));
  const out: ParamSet[] = [];
  let r = 0;
  for (const prev of first) {
    const child = Object.keys(prev).length > 0 ? rendered[r++] as ApplicationSetNestedGenerator : second;
    for (const curr of await childParams(child, ctx, secondPath, depth)) {
      if (ctx.goTemplate) out.push(mergoMerge(mergoMerge({}, prev, false), curr, false));
      else {
        try {
          out.push(combineStringMaps(prev, curr));
        } catch (err) {
          throw new Error(`failed to combine string maps with merging params for the matrix generator: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
  }
  return out;
}

/**
 * A top-level generator entry: the parameter sets of each kind it sets, each
 * with the entry's template override merged over the ApplicationSet's.
 */
export async function generatorResults(gen: ApplicationSetGenerator, ctx: GenerateContext, path: string,
  base: ApplicationSetTemplate): Promise<GeneratorResult[]> {
  if (!isPlainObject(gen)) throw new AppSetGeneratorError(ctx.appSetName, path, 'must be a map');
  const kinds = kindsOf(gen);
  if (kinds.length === 0) {
    throw new AppSetGeneratorError(ctx.appSetName, path, `names no generator (supported: list, clusters, git, matrix, merge); keys: ${Object.keys(gen).join(', ') || 'none'}`);
  }
  const keep = selectorFilter(ctx, path, gen.selector as LabelSelector | undefined);
  const results: GeneratorResult[] = [];
  for (const kind of kinds) {
    const override = ((gen as Record<string, unknown>)[kind] as { template?: ApplicationSetTemplate } | undefined)?.template;
    const template = mergeTemplate(override, base);
    const params = (await paramsOfKind(kind, gen, ctx, path, 0)).filter(keep);
    results.push({ params, template, path: `${path}.${kind}` });
  }
  return results;
}

/** mergo.Merge(generator template, appset template): the generator's non-empty fields win, the rest come from the ApplicationSet. */
export function mergeTemplate(override: ApplicationSetTemplate | undefined, base: ApplicationSetTemplate): ApplicationSetTemplate {
  const copy = cloneJson(base) as unknown as ParamSet;
  if (override === undefined || override === null) return copy as unknown as ApplicationSetTemplate;
  return mergoMerge(cloneJson(override) as unknown as ParamSet, copy, false) as unknown as ApplicationSetTemplate;
}
