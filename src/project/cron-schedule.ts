// Cron schedules as Argo CD's sync windows read them: robfig/cron v3's
// parser with exactly the five standard fields (minute, hour, day of month,
// month, day of week; no seconds, no `@daily` descriptors), and its `Next`.
// Field syntax: `*` or `?`, `a`, `a-b`, `*/n`, `a/n` (a to the maximum),
// `a-b/n`, comma lists, month names jan–dec and weekday names sun–sat in any
// case; weekdays are 0–6 (Sunday 0). As robfig: when either day field is
// restricted, a day matches if the day of month OR the weekday does; when
// either is `*`, both must. `Next` searches at most five years ahead and
// otherwise returns Go's zero time (year 1), which callers compare as "long
// ago". The error messages are robfig's.
//
// Why our own: the npm cron packages disagree with robfig on details that
// decide when a window is open (7 as Sunday, seconds fields, descriptors,
// day-of-month/weekday rules, error texts); this file is small, pure and
// checked against robfig's rules by table tests.
//
// Times are milliseconds since the epoch read as UTC wall-clock time: sync
// windows shift the clock into the window's time zone before calling `next`.

/** Per field, which values fire (index = value); `*`/`?` day fields are remembered for the day rule. */
export interface CronSchedule {
  readonly minute: Uint8Array;
  readonly hour: Uint8Array;
  readonly dom: Uint8Array;
  readonly month: Uint8Array;
  readonly dow: Uint8Array;
  readonly domStar: boolean;
  readonly dowStar: boolean;
}

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

interface FieldBits {
  readonly values: Uint8Array;
  star: boolean;
}
const months = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const days = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const bounds = {
  minute: { min: 0, max: 59 }, hour: { min: 0, max: 23 }, dom: { min: 1, max: 31 },
  month: { min: 1, max: 12, names: months }, dow: { min: 0, max: 6, names: days },
} satisfies Record<string, Bounds>;

/** Go's time zero value (0001-01-01T00:00:00Z) in epoch milliseconds. */
export const goZeroTime = -62_135_596_800_000;

export class CronParseError extends Error {
  override readonly name = 'CronParseError';
}

function parseUint(expr: string): number {
  // strconv.Atoi: optional sign and decimal digits.
  if (!/^[+-]?[0-9]+$/.test(expr)) throw new CronParseError(`failed to parse int from ${expr}: strconv.Atoi: parsing "${expr}": invalid syntax`);
  const n = Number(expr);
  if (n < 0) throw new CronParseError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, names: Bounds['names']): number {
  const named = names?.[expr.toLowerCase()];
  return named ?? parseUint(expr);
}

function parseRange(expr: string, r: Bounds, into: FieldBits): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  const singleDigit = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = r.min;
    end = r.max;
    star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0]!, r.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1]!, r.names);
    else throw new CronParseError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseUint(rangeAndStep[1]!);
    // "N/step" means "N-max/step".
    if (singleDigit) end = r.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    throw new CronParseError(`too many slashes: ${expr}`);
  }
  if (start < r.min) throw new CronParseError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new CronParseError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new CronParseError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronParseError(`step of range should be a positive number: ${expr}`);
  for (let i = start; i <= end; i += step) into.values[i] = 1;
  // robfig ORs the star bit of each comma-separated range into the field.
  if (star) into.star = true;
}

function parseField(field: string, r: Bounds): FieldBits {
  const out: FieldBits = { values: new Uint8Array(r.max + 1), star: false };
  for (const expr of field.split(',')) parseRange(expr, r, out);
  return out;
}

/** robfig/cron's standard parser (cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow); throws CronParseError. */
export function parseCron(spec: string): CronSchedule {
  if (spec.length === 0) throw new CronParseError('empty spec string');
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    // Argo CD sets the zone with the window's timeZone; a zone inside the spec would be applied on top of it.
    throw new CronParseError(`a time zone in the schedule is not supported (use the window's timeZone): ${spec}`);
  }
  if (spec.startsWith('@')) throw new CronParseError(`parser does not accept descriptors: ${spec}`);
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) throw new CronParseError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const dom = parseField(fields[2]!, bounds.dom);
  const dow = parseField(fields[4]!, bounds.dow);
  return {
    minute: parseField(fields[0]!, bounds.minute).values, hour: parseField(fields[1]!, bounds.hour).values,
    dom: dom.values, month: parseField(fields[3]!, bounds.month).values, dow: dow.values, domStar: dom.star, dowStar: dow.star,
  };
}

const has = (set: Uint8Array, n: number): boolean => set[n] === 1;

function dayMatches(s: CronSchedule, d: Date): boolean {
  const domMatch = has(s.dom, d.getUTCDate());
  const dowMatch = has(s.dow, d.getUTCDay());
  if (s.domStar || s.dowStar) return domMatch && dowMatch;
  return domMatch || dowMatch;
}

/**
 * The first time after `afterMs` (whole seconds, at second 0 of a minute)
 * that the schedule fires, searching field by field as robfig's Next does;
 * Go's zero time when nothing matches within five years.
 */
export function nextFire(s: CronSchedule, afterMs: number): number {
  // Start at the next whole second.
  let t = new Date(Math.floor(afterMs / 1000) * 1000 + 1000);
  const yearLimit = t.getUTCFullYear() + 5;
  let added = false;
  // (Date.UTC maps years 0–99 to 1900–1999; such years are never searched.)
  const reset = (y: number, mo: number, d: number, h: number, mi: number): void => {
    t = new Date(Date.UTC(y, mo, d, h, mi, 0));
  };
  wrap: for (;;) {
    if (t.getUTCFullYear() > yearLimit) return goZeroTime;
    while (!has(s.month, t.getUTCMonth() + 1)) {
      if (!added) {
        added = true;
        reset(t.getUTCFullYear(), t.getUTCMonth(), 1, 0, 0);
      }
      reset(t.getUTCFullYear(), t.getUTCMonth() + 1, 1, 0, 0);
      if (t.getUTCMonth() === 0) continue wrap;
    }
    while (!dayMatches(s, t)) {
      if (!added) {
        added = true;
        reset(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), 0, 0);
      }
      reset(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate() + 1, 0, 0);
      if (t.getUTCDate() === 1) continue wrap;
    }
    while (!has(s.hour, t.getUTCHours())) {
      if (!added) {
        added = true;
        reset(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), t.getUTCHours(), 0);
      }
      t = new Date(t.getTime() + 3_600_000);
      if (t.getUTCHours() === 0) continue wrap;
    }
    while (!has(s.minute, t.getUTCMinutes())) {
      if (!added) {
        added = true;
        t = new Date(Math.floor(t.getTime() / 60_000) * 60_000);
      }
      t = new Date(t.getTime() + 60_000);
      if (t.getUTCMinutes() === 0) continue wrap;
    }
    // Second 0 only: robfig steps to the next minute and checks every field again.
    if (t.getUTCSeconds() !== 0) {
      added = true;
      t = new Date(Math.floor(t.getTime() / 60_000) * 60_000 + 60_000);
      continue wrap;
    }
    return t.getTime();
  }
}
