// The history tab: every deployment newest first (id, revision, source, when,
// by whom) and a rollback to an earlier one (Argo CD's Rollback: the app is
// synced to that entry's source and revision). While automated sync is on
// the button is disabled and the page says why, as Argo CD refuses it then.
import { useState } from 'preact/hooks';
import type { Application } from '../api/api-types.ts';
import type { ApplicationSource } from '../../api/application.ts';
import type { RevisionHistoryEntry } from '../../api/application-status.ts';
import { rollbackApplication } from '../api/endpoints.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Modal } from '../components/modal.tsx';
import { isAutomated, shortRevision, sourceLabel } from '../lib/app-model.ts';
import { autoSyncRollbackMessage, currentHistoryId, historyNewestFirst, historyRevisions, rollbackBlockedReason } from '../lib/history.ts';
import { exactTime, relativeTime } from '../lib/time-format.ts';
import { useNow } from '../state/hooks.ts';

function entrySources(entry: RevisionHistoryEntry): ApplicationSource[] {
  const sources = (entry.sources ?? (entry.source ? [entry.source] : [])) as ApplicationSource[];
  return sources.filter((s) => typeof s === 'object' && s !== null && typeof s.repoURL === 'string');
}

function RollbackDialog({ app, entry, onClose, onDone }: {
  readonly app: Application; readonly entry: RevisionHistoryEntry; readonly onClose: () => void; readonly onDone: (app: Application) => void;
}) {
  const [prune, setPrune] = useState(false);
  const [dryRun, setDryRun] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const name = app.metadata.name ?? '';
  const submit = async (): Promise<void> => {
    setBusy(true); setError(undefined);
    try {
      onDone(await rollbackApplication({ name, id: entry.id, prune, dryRun }));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <Modal title={`Roll back ${name}`} onClose={onClose} footer={<>
      <button type="button" class="button" onClick={onClose}>Cancel</button>
      <button type="button" class="button primary" disabled={busy} onClick={() => void submit()}>{busy ? 'Rolling back…' : 'Roll back'}</button>
    </>}>
      <p>Roll back <strong>{name}</strong> to deployment <strong>{entry.id}</strong>, revision{' '}
        <code>{historyRevisions(entry).map(shortRevision).join(', ') || '—'}</code>? The app will then be out of sync with git.</p>
      <label class="check"><input type="checkbox" checked={prune} onChange={(e) => setPrune(e.currentTarget.checked)} /> Prune resources that the revision does not have</label>
      <label class="check"><input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.currentTarget.checked)} /> Dry run</label>
      <ErrorNotice error={error} title="Rollback refused" />
    </Modal>
  );
}

export function AppHistory({ app, onResult }: { readonly app: Application; readonly onResult: (app: Application) => void }) {
  const now = useNow();
  const [target, setTarget] = useState<RevisionHistoryEntry | undefined>(undefined);
  const entries = historyNewestFirst(app);
  const current = currentHistoryId(app);
  if (entries.length === 0) return <p class="muted">Nothing has been deployed yet.</p>;
  return (
    <div>
      {isAutomated(app) ? <p class="notice notice-info" id="rollback-blocked">{autoSyncRollbackMessage}</p> : null}
      <table class="table history-table">
        <caption class="visually-hidden">Deployment history, newest first</caption>
        <thead><tr><th scope="col">ID</th><th scope="col">Revision</th><th scope="col">Source</th><th scope="col">Deployed</th>
          <th scope="col">Initiated by</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {entries.map((entry) => {
            const blocked = rollbackBlockedReason(app, entry);
            return (
              <tr key={entry.id} data-history-id={entry.id}>
                <th scope="row">{entry.id}{entry.id === current ? <span class="chip">current</span> : null}</th>
                <td class="mono" title={historyRevisions(entry).join(', ')}>{historyRevisions(entry).map(shortRevision).join(', ') || '—'}</td>
                <td class="mono small">{entrySources(entry).map((s, i) => <div key={i}>{sourceLabel(s)}</div>)}</td>
                <td title={exactTime(entry.deployedAt)}>{relativeTime(entry.deployedAt, now)}</td>
                <td>{entry.initiatedBy?.automated ? 'automated' : entry.initiatedBy?.username ?? '—'}</td>
                <td>
                  {entry.id === current ? null : (
                    <button type="button" class="button small" disabled={blocked !== undefined} title={blocked ?? `Roll back to deployment ${entry.id}`}
                      aria-describedby={isAutomated(app) ? 'rollback-blocked' : undefined} onClick={() => setTarget(entry)}>Rollback</button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {target ? <RollbackDialog app={app} entry={target} onClose={() => setTarget(undefined)} onDone={(a) => { onResult(a); setTarget(undefined); }} /> : null}
    </div>
  );
}
