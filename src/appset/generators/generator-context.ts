// What the generators are handed: the ApplicationSet's templating mode, the
// data sources (git trees, cluster Secrets) as async functions, and the
// template renderer (Go text/template + sprig or fasttemplate, exact, from
// the compatibility module) as a batch function — so this folder does no I/O
// and loads no WebAssembly. AppSetGeneratorError names the ApplicationSet,
// the generator (by its path in the spec) and the cause.
import { CapstanError, describeError, type RetryClass } from '../../errors.ts';
import type { RenderTemplates } from '../../template/template-types.ts';

export type { RenderTemplates, TemplateRequest, TemplateResult } from '../../template/template-types.ts';

/** A cluster Secret (label argocd.argoproj.io/secret-type=cluster) as the clusters generator reads it. */
export interface ClusterSecretInfo {
  readonly name: string;
  readonly server: string;
  readonly project?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface GitSource {
  /** Every directory of the repository at `revision` (no dot-directories), in a depth-first walk with sorted names. */
  directories(repoURL: string, revision: string): Promise<readonly string[]>;
  /** The files `pattern` (a git pathspec) selects at `revision`: path → content. */
  files(repoURL: string, revision: string, pattern: string): Promise<ReadonlyMap<string, string>>;
}

export interface GeneratorSources {
  readonly git: GitSource;
  /** The cluster Secrets of the control namespace, in list (name) order. */
  clusters(): Promise<readonly ClusterSecretInfo[]>;
  readonly render: RenderTemplates;
}

export interface GenerateContext {
  readonly appSetName: string;
  readonly goTemplate: boolean;
  readonly goTemplateOptions: readonly string[];
  readonly sources: GeneratorSources;
}

/** Argo CD's condition reasons for the two ways generation fails. */
export type GenerationReason = 'ApplicationGenerationFromParamsError' | 'RenderTemplateParamsError';

export class AppSetGeneratorError extends CapstanError {
  override readonly name = 'AppSetGeneratorError';

  constructor(readonly appSet: string, readonly generator: string, readonly detail: string,
    readonly reason: GenerationReason = 'ApplicationGenerationFromParamsError', retry: RetryClass = 'terminal') {
    super('AppSetGeneratorError', `ApplicationSet "${appSet}" ${generator}: ${detail}`, { retry });
  }
}

/** Wraps any failure of the generator at `path` (keeping a transient retry class, e.g. an unreachable repository). */
export function generatorFailure(ctx: GenerateContext, path: string, err: unknown): AppSetGeneratorError {
  if (err instanceof AppSetGeneratorError) return err;
  const retry = err instanceof CapstanError ? err.retry : 'terminal';
  return new AppSetGeneratorError(ctx.appSetName, path, describeError(err), 'ApplicationGenerationFromParamsError', retry);
}

/** Renders one batch; a failed request throws, naming the generator (as Argo CD stops at the first error). */
export function renderAll(ctx: GenerateContext, path: string, requests: Parameters<RenderTemplates>[0],
  reason: GenerationReason = 'ApplicationGenerationFromParamsError'): unknown[] {
  if (requests.length === 0) return [];
  const results = ctx.sources.render(requests);
  return results.map((r) => {
    if (!r.ok) throw new AppSetGeneratorError(ctx.appSetName, path, r.error, reason);
    return r.value;
  });
}
