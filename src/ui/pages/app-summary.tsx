// The summary tab: source(s), destination, sync policy, revision, health,
// conditions and the last operation with each resource's result, as Argo CD's
// app details and sync status panels show them.
import type { Application } from '../api/api-types.ts';
import { KindBadge } from '../components/kind-badge.tsx';
import { HealthBadge, PhaseBadge, ResultBadge, SyncBadge } from '../components/status-badges.tsx';
import {
  clusterOf, healthStatusOf, isAutomated, namespaceOf, projectOf, revisionsOf, shortRevision, sourceLabel, sourcesOfApp, syncStatusOf,
} from '../lib/app-model.ts';
import { exactTime, relativeTime } from '../lib/time-format.ts';
import { useNow } from '../state/hooks.ts';

function SyncPolicy({ app }: { readonly app: Application }) {
  const policy = app.spec.syncPolicy;
  const automated = policy?.automated;
  const flags = isAutomated(app)
    ? ['Automated', automated?.prune ? 'prune' : 'no prune', automated?.selfHeal ? 'self-heal' : 'no self-heal',
      ...(automated?.allowEmpty ? ['allow empty'] : [])].join(', ')
    : 'Manual';
  return (
    <>
      <span>{flags}</span>
      {policy?.syncOptions?.length ? <div class="chips" aria-label="Sync options">{policy.syncOptions.map((o) => <code key={o} class="chip">{o}</code>)}</div> : null}
      {policy?.retry ? <div class="muted">Retry: limit {policy.retry.limit ?? 'unlimited'}{policy.retry.backoff?.duration ? `, backoff ${policy.retry.backoff.duration}` : ''}</div> : null}
    </>
  );
}

function Operation({ app, now }: { readonly app: Application; readonly now: number }) {
  const op = app.status?.operationState;
  if (op === undefined) return <p class="muted">No operation has run yet.</p>;
  const results = op.syncResult?.resources ?? [];
  const by = op.operation.initiatedBy;
  return (
    <>
      <dl class="facts">
        <dt>Phase</dt><dd><PhaseBadge status={op.phase} /></dd>
        <dt>Message</dt><dd>{op.message || '—'}</dd>
        <dt>Initiated by</dt><dd>{by?.automated ? 'automated sync policy' : by?.username ?? '—'}</dd>
        <dt>Started</dt><dd title={exactTime(op.startedAt)}>{relativeTime(op.startedAt, now)}</dd>
        <dt>Finished</dt><dd title={exactTime(op.finishedAt)}>{op.finishedAt ? relativeTime(op.finishedAt, now) : '—'}</dd>
        <dt>Revision</dt><dd class="mono">{op.syncResult ? (op.syncResult.revisions ?? [op.syncResult.revision]).map(shortRevision).join(', ') : '—'}</dd>
        {op.operation.sync?.dryRun ? <><dt>Dry run</dt><dd>yes</dd></> : null}
        {op.retryCount ? <><dt>Retries</dt><dd>{op.retryCount}</dd></> : null}
      </dl>
      {results.length > 0 ? (
        <table class="table">
          <caption>Result per resource</caption>
          <thead><tr><th scope="col">Kind</th><th scope="col">Namespace</th><th scope="col">Name</th><th scope="col">Status</th>
            <th scope="col">Hook</th><th scope="col">Message</th></tr></thead>
          <tbody>
            {results.map((r) => (
              <tr key={`${r.group}/${r.kind}/${r.namespace}/${r.name}/${r.syncPhase ?? ''}`}>
                <td><KindBadge kind={r.kind} /> {r.kind}</td><td>{r.namespace || '—'}</td><td>{r.name}</td>
                <td><ResultBadge status={r.status} /></td>
                <td>{r.hookType ? `${r.hookType}${r.hookPhase ? ` (${r.hookPhase})` : ''}` : '—'}</td>
                <td class="message">{r.message || ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

export function AppSummary({ app }: { readonly app: Application }) {
  const now = useNow();
  const conditions = app.status?.conditions ?? [];
  return (
    <div class="summary-grid">
      <section class="card" aria-labelledby="summary-app">
        <h2 id="summary-app">Application</h2>
        <dl class="facts">
          <dt>Project</dt><dd>{projectOf(app)}</dd>
          <dt>Source{sourcesOfApp(app).length > 1 ? 's' : ''}</dt>
          <dd>{sourcesOfApp(app).length === 0 ? '—' : <ul class="plain">{sourcesOfApp(app).map((s, i) => <li key={i} class="mono">{sourceLabel(s)}{s.ref ? ` (ref ${s.ref})` : ''}</li>)}</ul>}</dd>
          <dt>Destination</dt><dd><span class="mono">{clusterOf(app)}</span>{namespaceOf(app) ? <> · namespace <span class="mono">{namespaceOf(app)}</span></> : null}</dd>
          <dt>Sync policy</dt><dd><SyncPolicy app={app} /></dd>
          <dt>Sync status</dt><dd><SyncBadge status={syncStatusOf(app)} /> <span class="mono">{revisionsOf(app).map(shortRevision).join(', ')}</span></dd>
          <dt>Health</dt><dd><HealthBadge status={healthStatusOf(app)} /> {app.status?.health?.message ?? ''}</dd>
          <dt>Last compared</dt><dd title={exactTime(app.status?.reconciledAt)}>{relativeTime(app.status?.reconciledAt, now) || '—'}</dd>
          {app.status?.summary?.images?.length ? <><dt>Images</dt><dd><ul class="plain">{app.status.summary.images.map((i) => <li key={i} class="mono">{i}</li>)}</ul></dd></> : null}
        </dl>
      </section>
      <section class="card" aria-labelledby="summary-conditions">
        <h2 id="summary-conditions">Conditions</h2>
        {conditions.length === 0 ? <p class="muted">No conditions.</p> : (
          <ul class="conditions">
            {conditions.map((c, i) => (
              <li key={i} class={`condition ${/Error$/.test(c.type) ? 'condition-error' : 'condition-warning'}`}>
                <strong>{c.type}</strong> <span class="muted" title={exactTime(c.lastTransitionTime)}>{relativeTime(c.lastTransitionTime, now)}</span>
                <div class="message">{c.message}</div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="card wide" aria-labelledby="summary-operation">
        <h2 id="summary-operation">Last operation</h2>
        <Operation app={app} now={now} />
      </section>
    </div>
  );
}
