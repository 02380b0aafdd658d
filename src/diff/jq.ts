// The jq evaluator the diff is handed: gojq compiled to WebAssembly by the
// compatibility module (src/compat), so `jqPathExpressions` mean exactly what
// they mean in Argo CD. Pure modules receive it as a function; only
// composition code loads it.

export interface EvalJqRequest {
  readonly program: string;
  readonly input: unknown;
  readonly timeoutMs?: number;
}

export type EvalJqResult = { readonly ok: true; readonly outputs: unknown[] } | { readonly ok: false; readonly error: string };

export type EvalJq = (request: EvalJqRequest) => EvalJqResult;

/** Argo CD's default `ignore.normalizer.jq.timeout`. */
export const defaultJqTimeoutMs = 1000;
