// Plain-text rendering of Applications for the CLI: the list table, the
// resource table of `app get`, and the history table.
import type { Application } from '../../api/application.ts';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 2))).join('').trimEnd()).join('\n') + '\n';
}

export function formatAppList(apps: readonly Application[]): string {
  const rows = [['NAME', 'PROJECT', 'SYNC', 'HEALTH', 'REVISION', 'DESTINATION']];
  for (const a of apps) {
    const d = a.spec.destination ?? {};
    rows.push([a.metadata.name ?? '', a.spec.project, a.status?.sync?.status ?? 'Unknown', a.status?.health?.status ?? 'Unknown',
      (a.status?.sync?.revision ?? a.status?.sync?.revisions?.join(',') ?? '').slice(0, 7), `${d.server ?? d.name ?? ''} ${d.namespace ?? ''}`.trim()]);
  }
  return table(rows);
}

/** The sync window lines of `app get`, as `argocd app get` prints them. */
export interface WindowLines {
  readonly state: string;
  readonly assigned: readonly string[];
}

export function formatAppDetail(app: Application, windows?: WindowLines): string {
  const s = app.status ?? {};
  const lines = [
    `Name:        ${app.metadata.name}`,
    `Project:     ${app.spec.project}`,
    ...(windows ? [`SyncWindow:  ${windows.state}`, `Assigned Windows: ${windows.assigned.join(',')}`] : []),
    `Sync:        ${s.sync?.status ?? 'Unknown'}${s.sync?.revision ? ` to ${s.sync.revision.slice(0, 7)}` : ''}`,
    `Health:      ${s.health?.status ?? 'Unknown'}${s.health?.message ? ` (${s.health.message})` : ''}`,
  ];
  if (s.operationState) lines.push(`Operation:   ${s.operationState.phase}: ${s.operationState.message ?? ''}`);
  for (const c of s.conditions ?? []) lines.push(`Condition:   ${c.type}: ${c.message}`);
  const rows = [['GROUP', 'KIND', 'NAMESPACE', 'NAME', 'STATUS', 'HEALTH']];
  for (const r of s.resources ?? []) {
    rows.push([r.group ?? '', r.kind, r.namespace ?? '', r.name, r.hook ? 'hook' : r.requiresPruning ? `${r.status ?? ''} (prune)` : r.status ?? '', r.health?.status ?? '']);
  }
  return `${lines.join('\n')}\n\n${table(rows)}`;
}

export function formatHistory(app: Application): string {
  const rows = [['ID', 'DATE', 'REVISION', 'BY']];
  for (const h of app.status?.history ?? []) {
    rows.push([String(h.id), h.deployedAt, h.revision ?? (h.revisions ?? []).join(','), h.initiatedBy?.automated ? 'automated' : h.initiatedBy?.username ?? '']);
  }
  return table(rows);
}
