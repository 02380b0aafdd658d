// The template renderer's contract (until the compatibility module's own
// types land in src/template): a batch of requests, each a JSON value whose
// strings are rendered with `params` as Argo CD renders them (Go
// text/template + sprig, or fasttemplate), plus an optional templatePatch.
export interface TemplateRequest {
  readonly template: unknown;
  readonly params: Readonly<Record<string, unknown>>;
  readonly goTemplate: boolean;
  readonly goTemplateOptions?: readonly string[];
  readonly templatePatch?: string;
}

export type TemplateResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string; readonly errorClass: string };

export type RenderTemplates = (requests: readonly TemplateRequest[]) => TemplateResult[];
