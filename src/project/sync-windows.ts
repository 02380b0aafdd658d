// Sync windows (AppProject spec.syncWindows), decided as Argo CD decides
// them (SyncWindows.Matches / Active / InactiveAllows / CanSync;
// docs: user-guide/sync_windows.md) — a pure function of the windows, the
// app and the time:
// - A window applies to an app when one of its `applications` globs matches
//   the app's name, one of its `clusters` globs its destination name or
//   server (as the spec gives them), or one of its `namespaces` globs its
//   destination namespace; with `andOperator` every list it sets must match.
// - A window is active when its cron `schedule` fired less than `duration`
//   ago, read on the wall clock of its `timeZone` (UTC when empty or
//   unknown). As Argo CD, the zone's offset is the one in force now, so a
//   window follows daylight saving time.
// - No window applies: any sync. An active deny window: no sync, except a
//   manual one when every active deny window has `manualSync`. Otherwise an
//   active allow window: any sync. Otherwise, when allow windows apply but
//   none is active: only a manual sync, and only if all of them have
//   `manualSync`. A schedule or duration that does not parse blocks syncs
//   ("invalid sync windows: ...").
import type { SyncWindow } from '../api/app-project.ts';
import { CronParseError, goZeroTime, nextFire, parseCron, type CronSchedule } from './cron-schedule.ts';
import { DurationParseError, parseGoDuration } from './go-duration.ts';
import { globMatch } from './glob.ts';
import { timeZoneOffsetMs } from './time-zone.ts';

/** What windows select an app by: its name and its destination as the spec gives it. */
export interface WindowTarget {
  readonly name: string;
  readonly destination: { readonly server?: string; readonly name?: string; readonly namespace?: string };
}

export class SyncWindowError extends Error {
  override readonly name = 'SyncWindowError';
}

const argoGlob = (pattern: string, value: string): boolean => pattern === '*' || globMatch(pattern, value);

/** The windows that apply to the app, in the project's order. */
export function matchingWindows(windows: readonly SyncWindow[] | undefined, app: WindowTarget): SyncWindow[] {
  const dest = app.destination;
  return (windows ?? []).filter((w) => {
    const checks: boolean[] = [];
    if ((w.applications ?? []).length > 0) checks.push(w.applications!.some((a) => argoGlob(a, app.name)));
    if ((w.clusters ?? []).length > 0) {
      checks.push(w.clusters!.some((c) => (!!dest.name && argoGlob(c, dest.name)) || (!!dest.server && argoGlob(c, dest.server))));
    }
    if ((w.namespaces ?? []).length > 0) checks.push(w.namespaces!.some((n) => argoGlob(n, dest.namespace ?? '')));
    return w.andOperator ? checks.length > 0 && checks.every(Boolean) : checks.some(Boolean);
  });
}

const schedules = new Map<string, CronSchedule | CronParseError>();

function scheduleOf(w: SyncWindow): CronSchedule {
  const spec = w.schedule ?? '';
  let parsed = schedules.get(spec);
  if (parsed === undefined) {
    try {
      parsed = parseCron(spec);
    } catch (err) {
      if (!(err instanceof CronParseError)) throw err;
      parsed = err;
    }
    if (schedules.size >= 1000) schedules.clear();
    schedules.set(spec, parsed);
  }
  if (parsed instanceof CronParseError) throw new SyncWindowError(`cannot parse schedule '${spec}': ${parsed.message}`);
  return parsed;
}

function durationOf(w: SyncWindow): number {
  try {
    return parseGoDuration(w.duration ?? '');
  } catch (err) {
    if (err instanceof DurationParseError) throw new SyncWindowError(`cannot parse duration '${w.duration ?? ''}': ${err.message}`);
    throw err;
  }
}

export interface WindowState {
  readonly active: boolean;
  /** When the window may next open or close (epoch ms): the moment to look again. */
  readonly changesAtMs: number;
}

/** Is the window open at `nowMs`? Throws SyncWindowError for a schedule or duration that does not parse. */
export function windowState(w: SyncWindow, nowMs: number): WindowState {
  const schedule = scheduleOf(w);
  const duration = durationOf(w);
  const offset = timeZoneOffsetMs(w.timeZone, nowMs);
  const local = nowMs + offset;
  const fired = nextFire(schedule, local - duration);
  // A schedule that never fires within five years yields Go's zero time, which is "before now": open.
  if (fired === goZeroTime) return { active: true, changesAtMs: Number.POSITIVE_INFINITY };
  if (fired < local) return { active: true, changesAtMs: fired + duration - offset };
  return { active: false, changesAtMs: nextFire(schedule, local) - offset + 1000 };
}

export interface SyncWindowDecision {
  readonly allowed: boolean;
  /** Set when a window does not parse (the sync is then refused). */
  readonly error?: string;
  /** When the answer may change (epoch ms); absent when no window applies or never. */
  readonly recheckAtMs?: number;
}

/** CanSync over the windows that apply to the app (see matchingWindows). */
export function canSync(windows: readonly SyncWindow[], isManual: boolean, nowMs: number): SyncWindowDecision {
  if (windows.length === 0) return { allowed: true };
  let states: WindowState[];
  try {
    states = windows.map((w) => windowState(w, nowMs));
  } catch (err) {
    if (err instanceof SyncWindowError) return { allowed: false, error: `invalid sync windows: ${err.message}` };
    throw err;
  }
  const recheck = Math.min(...states.map((s) => s.changesAtMs));
  const at = Number.isFinite(recheck) ? { recheckAtMs: recheck } : {};
  const active = windows.filter((_, i) => states[i]!.active);
  const activeDeny = active.filter((w) => w.kind === 'deny');
  if (activeDeny.length > 0) return { allowed: isManual && activeDeny.every((w) => w.manualSync === true), ...at };
  if (active.some((w) => w.kind === 'allow')) return { allowed: true, ...at };
  const inactiveAllow = windows.filter((w, i) => w.kind === 'allow' && !states[i]!.active);
  if (inactiveAllow.length > 0) return { allowed: isManual && inactiveAllow.every((w) => w.manualSync === true), ...at };
  return { allowed: true, ...at };
}

/**
 * The state `argocd app get` prints for the windows that apply to an app:
 * "Sync Denied" or "Manual Allowed" while a deny window is open or only
 * closed allow windows apply, else "Sync Allowed"; undefined when none applies.
 */
export function syncWindowSummary(windows: readonly SyncWindow[], nowMs: number): 'Sync Allowed' | 'Sync Denied' | 'Manual Allowed' | undefined {
  if (windows.length === 0) return undefined;
  let states: WindowState[];
  try {
    states = windows.map((w) => windowState(w, nowMs));
  } catch (err) {
    if (err instanceof SyncWindowError) return 'Sync Denied';
    throw err;
  }
  const deny = windows.some((w, i) => w.kind === 'deny' && states[i]!.active);
  const allow = windows.some((w, i) => w.kind !== 'deny' && states[i]!.active);
  const inactiveAllows = windows.some((w, i) => w.kind === 'allow' && !states[i]!.active);
  if (deny || (!allow && inactiveAllows)) return canSync(windows, true, nowMs).allowed ? 'Manual Allowed' : 'Sync Denied';
  return 'Sync Allowed';
}

/** "deny:0 22 * * *:1h", as Argo CD lists a window. */
export function describeWindow(w: SyncWindow): string {
  return `${w.kind ?? ''}:${w.schedule ?? ''}:${w.duration ?? ''}`;
}
