// An ApplicationSet's desired Applications (controllers/template/template.go):
// the results of every generator entry, in order; each parameter set renders
// the (merged) template — every string, as Go text/template + sprig or
// fasttemplate — then `templatePatch` is rendered and merged over it. An
// Application gets `resources-finalizer.argocd.argoproj.io` unless its
// template names finalizers or the ApplicationSet preserves resources on
// deletion; an empty parameter set leaves the template as written (as Argo CD
// does). All renders go to the template engine in one batch, and only the
// strings that hold "{{" are sent (template-holes.ts). Any failure throws: the
// caller applies nothing.
import type { Application } from '../../api/application.ts';
import type { ApplicationSet, ApplicationSetTemplate } from '../../api/application-set.ts';
import { AppSetGeneratorError, type GenerateContext, type GeneratorSources, type TemplateRequest } from './generator-context.ts';
import { generatorResults } from './generator-params.ts';
import { isPlainObject } from './go-yaml.ts';
import { cloneJson } from './param-merge.ts';
import { compileTemplate, fillTemplate, type CompiledTemplate } from './template-holes.ts';

interface Slot {
  readonly generator: string;
  /** Index of the render request, if the Application needs one. */
  readonly request?: number;
  readonly compiled?: CompiledTemplate;
  /** The Application as written, when nothing is rendered. */
  readonly fixed?: unknown;
}

export const resourcesFinalizer = 'resources-finalizer.argocd.argoproj.io';

export interface GeneratedApplication {
  readonly app: Application;
  /** The generator entry that produced it, e.g. generators[1].git. */
  readonly generator: string;
}

export interface Generation {
  readonly applications: GeneratedApplication[];
  /** Parameter sets generated, before rendering. */
  readonly paramCount: number;
}

function templateApplication(template: ApplicationSetTemplate, addFinalizer: boolean): Record<string, unknown> {
  const meta = template.metadata ?? {};
  const finalizers = meta.finalizers ?? [];
  return {
    metadata: {
      ...(meta.name !== undefined ? { name: meta.name } : {}), ...(meta.namespace !== undefined ? { namespace: meta.namespace } : {}),
      ...(meta.labels !== undefined ? { labels: meta.labels } : {}), ...(meta.annotations !== undefined ? { annotations: meta.annotations } : {}),
      ...(finalizers.length > 0 ? { finalizers } : addFinalizer ? { finalizers: [resourcesFinalizer] } : {}),
    },
    spec: template.spec ?? {},
  };
}

function toApplication(value: unknown, appSet: ApplicationSet, generator: string, ctx: GenerateContext): Application {
  if (!isPlainObject(value) || !isPlainObject(value['metadata'])) {
    throw new AppSetGeneratorError(ctx.appSetName, generator, 'the rendered template is not an Application (no metadata)', 'RenderTemplateParamsError');
  }
  const { name, namespace, ...rest } = value['metadata'];
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
    metadata: { ...(name !== undefined ? { name } : {}), namespace: typeof namespace === 'string' && namespace !== '' ? namespace : appSet.metadata.namespace!, ...rest },
    spec: (isPlainObject(value['spec']) ? value['spec'] : {}) as unknown as Application['spec'],
  } as Application;
}

export async function generateApplications(appSet: ApplicationSet, sources: GeneratorSources): Promise<Generation> {
  const spec = appSet.spec;
  const ctx: GenerateContext = {
    appSetName: appSet.metadata.name ?? '', goTemplate: spec.goTemplate === true, goTemplateOptions: spec.goTemplateOptions ?? [], sources,
  };
  if (!Array.isArray(spec.generators) || spec.generators.length === 0) {
    throw new AppSetGeneratorError(ctx.appSetName, 'generators', 'the ApplicationSet has no generators');
  }
  const preserve = spec.syncPolicy?.preserveResourcesOnDeletion === true;
  const requests: TemplateRequest[] = [];
  const slots: Slot[] = [];
  let paramCount = 0;
  for (const [i, gen] of spec.generators.entries()) {
    for (const result of await generatorResults(gen, ctx, `generators[${i}]`, spec.template)) {
      const template = templateApplication(result.template, !preserve);
      const compiled = compileTemplate(template);
      for (const params of result.params) {
        paramCount++;
        if (Object.keys(params).length === 0) {
          slots.push({ generator: result.path, fixed: templateApplication(result.template, false) });
        } else if (spec.templatePatch) {
          slots.push({ generator: result.path, request: requests.length });
          requests.push({ template, params, goTemplate: ctx.goTemplate, goTemplateOptions: ctx.goTemplateOptions, templatePatch: spec.templatePatch });
        } else if (compiled.strings.length === 0) {
          slots.push({ generator: result.path, fixed: template });
        } else {
          slots.push({ generator: result.path, request: requests.length, compiled });
          requests.push({ template: compiled.strings, params, goTemplate: ctx.goTemplate, goTemplateOptions: ctx.goTemplateOptions });
        }
      }
    }
  }
  const rendered = renderBatch(ctx, requests, slots);
  const applications = slots.map((slot) => {
    const value = slot.request === undefined ? cloneJson(slot.fixed)
      : slot.compiled ? fillTemplate(slot.compiled, rendered[slot.request] as unknown[]) : rendered[slot.request];
    return { generator: slot.generator, app: toApplication(value, appSet, slot.generator, ctx) };
  });
  return { applications, paramCount };
}

function renderBatch(ctx: GenerateContext, requests: TemplateRequest[], slots: readonly Slot[]): unknown[] {
  if (requests.length === 0) return [];
  const results = ctx.sources.render(requests);
  return results.map((r, i) => {
    if (r.ok) return r.value;
    const slot = slots.find((s) => s.request === i);
    throw new AppSetGeneratorError(ctx.appSetName, `${slot?.generator ?? 'template'} (parameter set ${i + 1})`,
      `failed to render the template: ${r.error}`, 'RenderTemplateParamsError');
  });
}
