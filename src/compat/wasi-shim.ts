// A minimal WASI (preview 1) host for the compatibility engine: just what Go's
// wasip1 runtime needs to run pure computations. One argument (the program
// name, which Go code may index), no environment, no preopened directories (so no file can be opened), no
// sockets; clocks, random bytes and sleeping work; fd 1 is discarded and fd 2
// is kept (the last few KiB) to explain a crash. Every other call answers
// ENOSYS. proc_exit throws CompatExit.

import type { WasmImports, WasmMemory } from './wasm-api.ts';

const ESUCCESS = 0;
const EBADF = 8;
const EINVAL = 28;
const ENOSYS = 52;

const stderrKeep = 8192;

/** Thrown by proc_exit: the module ended (e.g. a Go fatal error). */
export class CompatExit extends Error {
  override readonly name = 'CompatExit';
  constructor(readonly code: number) {
    super(`the compatibility engine exited with code ${code}`);
  }
}

export interface WasiShim {
  readonly imports: WasmImports;
  /** Binds the shim to the instance's memory; call before _initialize. */
  bind(memory: WasmMemory): void;
  /** What the module wrote to stderr most recently. */
  stderrTail(): string;
}

export function createWasiShim(): WasiShim {
  let memory: WasmMemory | undefined;
  let stderr = '';
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const view = (): DataView => {
    if (memory === undefined) throw new Error('WASI shim used before bind()');
    return new DataView(memory.buffer);
  };
  const bytes = (ptr: number, len: number): Uint8Array => new Uint8Array(view().buffer, ptr >>> 0, len >>> 0);
  const zeroCounts = (countPtr: number, sizePtr: number): number => {
    const v = view();
    v.setUint32(countPtr >>> 0, 0, true);
    v.setUint32(sizePtr >>> 0, 0, true);
    return ESUCCESS;
  };
  const nowNs = (clockId: number): bigint | undefined => {
    switch (clockId) {
      case 0: return BigInt(Date.now()) * 1_000_000n; // realtime
      case 1: case 2: case 3: return process.hrtime.bigint(); // monotonic, process and thread CPU time
      default: return undefined;
    }
  };

  const argv0 = new TextEncoder().encode('compat\0');
  const wasi: Record<string, (...args: never[]) => number> = {
    args_sizes_get: (countPtr: number, sizePtr: number) => {
      const v = view();
      v.setUint32(countPtr >>> 0, 1, true);
      v.setUint32(sizePtr >>> 0, argv0.length, true);
      return ESUCCESS;
    },
    args_get: (argvPtr: number, bufPtr: number) => {
      view().setUint32(argvPtr >>> 0, bufPtr >>> 0, true);
      bytes(bufPtr, argv0.length).set(argv0);
      return ESUCCESS;
    },
    environ_sizes_get: zeroCounts,
    environ_get: () => ESUCCESS,
    sched_yield: () => ESUCCESS,
    proc_exit: (code: number) => { throw new CompatExit(code); },
    clock_time_get: (clockId: number, _precision: bigint, resultPtr: number) => {
      const ns = nowNs(clockId);
      if (ns === undefined) return EINVAL;
      view().setBigUint64(resultPtr >>> 0, ns, true);
      return ESUCCESS;
    },
    clock_res_get: (clockId: number, resultPtr: number) => {
      if (nowNs(clockId) === undefined) return EINVAL;
      view().setBigUint64(resultPtr >>> 0, 1000n, true);
      return ESUCCESS;
    },
    random_get: (ptr: number, len: number) => {
      // getRandomValues fills at most 64 KiB per call.
      for (let off = 0; off < len; off += 65536) {
        crypto.getRandomValues(bytes(ptr + off, Math.min(65536, len - off)));
      }
      return ESUCCESS;
    },
    fd_write: (fd: number, iovs: number, iovsLen: number, writtenPtr: number) => {
      if (fd !== 1 && fd !== 2) return EBADF;
      const v = view();
      let written = 0;
      for (let i = 0; i < iovsLen; i++) {
        const ptr = v.getUint32((iovs >>> 0) + i * 8, true);
        const len = v.getUint32((iovs >>> 0) + i * 8 + 4, true);
        if (fd === 2) stderr = (stderr + Buffer.from(bytes(ptr, len)).toString('utf8')).slice(-stderrKeep);
        written += len;
      }
      v.setUint32(writtenPtr >>> 0, written, true);
      return ESUCCESS;
    },
    fd_prestat_get: () => EBADF, // no preopened directories
    fd_fdstat_get: (fd: number, statPtr: number) => {
      if (fd > 2) return EBADF;
      const v = view();
      for (let i = 0; i < 24; i++) v.setUint8((statPtr >>> 0) + i, 0);
      v.setUint8(statPtr >>> 0, 2); // filetype: character device
      return ESUCCESS;
    },
    poll_oneoff: (inPtr: number, outPtr: number, nsubs: number, neventsPtr: number) => pollOneoff(inPtr, outPtr, nsubs, neventsPtr),
  };

  // Clock subscriptions sleep until the earliest deadline; anything else
  // (a file descriptor) reports EBADF. Go uses this only when every
  // goroutine waits on a timer.
  function pollOneoff(inPtr: number, outPtr: number, nsubs: number, neventsPtr: number): number {
    const v = view();
    let sleepNs: bigint | undefined;
    for (let i = 0; i < nsubs; i++) {
      const sub = (inPtr >>> 0) + i * 48;
      if (v.getUint8(sub + 8) !== 0) continue;
      const clockId = v.getUint32(sub + 16, true);
      const timeout = v.getBigUint64(sub + 24, true);
      const absolute = (v.getUint16(sub + 40, true) & 1) === 1;
      const now = nowNs(clockId) ?? 0n;
      const wait = absolute ? timeout - now : timeout;
      const clamped = wait < 0n ? 0n : wait;
      if (sleepNs === undefined || clamped < sleepNs) sleepNs = clamped;
    }
    if (sleepNs !== undefined && sleepNs > 0n) Atomics.wait(sleeper, 0, 0, Number(sleepNs / 1_000_000n) || 1);
    for (let i = 0; i < nsubs; i++) {
      const sub = (inPtr >>> 0) + i * 48;
      const event = (outPtr >>> 0) + i * 32;
      v.setBigUint64(event, v.getBigUint64(sub, true), true); // userdata
      const isClock = v.getUint8(sub + 8) === 0;
      v.setUint16(event + 8, isClock ? ESUCCESS : EBADF, true);
      v.setUint8(event + 10, v.getUint8(sub + 8));
      for (let b = 11; b < 32; b++) v.setUint8(event + b, 0);
    }
    v.setUint32(neventsPtr >>> 0, nsubs, true);
    return ESUCCESS;
  }

  const handler: ProxyHandler<typeof wasi> = {
    get: (target, name: string) => target[name] ?? (() => ENOSYS),
  };
  return {
    imports: { wasi_snapshot_preview1: new Proxy(wasi, handler) },
    bind: (m) => { memory = m; },
    stderrTail: () => stderr,
  };
}
