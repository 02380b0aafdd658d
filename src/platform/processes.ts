// Starting and stopping the control plane's processes. Each runs detached in
// its own process group with output to a log file, so `capstan cluster up`
// can exit while the cluster keeps running and `down` can stop each group by
// pid. A pid is only signalled while /proc shows it still runs our binary, so
// a reused pid is never killed.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface StartedProcess {
  readonly component: string;
  readonly pid: number;
  readonly binary: string;
  readonly logFile: string;
}

/** Spawns `binary args` detached, stdout and stderr appended to `logFile`. */
export function startProcess(component: string, binary: string, args: string[], logFile: string): StartedProcess {
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(binary, args, { detached: true, stdio: ['ignore', fd, fd] });
    if (child.pid === undefined) throw new Error(`could not start ${component} (${binary})`);
    child.on('error', () => { /* reported through isAlive/exit checks */ });
    child.unref();
    return { component, pid: child.pid, binary, logFile };
  } finally {
    closeSync(fd);
  }
}

/** True when `pid` is alive and (if given) still runs `binary`. Zombies count as dead. */
export function isAlive(pid: number, binary?: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return false;
    if (binary === undefined) return true;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.split('\0')[0] === binary;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try { process.kill(pid, signal); } catch { /* already gone */ }
  }
}

/**
 * Stops processes stage by stage: SIGTERM to every group of a stage, SIGKILL
 * to whatever of it is left after `graceMs`, then the next stage. Clients of
 * the API server go first and etcd last, so no component waits on a peer
 * that is already gone. Resolves once none of them runs.
 */
export async function stopProcesses(stages: readonly (readonly StartedProcess[])[], graceMs = 3_000): Promise<void> {
  for (const stage of stages) {
    const ours = stage.filter((p) => isAlive(p.pid, p.binary));
    for (const p of ours) signalGroup(p.pid, 'SIGTERM');
    await waitUntilGone(ours, graceMs);
    for (const p of ours) if (isAlive(p.pid)) signalGroup(p.pid, 'SIGKILL');
    await waitUntilGone(ours, 5_000);
  }
}

async function waitUntilGone(processes: readonly StartedProcess[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (processes.some((p) => isAlive(p.pid)) && Date.now() < deadline) await sleep(50);
}

/** The last `lines` lines of a log file, for error messages. */
export async function tailLog(file: string, lines = 15): Promise<string> {
  try {
    const text = await readFile(file, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
