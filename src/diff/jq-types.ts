// The jq evaluator's contract for ignoreDifferences jqPathExpressions: gojq
// (the library Argo CD uses) runs a program on a JSON input with a time
// limit. The implementation is the Go compatibility engine (src/compat);
// this file is only types. Argo CD wraps each expression as `del(<expr>)`
// and expects exactly one output; that logic belongs to the caller.
// `EvalJqBatch` is the engine's batch call; a per-request function (the
// `EvalJq` of ./jq.ts) is `(r) => evalJqBatch([r])[0]`, which Compat provides
// as `evalJqProgram`.

export interface JqRequest {
  readonly program: string;
  readonly input: unknown;
  /** Argo CD's `ignore.normalizer.jq.timeout`. @default 1000 */
  readonly timeoutMs?: number;
}

/**
 * `parse` and `compile` (bad program), `runtime` (an error raised while
 * running, or an output JSON cannot hold, like NaN), `timeout`, `memory`
 * (the heap limit), `crash` (the engine died on this request).
 */
export type JqErrorClass = 'parse' | 'compile' | 'runtime' | 'timeout' | 'memory' | 'crash';

export type JqResult =
  | { readonly ok: true; readonly outputs: unknown[] }
  | {
    readonly ok: false; readonly error: string; readonly errorClass: JqErrorClass;
    /** The first output produced before the error, if any. */
    readonly outputs: unknown[];
  };

/** Evaluates each request; results are in request order. */
export type EvalJqBatch = (requests: readonly JqRequest[]) => JqResult[];
