// UTC offsets of IANA time zones, from the runtime's time zone database
// (Intl), for sync windows' `timeZone`. As Argo CD (time.LoadLocation), an
// empty zone is UTC, and a zone that cannot be loaded falls back to UTC.

const formats = new Map<string, Intl.DateTimeFormat | null>();

function formatFor(timeZone: string): Intl.DateTimeFormat | null {
  let f = formats.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
        hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short' });
    } catch {
      f = null;
    }
    if (formats.size >= 500) formats.clear();
    formats.set(timeZone, f);
  }
  return f;
}

/** Whether the zone is known (an unknown one is read as UTC). */
export function isKnownTimeZone(timeZone: string | undefined): boolean {
  return !timeZone || formatFor(timeZone) !== null;
}

// Offsets change on minute boundaries at most: the last answer per zone is kept for its minute.
const lastOffset = new Map<string, { minute: number; offset: number }>();

/** The zone's offset from UTC at that instant, in milliseconds (east positive). */
export function timeZoneOffsetMs(timeZone: string | undefined, atMs: number): number {
  if (!timeZone || timeZone === 'UTC') return 0;
  const minute = Math.floor(atMs / 60_000);
  const last = lastOffset.get(timeZone);
  if (last !== undefined && last.minute === minute) return last.offset;
  const offset = computeOffset(timeZone, atMs);
  if (lastOffset.size >= 500) lastOffset.clear();
  lastOffset.set(timeZone, { minute, offset });
  return offset;
}

function computeOffset(timeZone: string, atMs: number): number {
  const f = formatFor(timeZone);
  if (f === null) return 0;
  const at = Math.floor(atMs / 1000) * 1000;
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(at))) parts[p.type] = p.value;
  const year = parts['era'] === 'BC' ? 1 - Number(parts['year']) : Number(parts['year']);
  const wall = new Date(0);
  wall.setUTCFullYear(year, Number(parts['month']) - 1, Number(parts['day']));
  wall.setUTCHours(Number(parts['hour']), Number(parts['minute']), Number(parts['second']), 0);
  return wall.getTime() - at;
}
