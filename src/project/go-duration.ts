// Go's time.ParseDuration, which Argo CD applies to a sync window's
// `duration`: a signed sequence of decimal numbers, each with an optional
// fraction and a unit (ns, us/µs/μs, ms, s, m, h), e.g. "1h", "1h30m",
// "1.5h", "90s"; "0" alone needs no unit. Errors carry Go's messages.

const unitMs: Readonly<Record<string, number>> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000,
};

export class DurationParseError extends Error {
  override readonly name = 'DurationParseError';
}

const quote = (s: string): string => JSON.stringify(s);

/** Milliseconds (fractional below a millisecond); throws DurationParseError. */
export function parseGoDuration(text: string): number {
  const invalid = (): DurationParseError => new DurationParseError(`time: invalid duration ${quote(text)}`);
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s.startsWith('-');
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw invalid();
  let total = 0;
  while (s !== '') {
    const number = /^([0-9]*)(?:\.([0-9]*))?/.exec(s)!;
    const [whole, before, after] = [number[0], number[1] ?? '', number[2]];
    if (before === '' && (after === undefined || after === '')) throw invalid();
    s = s.slice(whole.length);
    const unitEnd = s.search(/[0-9.]/);
    const unit = unitEnd < 0 ? s : s.slice(0, unitEnd);
    if (unit === '') throw new DurationParseError(`time: missing unit in duration ${quote(text)}`);
    const scale = unitMs[unit];
    if (scale === undefined) throw new DurationParseError(`time: unknown unit ${quote(unit)} in duration ${quote(text)}`);
    s = s.slice(unit.length);
    total += Number(`${before === '' ? '0' : before}.${after ?? ''}0`) * scale;
  }
  // Go's Duration is an int64 of nanoseconds (about 292 years).
  if (total * 1e6 > 2 ** 63) throw invalid();
  return negative ? -total : total;
}
