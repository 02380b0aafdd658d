// The template engine's contract, as the ApplicationSet code uses it: one
// synchronous call renders a batch of JSON values with Argo CD's renderer
// (Go text/template + sprig, or fasttemplate when goTemplate is false). The
// implementation is the Go compatibility engine (src/compat); this file is
// only types, so the pure core can depend on it.

/** One value to render: an Application template or a generator spec. */
export interface TemplateRequest {
  /** Any JSON value; every string in it (map keys included) is rendered. */
  readonly template: unknown;
  /**
   * The parameter set. Go templates see it as `.`; fasttemplate substitutes
   * only string values, by their (flattened) key. With no parameters at all
   * the template is returned untouched, as Argo CD does.
   */
  readonly params: Readonly<Record<string, unknown>>;
  readonly goTemplate: boolean;
  /** Go template options, e.g. `missingkey=error`. */
  readonly goTemplateOptions?: readonly string[];
  /**
   * Rendered as a string with the same parameters, read as YAML or JSON and
   * applied to the rendered Application as a strategic merge patch
   * (spec.project cannot change). Application templates only.
   */
  readonly templatePatch?: string;
  /**
   * Finalizers a rendered Application gets when it has none, before the
   * patch: where Argo CD's renderer adds `resources-finalizer.argocd.argoproj.io`
   * unless `syncPolicy.preserveResourcesOnDeletion`. Like Argo CD, not applied
   * when `params` is empty.
   */
  readonly defaultFinalizers?: readonly string[];
  /**
   * `generator` renders a generator spec for matrix/merge interpolation:
   * errors are prefixed as Argo CD prefixes them, and a generator's `values`
   * resolve with missingkey=error first, unresolved ones kept as written.
   * @default 'application'
   */
  readonly target?: 'application' | 'generator';
}

/**
 * Why a render failed: `parse` (template syntax, or fasttemplate's unclosed
 * tag), `exec` (execution, e.g. a function error), `missingKey` (a missing
 * map key or field, under missingkey=error), `option` (an unknown
 * goTemplateOptions entry), `patch` (templatePatch could not be read or
 * applied), `input` (a malformed request), `crash` (the engine died on this
 * request, e.g. out of memory).
 */
export type TemplateErrorClass = 'parse' | 'exec' | 'missingKey' | 'option' | 'patch' | 'input' | 'crash';

export type TemplateResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: string; readonly errorClass: TemplateErrorClass };

/** Renders each request; results are in request order. */
export type RenderTemplates = (requests: readonly TemplateRequest[]) => TemplateResult[];
