// A readable unified diff of two texts (`diff -u` style hunks with three
// lines of context), used to show one resource's live and desired YAML. The
// line alignment is a longest-common-subsequence over lines.

type Op = { kind: ' ' | '-' | '+'; line: string };

function lineOps(a: readonly string[], b: readonly string[]): Op[] {
  // Common prefix and suffix first: resource diffs are mostly equal lines.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length; let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const ma = a.slice(start, endA); const mb = b.slice(start, endB);
  const n = ma.length; const m = mb.length;
  if (n * m > 4_000_000) {
    // Too big to align line by line in bounded memory: show the middle as replaced.
    return [...a.slice(0, start).map((line): Op => ({ kind: ' ', line })), ...ma.map((line): Op => ({ kind: '-', line })),
      ...mb.map((line): Op => ({ kind: '+', line })), ...a.slice(endA).map((line): Op => ({ kind: ' ', line }))];
  }
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = ma[i] === mb[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const ops: Op[] = a.slice(0, start).map((line) => ({ kind: ' ', line }));
  let i = 0; let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && ma[i] === mb[j]) { ops.push({ kind: ' ', line: ma[i]! }); i++; j++; }
    else if (j < m && (i === n || lcs[i]![j + 1]! > lcs[i + 1]![j]!)) { ops.push({ kind: '+', line: mb[j]! }); j++; }
    else { ops.push({ kind: '-', line: ma[i]! }); i++; }
  }
  for (const line of a.slice(endA)) ops.push({ kind: ' ', line });
  return ops;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** `--- from` / `+++ to` and hunks; empty when the texts are equal. */
export function unifiedDiff(from: string, to: string, labels: { from: string; to: string }, context = 3): string {
  const ops = lineOps(splitLines(from), splitLines(to));
  if (ops.every((o) => o.kind === ' ')) return '';
  const out = [`--- ${labels.from}`, `+++ ${labels.to}`];
  const changed = ops.map((o, k) => (o.kind === ' ' ? -1 : k)).filter((k) => k >= 0);
  let h = 0;
  while (h < changed.length) {
    let first = changed[h]!; let last = first;
    while (h + 1 < changed.length && changed[h + 1]! - last <= 2 * context) last = changed[++h]!;
    h++;
    first = Math.max(0, first - context); last = Math.min(ops.length - 1, last + context);
    let aStart = 1; let bStart = 1;
    for (let k = 0; k < first; k++) { if (ops[k]!.kind !== '+') aStart++; if (ops[k]!.kind !== '-') bStart++; }
    const hunk = ops.slice(first, last + 1);
    const aLen = hunk.filter((o) => o.kind !== '+').length; const bLen = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${aLen === 0 ? aStart - 1 : aStart},${aLen} +${bLen === 0 ? bStart - 1 : bStart},${bLen} @@`);
    for (const o of hunk) out.push(`${o.kind}${o.line}`);
  }
  return `${out.join('\n')}\n`;
}
