// The Lua runner health is handed: gopher-lua (Lua 5.1, the VM Argo CD runs
// health scripts on) compiled to WebAssembly by the compatibility module
// (src/compat), sandboxed with a time limit. Pure modules receive it as a
// function; only composition code loads it.

export interface RunLuaRequest {
  readonly script: string;
  readonly obj: unknown;
  /** Argo CD's `useOpenLibs`: the full standard library instead of the safe subset. */
  readonly openLibs?: boolean;
  readonly timeoutMs?: number;
  readonly globals?: Readonly<Record<string, unknown>>;
}

export type RunLuaResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

export type RunLua = (request: RunLuaRequest) => RunLuaResult;

/** Argo CD runs each health script with a 1 s limit. */
export const luaHealthTimeoutMs = 1000;
