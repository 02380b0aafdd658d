// The compatibility engine in-process: Argo CD's Go template renderer, gojq
// and gopher-lua compiled to one WebAssembly module (compat/), compiled once
// per process and instantiated lazily, with synchronous batch calls.
//
// A request that kills the instance (a Go fatal error such as running out of
// memory) must not take the others with it: the instance is replaced, the
// batch is retried one request at a time on fresh instances, and only the
// request that crashes again gets a `crash` error. Every method is a pure
// function of its request, so the retry changes nothing else.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { CapstanError, describeError } from '../errors.ts';
import type { RenderTemplates, TemplateRequest, TemplateResult } from '../template/template-types.ts';
import type { EvalJqBatch, JqRequest, JqResult } from '../diff/jq-types.ts';
import type { LuaRequest, LuaResult, RunLuaBatch } from '../health/lua-types.ts';
import { ensureCompatArtifacts } from './compat-build.ts';
import { CompatInstance, type CompatMethod } from './compat-instance.ts';
import { wasmApi, type WasmModule } from './wasm-api.ts';

export interface CompatVersions {
  readonly go: string;
  /** Module path → version, for every module linked in. */
  readonly modules: Readonly<Record<string, string>>;
}

export interface CompatStats {
  /** Time to compile the module (once per process). */
  readonly compileMs: number;
  /** Time to instantiate and initialize the current instance. */
  readonly instantiateMs: number;
  /** Instances replaced after a crash. */
  readonly restarts: number;
}

export interface Compat {
  readonly renderTemplates: RenderTemplates;
  readonly evalJq: EvalJqBatch;
  readonly runLua: RunLuaBatch;
  /** One jq request; fits the `EvalJq` the diff is handed (src/diff/jq.ts). */
  readonly evalJqProgram: (request: JqRequest) => JqResult;
  /** One Lua request; fits the `RunLua` health is handed (src/health/lua.ts). */
  readonly runLuaScript: (request: LuaRequest) => LuaResult;
  versions(): CompatVersions;
  stats(): CompatStats;
}

export interface LoadCompatOptions {
  /** A compat.wasm to load instead of the one compat/build.sh builds. */
  readonly wasmPath?: string;
  /** Where build progress goes (default: process.stderr). */
  readonly progress?: NodeJS.WritableStream;
}

let shared: Promise<Compat> | undefined;

// An instance whose memory grew past this (one huge string, say) is dropped
// after the call, since WebAssembly memory is never given back.
const recycleMemoryBytes = 1 << 30;

/** The process's engine, built and compiled on first use. */
export function loadCompat(options: LoadCompatOptions = {}): Promise<Compat> {
  if (options.wasmPath !== undefined) return compileCompat(options.wasmPath);
  shared ??= ensureCompatArtifacts(options.progress === undefined ? {} : { progress: options.progress })
    .then((artifacts) => compileCompat(artifacts.wasm))
    .catch((err: unknown) => {
      shared = undefined;
      throw err;
    });
  return shared;
}

async function compileCompat(wasmPath: string): Promise<Compat> {
  let bytes: Buffer;
  try {
    bytes = await readFile(wasmPath);
  } catch (err) {
    throw new CapstanError('CompatLoadFailed', `cannot read the compatibility engine ${wasmPath}: ${describeError(err)}`, { cause: err });
  }
  const t0 = performance.now();
  let module: WasmModule;
  try {
    module = await wasmApi.compile(bytes);
  } catch (err) {
    throw new CapstanError('CompatLoadFailed', `${wasmPath} is not a valid WebAssembly module: ${describeError(err)}`, { cause: err });
  }
  return createCompat(module, performance.now() - t0);
}

/** A Compat over an already compiled module. */
export function createCompat(module: WasmModule, compileMs = 0): Compat {
  let current: CompatInstance | undefined;
  let instantiateMs = 0;
  let restarts = 0;
  const instance = (): CompatInstance => {
    if (current !== undefined) return current;
    const t0 = performance.now();
    try {
      current = new CompatInstance(module);
    } catch (err) {
      throw new CapstanError('CompatLoadFailed', `the compatibility engine failed to start: ${describeError(err)}`, { cause: err });
    }
    instantiateMs = performance.now() - t0;
    return current;
  };

  function run(method: CompatMethod, requests: readonly unknown[], crashed: (reason: string) => unknown,
    encode: (requests: readonly unknown[]) => unknown = (r) => r): unknown[] {
    if (requests.length === 0) return [];
    const engine = instance();
    try {
      const results = engine.call(method, encode(requests));
      if (engine.memoryBytes() > recycleMemoryBytes) current = undefined;
      return results;
    } catch (err) {
      if (err instanceof CapstanError) throw err;
      const stderr = engine.stderrTail().trim().split('\n').slice(0, 3).join(' | ');
      const reason = `the compatibility engine crashed: ${describeError(err)}${stderr === '' ? '' : ` (${stderr})`}`;
      current = undefined;
      restarts++;
      if (requests.length === 1) return [crashed(reason)];
      return requests.flatMap((request) => run(method, [request], crashed, encode));
    }
  }
  const checked = (method: CompatMethod, requests: readonly unknown[]): void => {
    if (!Array.isArray(requests)) throw new CapstanError('CompatBadRequest', `${method}: the requests must be an array`);
  };

  const renderTemplates: RenderTemplates = (requests) => {
    checked('templates', requests);
    return run('templates', requests, (error) => ({ ok: false, error, errorClass: 'crash' }), shareTemplates).map(toTemplateResult);
  };
  const evalJq: EvalJqBatch = (requests) => {
    checked('jq', requests);
    return run('jq', requests, (error) => ({ ok: false, error, errorClass: 'crash', outputs: [] })).map(toJqResult);
  };
  const runLua: RunLuaBatch = (requests) => {
    checked('lua', requests);
    return run('lua', requests, (error) => ({ ok: false, error, errorClass: 'crash' })).map(toLuaResult);
  };
  return {
    renderTemplates,
    evalJq,
    runLua,
    evalJqProgram: (request) => evalJq([request])[0]!,
    runLuaScript: (request) => runLua([request])[0]!,
    versions: () => instance().call('version', [])[0] as unknown as CompatVersions,
    stats: () => ({ compileMs, instantiateMs, restarts }),
  };
}

// Each distinct template object travels once (see sharedBatch in
// compat/engine/templates.go): an ApplicationSet renders one template with
// every parameter set.
function shareTemplates(requests: readonly unknown[]): unknown {
  const templates: unknown[] = [];
  const index = new Map<unknown, number>();
  const shared = (requests as readonly TemplateRequest[]).map((request) => {
    const { template, ...rest } = request;
    if (template === null || typeof template !== 'object') return request;
    let ref = index.get(template);
    if (ref === undefined) {
      ref = templates.push(template) - 1;
      index.set(template, ref);
    }
    return { ...rest, ref };
  });
  return { templates, requests: shared };
}

interface RawResult {
  readonly ok: boolean;
  readonly value?: unknown;
  readonly outputs?: unknown[] | null;
  readonly luaType?: string;
  readonly error?: string;
  readonly errorClass?: string;
}

function toTemplateResult(raw: unknown): TemplateResult {
  const r = raw as RawResult;
  if (r.ok) return { ok: true, value: r.value ?? null };
  return { ok: false, error: r.error ?? '', errorClass: (r.errorClass ?? 'exec') as Extract<TemplateResult, { ok: false }>['errorClass'] };
}

function toJqResult(raw: unknown): JqResult {
  const r = raw as RawResult;
  const outputs = r.outputs ?? [];
  if (r.ok) return { ok: true, outputs };
  return { ok: false, error: r.error ?? '', errorClass: (r.errorClass ?? 'runtime') as Extract<JqResult, { ok: false }>['errorClass'], outputs };
}

function toLuaResult(raw: unknown): LuaResult {
  const r = raw as RawResult;
  if (r.ok) return { ok: true, value: r.value ?? null, luaType: (r.luaType ?? 'nil') as Extract<LuaResult, { ok: true }>['luaType'] };
  return { ok: false, error: r.error ?? '', errorClass: (r.errorClass ?? 'runtime') as Extract<LuaResult, { ok: false }>['errorClass'] };
}
