// Application `status.history`: one entry per successful sync, oldest first,
// ids counting up from the last one, trimmed to `revisionHistoryLimit`
// (Argo CD's default is 10).
import type { RevisionHistoryEntry } from '../api/application-status.ts';

export type RevisionHistory = RevisionHistoryEntry;

export const defaultRevisionHistoryLimit = 10;

export function appendHistory(history: readonly RevisionHistory[] | undefined, entry: Omit<RevisionHistory, 'id'>,
  limit: number | undefined): RevisionHistory[] {
  const list = history ?? [];
  const nextId = list.length === 0 ? 0 : Math.max(...list.map((h) => h.id)) + 1;
  const all = [...list, { ...entry, id: nextId }];
  const keep = Math.max(0, limit ?? defaultRevisionHistoryLimit);
  return keep === 0 ? [] : all.slice(-keep);
}
