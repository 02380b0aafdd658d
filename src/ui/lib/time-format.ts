// Times as people read them: "3 minutes ago" beside the exact UTC time.
// The clock is passed in, so the functions stay pure.
export function relativeTime(iso: string | undefined, now: number): string {
  if (iso === undefined || iso === '') return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = Math.round((now - t) / 1000);
  if (s < 0) return 'just now';
  if (s < 45) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

export function exactTime(iso: string | undefined): string {
  if (iso === undefined || iso === '') return '';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}
