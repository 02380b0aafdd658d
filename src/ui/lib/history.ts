// The history tab: deployments newest first, which one is current, and
// whether a rollback may be asked for. Argo CD refuses a rollback while
// automated sync is on (FailedPrecondition "rollback cannot be initiated when
// auto-sync is enabled"), since the next automated sync would undo it; the UI
// says so instead of offering the button.
import type { Application } from '../../api/application.ts';
import type { RevisionHistoryEntry } from '../../api/application-status.ts';
import { isAutomated } from './app-model.ts';

export function historyNewestFirst(app: Application): RevisionHistoryEntry[] {
  return [...(app.status?.history ?? [])].sort((a, b) => b.id - a.id);
}

/** The entry in effect now: the newest one. */
export function currentHistoryId(app: Application): number | undefined {
  return historyNewestFirst(app)[0]?.id;
}

export const autoSyncRollbackMessage = 'Rollback cannot be initiated when auto-sync is enabled: auto-sync needs to be disabled in order for rollback to occur.';

/** Why a rollback to this entry cannot be asked for, or undefined when it can. */
export function rollbackBlockedReason(app: Application, entry: RevisionHistoryEntry): string | undefined {
  if (isAutomated(app)) return autoSyncRollbackMessage;
  if (app.metadata.deletionTimestamp !== undefined) return 'The application is being deleted.';
  if (entry.id === currentHistoryId(app)) return 'This is the deployed revision.';
  return undefined;
}

export function historyRevisions(entry: RevisionHistoryEntry): string[] {
  if (entry.revisions !== undefined && entry.revisions.length > 0) return entry.revisions;
  return entry.revision ? [entry.revision] : [];
}
