// The applications list (Argo CD's list view): name, project, sync status,
// health, revision, destination and last sync, filtered by project, sync,
// health and a search, kept live by the watch stream.
import { useEffect, useState } from 'preact/hooks';
import type { Application } from '../api/api-types.ts';
import { listProjects } from '../api/endpoints.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { HealthBadge, PhaseBadge, SyncBadge } from '../components/status-badges.tsx';
import {
  type AppFilter, facetCounts, filterApps, filterFromQuery, filterToQuery, healthValues, isFiltered, syncValues,
} from '../lib/app-filters.ts';
import {
  clusterOf, healthStatusOf, namespaceOf, operationPhaseOf, projectOf, revisionsOf, shortRevision, syncStatusOf, targetRevisionsOf,
} from '../lib/app-model.ts';
import { appHref, href } from '../lib/route.ts';
import { exactTime, relativeTime } from '../lib/time-format.ts';
import type { AppStore } from '../state/app-store.ts';
import { navigate, useNow, useStore } from '../state/hooks.ts';

function FacetGroup({ legend, values, chosen, counts, onChange }: {
  readonly legend: string; readonly values: readonly string[]; readonly chosen: readonly string[];
  readonly counts: Map<string, number>; readonly onChange: (next: string[]) => void;
}) {
  return (
    <fieldset class="facet">
      <legend>{legend}</legend>
      {values.map((v) => (
        <label key={v} class="check">
          <input type="checkbox" checked={chosen.includes(v)} name={`${legend}-${v}`}
            onChange={(e) => onChange(e.currentTarget.checked ? [...chosen, v] : chosen.filter((c) => c !== v))} />
          <span>{v}</span><span class="count" aria-label={`${counts.get(v) ?? 0} applications`}>{counts.get(v) ?? 0}</span>
        </label>
      ))}
    </fieldset>
  );
}

function lastSyncOf(app: Application): string | undefined {
  const op = app.status?.operationState;
  return op?.finishedAt ?? op?.startedAt ?? app.status?.history?.at(-1)?.deployedAt;
}

function AppRow({ app, now }: { readonly app: Application; readonly now: number }) {
  const name = app.metadata.name ?? '';
  const revisions = revisionsOf(app);
  const phase = operationPhaseOf(app);
  const last = lastSyncOf(app);
  return (
    <tr data-app={name}>
      <th scope="row"><a href={appHref(name)}>{name}</a></th>
      <td>{projectOf(app)}</td>
      <td>
        <SyncBadge status={syncStatusOf(app)} />
        {phase === 'Running' || phase === 'Terminating' || phase === 'Failed' || phase === 'Error'
          ? <> <PhaseBadge status={phase} message={app.status?.operationState?.message} /></> : null}
      </td>
      <td><HealthBadge status={healthStatusOf(app)} message={app.status?.health?.message} /></td>
      <td class="mono" title={revisions.join(', ')}>
        {revisions.length > 0 ? revisions.map(shortRevision).join(', ') : '—'}
        <span class="muted"> ({targetRevisionsOf(app).join(', ')})</span>
      </td>
      <td><span class="mono">{clusterOf(app)}</span><br /><span class="muted">{namespaceOf(app) || '—'}</span></td>
      <td title={exactTime(last)}>{relativeTime(last, now) || '—'}</td>
    </tr>
  );
}

export function AppListPage({ store, query }: { readonly store: AppStore; readonly query: URLSearchParams }) {
  useStore(store);
  const now = useNow();
  const filter = filterFromQuery(query);
  const [projects, setProjects] = useState<string[]>([]);
  useEffect(() => {
    void listProjects().then((list) => setProjects((list.items ?? []).map((p) => p.metadata.name ?? '').filter((n) => n !== '')), () => undefined);
  }, []);
  const all = [...store.apps.values()];
  const shown = filterApps(all, filter);
  const setFilter = (next: AppFilter): void => navigate(href('/applications', filterToQuery(next)), true);
  const projectValues = [...new Set([...projects, ...all.map(projectOf)])].sort();
  return (
    <div class="list-layout">
      <aside class="filters" aria-label="Filters">
        <h2 class="filters-title">Filters</h2>
        <FacetGroup legend="Projects" values={projectValues} chosen={filter.projects} counts={facetCounts(all, projectOf)}
          onChange={(projects) => setFilter({ ...filter, projects })} />
        <FacetGroup legend="Sync status" values={syncValues} chosen={filter.sync} counts={facetCounts(all, syncStatusOf)}
          onChange={(sync) => setFilter({ ...filter, sync })} />
        <FacetGroup legend="Health status" values={healthValues} chosen={filter.health} counts={facetCounts(all, healthStatusOf)}
          onChange={(health) => setFilter({ ...filter, health })} />
        {isFiltered(filter) ? <button type="button" class="button" onClick={() => setFilter({ search: '', projects: [], sync: [], health: [] })}>Clear filters</button> : null}
      </aside>
      <main id="main" class="content">
        <div class="toolbar">
          <h1>Applications</h1>
          <label class="search">
            <span class="visually-hidden">Search applications</span>
            <input type="search" placeholder="Search by name, namespace, cluster or repository" value={filter.search}
              onInput={(e) => setFilter({ ...filter, search: e.currentTarget.value })} />
          </label>
          <LiveIndicator store={store} />
        </div>
        <ErrorNotice error={store.error} title="Could not list applications" />
        <p class="muted" aria-live="polite">
          {store.loaded ? `${shown.length} of ${all.length} application${all.length === 1 ? '' : 's'}` : 'Loading applications…'}
        </p>
        {store.loaded && all.length > 0 && shown.length === 0 ? <p>No application matches these filters.</p> : null}
        {shown.length > 0 ? (
          <table class="table apps-table">
            <caption class="visually-hidden">Applications</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Project</th><th scope="col">Sync</th><th scope="col">Health</th>
              <th scope="col">Revision</th><th scope="col">Destination</th><th scope="col">Last sync</th></tr></thead>
            <tbody>{shown.map((app) => <AppRow key={app.metadata.name} app={app} now={now} />)}</tbody>
          </table>
        ) : null}
      </main>
    </div>
  );
}

export function LiveIndicator({ store }: { readonly store: AppStore }) {
  const text = store.live === 'connected' ? 'Live' : store.live === 'connecting' ? 'Connecting…' : 'Reconnecting…';
  return (
    <span class={`live live-${store.live}`} role="status" title={store.liveMessage ?? text}>
      <span aria-hidden="true">●</span> {text}
    </span>
  );
}
