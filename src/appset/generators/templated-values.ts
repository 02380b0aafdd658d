// A generator's `values` (git, clusters): each value is rendered with the
// parameter set it belongs to and added as `values.<key>` (fasttemplate) or
// as a `values` map (Go templates), after the generator's own parameters —
// so values may use them, never each other (appendTemplatedValues).
import { renderAll, type GenerateContext } from './generator-context.ts';
import type { ParamSet } from './param-merge.ts';

export function appendTemplatedValues(ctx: GenerateContext, path: string, values: Readonly<Record<string, string>> | undefined,
  paramSets: ParamSet[]): void {
  const keys = Object.keys(values ?? {});
  if (keys.length === 0) return;
  const strings = keys.map((k) => values![k]!);
  // Rendered as a list, so keys stay as written (Argo CD renders only the values).
  const rendered = renderAll(ctx, `${path}.values`, paramSets.map((params) => ({
    template: strings, params, goTemplate: ctx.goTemplate, goTemplateOptions: ctx.goTemplateOptions,
  })));
  paramSets.forEach((params, i) => {
    const out = rendered[i] as string[];
    if (ctx.goTemplate) params['values'] = Object.fromEntries(keys.map((k, j) => [k, out[j]]));
    else keys.forEach((k, j) => { params[`values.${k}`] = out[j]; });
  });
}
