// The Lua runner's contract for health checks and resource actions:
// gopher-lua (the VM Argo CD uses) runs a script in Argo CD's environment.
// The implementation is the Go compatibility engine (src/compat); this file
// is only types. Interpreting the value (a health status, an action's
// result) belongs to the caller. `RunLuaBatch` is the engine's batch call; a
// per-request function (the `RunLua` of ./lua.ts) is
// `(r) => runLuaBatch([r])[0]`, which Compat provides as `runLuaScript`.

export interface LuaRequest {
  readonly script: string;
  /** The global `obj`. */
  readonly obj: unknown;
  /**
   * All standard libraries (`resource.customizations.useOpenLibs.<g>_<K>`,
   * and Argo CD's built-in scripts). Otherwise only base, table, package
   * and the safe os (os.time, os.date). @default false
   */
  readonly openLibs?: boolean;
  /** @default 1000, Argo CD's limit */
  readonly timeoutMs?: number;
  /** More globals, e.g. `actionParams` (an empty table unless given). */
  readonly globals?: Readonly<Record<string, unknown>>;
}

/** The Lua type name of a script's value, as `type()` reports it. */
export type LuaTypeName = 'nil' | 'boolean' | 'number' | 'string' | 'table' | 'function' | 'userdata' | 'thread' | 'channel';

/**
 * `syntax` (the script does not compile), `runtime` (an error raised while
 * running), `timeout`, `memory` (the heap limit), `encode` (the value has no
 * JSON form: a sparse array, mixed keys, a nested self-reference, a
 * function inside a table), `crash` (the engine died on this request).
 */
export type LuaErrorClass = 'syntax' | 'runtime' | 'timeout' | 'memory' | 'encode' | 'crash';

export type LuaResult =
  | {
    readonly ok: true;
    /**
     * The value the script left on top of the stack (its last returned
     * value), as JSON: a table becomes an object or an array (an empty
     * table is []), nil null; a function, thread or userdata null too.
     */
    readonly value: unknown;
    readonly luaType: LuaTypeName;
  }
  | { readonly ok: false; readonly error: string; readonly errorClass: LuaErrorClass };

/** Runs each request; results are in request order. */
export type RunLuaBatch = (requests: readonly LuaRequest[]) => LuaResult[];
