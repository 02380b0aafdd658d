// One instance of the compatibility engine's WebAssembly module and its batch
// ABI: the request batch is written into a buffer the module allocates
// (capstan_alloc), capstan_call(method, ptr, len) runs it and returns the
// response buffer as ptr<<32 | len, capstan_free releases it. JSON both ways,
// so one boundary crossing serves a whole batch.
import { CapstanError } from '../errors.ts';
import { createWasiShim, type WasiShim } from './wasi-shim.ts';
import { wasmApi, type WasmMemory, type WasmModule } from './wasm-api.ts';

/** Method ids, in the order of engine.Methods in compat/engine/call.go. */
export const compatMethods = { version: 0, templates: 1, jq: 2, lua: 3 } as const;
export type CompatMethod = keyof typeof compatMethods;

interface CompatExports {
  readonly memory: WasmMemory;
  readonly _initialize: () => void;
  readonly capstan_alloc: (size: number) => number;
  readonly capstan_free: (ptr: number) => void;
  readonly capstan_call: (method: number, ptr: number, len: number) => bigint;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class CompatInstance {
  private readonly exports: CompatExports;
  private readonly wasi: WasiShim;

  /** Instantiates synchronously: the module is already compiled. */
  constructor(module: WasmModule) {
    this.wasi = createWasiShim();
    const instance = new wasmApi.Instance(module, this.wasi.imports);
    this.exports = instance.exports as unknown as CompatExports;
    this.wasi.bind(this.exports.memory);
    try {
      this.exports._initialize();
    } catch (err) {
      const stderr = this.wasi.stderrTail().trim();
      throw new Error(`${err instanceof Error ? err.message : String(err)}${stderr === '' ? '' : `: ${stderr.split('\n').slice(0, 4).join(' | ')}`}`, { cause: err });
    }
  }

  /** Runs one batch and returns the parsed `results` array. Throws if the engine fails. */
  call(method: CompatMethod, requests: unknown): unknown[] {
    const input = encoder.encode(JSON.stringify(requests));
    const { capstan_alloc, capstan_call, capstan_free, memory } = this.exports;
    const ptr = capstan_alloc(input.length) >>> 0;
    new Uint8Array(memory.buffer, ptr, input.length).set(input);
    const packed = capstan_call(compatMethods[method], ptr, input.length);
    const outPtr = Number(packed >> 32n);
    const outLen = Number(packed & 0xffffffffn);
    const text = decoder.decode(new Uint8Array(memory.buffer, outPtr, outLen));
    capstan_free(outPtr);
    const response = JSON.parse(text) as { results?: unknown[]; error?: string };
    if (response.error !== undefined || !Array.isArray(response.results)) {
      throw new CapstanError('CompatCallFailed', `the compatibility engine rejected a ${method} batch: ${response.error ?? 'no results'}`);
    }
    return response.results;
  }

  /** Bytes of linear memory; WebAssembly memory never shrinks. */
  memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }

  stderrTail(): string {
    return this.wasi.stderrTail();
  }
}
