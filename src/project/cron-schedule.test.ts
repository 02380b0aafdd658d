import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goZeroTime, nextFire, parseCron } from './cron-schedule.ts';
import { parseGoDuration } from './go-duration.ts';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

test('cron: robfig standard-parser errors, with its messages', () => {
  const cases: Array<[string, string]> = [
    ['', 'empty spec string'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['0 * * * * *', 'expected exactly 5 fields, found 6: [0 * * * * *]'],
    ['@daily', 'parser does not accept descriptors: @daily'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* 24 * * *', 'end of range (24) above maximum (23): 24'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['* * * 13 *', 'end of range (13) above maximum (12): 13'],
    ['* * * * 7', 'end of range (7) above maximum (6): 7'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['*/2/3 * * * *', 'too many slashes: */2/3'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['* * * * fri-mon', 'beginning of range (5) beyond end of range (1): fri-mon'],
  ];
  for (const [spec, message] of cases) assert.throws(() => parseCron(spec), { message }, spec);
});

test('cron: next firing time, field by field', () => {
  const cases: Array<{ spec: string; after: string; want: string }> = [
    { spec: '* * * * *', after: '2026-03-10T10:00:00.000Z', want: '2026-03-10T10:01:00.000Z' },
    { spec: '* * * * *', after: '2026-03-10T10:00:59.999Z', want: '2026-03-10T10:01:00.000Z' },
    { spec: '0 22 * * *', after: '2026-03-10T10:00:00.000Z', want: '2026-03-10T22:00:00.000Z' },
    { spec: '0 22 * * *', after: '2026-03-10T22:00:00.000Z', want: '2026-03-11T22:00:00.000Z' },
    { spec: '0 22 * * *', after: '2026-03-10T21:59:59.500Z', want: '2026-03-10T22:00:00.000Z' },
    { spec: '*/15 9-17 * * 1-5', after: '2026-03-13T17:50:00.000Z', want: '2026-03-16T09:00:00.000Z' },
    { spec: '30 2 1 jan *', after: '2026-03-10T00:00:00.000Z', want: '2027-01-01T02:30:00.000Z' },
    { spec: '0 0 * * SUN', after: '2026-03-10T00:00:00.000Z', want: '2026-03-15T00:00:00.000Z' },
    { spec: '0 0 ? * mon,wed', after: '2026-03-10T00:00:00.000Z', want: '2026-03-11T00:00:00.000Z' },
    // Both day fields restricted: the 1st of the month OR a Monday.
    { spec: '0 0 1 * 1', after: '2026-03-10T00:00:00.000Z', want: '2026-03-16T00:00:00.000Z' },
    { spec: '0 0 1 * 1', after: '2026-03-30T00:00:00.000Z', want: '2026-04-01T00:00:00.000Z' },
    // A step of one keeps `*` a star: both day fields must match.
    { spec: '0 0 13 * */1', after: '2026-03-10T00:00:00.000Z', want: '2026-03-13T00:00:00.000Z' },
    { spec: '5/20 * * * *', after: '2026-03-10T10:06:00.000Z', want: '2026-03-10T10:25:00.000Z' },
    { spec: '0 12 29 2 *', after: '2026-03-10T00:00:00.000Z', want: '2028-02-29T12:00:00.000Z' },
    { spec: '59 23 31 12 *', after: '2026-12-31T23:59:00.000Z', want: '2027-12-31T23:59:00.000Z' },
  ];
  for (const c of cases) assert.equal(iso(nextFire(parseCron(c.spec), at(c.after))), c.want, `${c.spec} after ${c.after}`);
});

test('cron: a schedule that never fires yields Go zero time', () => {
  assert.equal(nextFire(parseCron('0 0 30 2 *'), at('2026-03-10T00:00:00Z')), goZeroTime);
  assert.equal(iso(goZeroTime), '0001-01-01T00:00:00.000Z');
});

test("durations: Go's time.ParseDuration", () => {
  const ok: Array<[string, number]> = [
    ['1h', 3_600_000], ['30m', 1_800_000], ['1h30m', 5_400_000], ['1.5h', 5_400_000], ['90s', 90_000], ['0', 0],
    ['300ms', 300], ['-1h', -3_600_000], ['+2m', 120_000], ['1h0m0s', 3_600_000], ['.5s', 500], ['1.s', 1000], ['1000000us', 1000],
  ];
  for (const [text, want] of ok) assert.equal(parseGoDuration(text), want, text);
  const bad: Array<[string, string]> = [
    ['', 'time: invalid duration ""'], ['1', 'time: missing unit in duration "1"'], ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['h', 'time: invalid duration "h"'], ['.s', 'time: invalid duration ".s"'], ['1h 30m', 'time: unknown unit "h " in duration "1h 30m"'],
  ];
  for (const [text, message] of bad) assert.throws(() => parseGoDuration(text), { message }, text);
});
