// What a test run leaves behind. Every process the run starts — test files,
// `capstan up` and `capstan cluster up` children, the cluster components they
// start detached — inherits one marker variable, so after the run (finished,
// failed or interrupted) whatever still carries it is found through /proc and
// stopped: SIGTERM, then SIGKILL after a grace period. The run's temporary
// files go to one directory of its own (TMPDIR), listed and removed at the end;
// what a test means to keep for review (UI screenshots) goes to the artifacts
// directory, which keeps the last finished run's (and those of runs still going).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export const runMarkerVariable = 'CAPSTAN_TEST_RUN';
export const artifactsVariable = 'CAPSTAN_TEST_ARTIFACTS';

export function newRunMarker(): string {
  return `${process.pid}-${randomBytes(4).toString('hex')}`;
}

export interface MarkedProcess {
  readonly pid: number;
  readonly command: string;
}

/** Processes (other than this one) whose environment carries the marker; none where /proc cannot be read. */
export function markedProcesses(marker: string): MarkedProcess[] {
  const needle = `\0${runMarkerVariable}=${marker}\0`;
  let entries: string[];
  try { entries = readdirSync('/proc'); } catch { return []; }
  const found: MarkedProcess[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (!`\0${readFileSync(`/proc/${pid}/environ`, 'latin1')}`.includes(needle)) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim();
      found.push({ pid, command });
    } catch { /* gone, or not ours to read */ }
  }
  return found;
}

/** Waits until no marked process runs (an interrupted `capstan up` stopping its clusters), at most `maxMs`. */
export async function waitForMarkedToExit(marker: string, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (markedProcesses(marker).length > 0 && Date.now() < deadline) await sleep(250);
}

/** Stops every marked process; returns what was found. */
export async function stopMarkedProcesses(marker: string, graceMs = 10_000): Promise<MarkedProcess[]> {
  const found = markedProcesses(marker);
  for (const p of found) { try { process.kill(p.pid, 'SIGTERM'); } catch { /* gone */ } }
  const deadline = Date.now() + graceMs;
  while (markedProcesses(marker).length > 0 && Date.now() < deadline) await sleep(200);
  for (const p of markedProcesses(marker)) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
  return found;
}

/** tsx's compile cache, kept across runs (the run's TMPDIR links to the machine's). */
const tsxCache = (root: string): string => path.join(root, `tsx-${os.userInfo().uid}`);
/** The harness' own cluster home (test/harness/cluster.ts testHome), expected while it holds no cluster. */
const harnessHome = 'capstan-test-home';

/** A temporary directory for one run (its TMPDIR). */
export function newRunTempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'capstan-test-run-'));
  mkdirSync(tsxCache(os.tmpdir()), { recursive: true });
  symlinkSync(tsxCache(os.tmpdir()), tsxCache(dir));
  return dir;
}

/** Removes the run's temporary directory (the tsx link, not its target); returns what the tests left in it. */
export function removeRunTempDir(dir: string): string[] {
  let left: string[] = [];
  try { left = readdirSync(dir); } catch { /* already gone */ }
  const clustersLeft = (): string[] => { try { return readdirSync(path.join(dir, harnessHome, 'clusters')); } catch { return []; } };
  left = left.filter((name) => name !== path.basename(tsxCache(dir)) && !(name === harnessHome && clustersLeft().length === 0));
  rmSync(dir, { recursive: true, force: true });
  return left;
}

/** This run's artifacts directory; earlier runs' (whose runner is gone) are removed first. */
export function newArtifactsDir(marker: string): string {
  const root = path.join(os.tmpdir(), 'capstan-test-artifacts');
  mkdirSync(root, { recursive: true });
  for (const entry of readdirSync(root)) {
    const owner = Number(entry.split('-')[0]);
    if (!Number.isInteger(owner) || !isRunning(owner)) rmSync(path.join(root, entry), { recursive: true, force: true });
  }
  const dir = path.join(root, marker);
  mkdirSync(dir);
  return dir;
}

function isRunning(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Removes the run's artifacts directory when the run kept nothing in it. */
export function dropEmptyArtifactsDir(dir: string): void {
  try {
    if (readdirSync(dir).length > 0) return;
    // The shared root stays: another run may be creating its directory in it.
    rmSync(dir, { recursive: true, force: true });
  } catch { /* gone */ }
}
