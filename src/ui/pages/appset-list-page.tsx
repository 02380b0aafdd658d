// The ApplicationSets list: each set's generators, strategy, conditions (the
// problems first, in the controller's words) and the Applications it
// generated, linked to their pages with their status.
import { useEffect, useState } from 'preact/hooks';
import type { ApplicationSet } from '../api/api-types.ts';
import { listApplicationSets } from '../api/endpoints.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { HealthBadge, SyncBadge } from '../components/status-badges.tsx';
import { healthStatusOf, syncStatusOf } from '../lib/app-model.ts';
import { conditionIsProblem, conditionsOf, generatedApps, generatorSummary } from '../lib/appset-model.ts';
import { appHref } from '../lib/route.ts';
import type { AppStore } from '../state/app-store.ts';
import { useStore } from '../state/hooks.ts';

export function AppSetListPage({ store }: { readonly store: AppStore }) {
  useStore(store);
  const [sets, setSets] = useState<ApplicationSet[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    let cancelled = false;
    const load = (): void => {
      void listApplicationSets().then((l) => { if (!cancelled) { setSets(l.items ?? []); setError(undefined); } }, (e: unknown) => { if (!cancelled) setError(e); });
    };
    load();
    // ApplicationSets have no stream in Argo CD's API: the list is read again every 10 s.
    const t = setInterval(load, 10_000);
    return () => { cancelled = true; clearInterval(t); };
  }, []);
  const apps = [...store.apps.values()];
  return (
    <main id="main" class="content">
      <div class="toolbar"><h1>ApplicationSets</h1></div>
      <ErrorNotice error={error} title="Could not list ApplicationSets" />
      {sets === undefined && error === undefined ? <p aria-live="polite">Loading…</p> : null}
      {sets !== undefined && sets.length === 0 ? <p class="muted">No ApplicationSets.</p> : null}
      {sets !== undefined && sets.length > 0 ? (
        <table class="table appsets-table">
          <caption class="visually-hidden">ApplicationSets</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Generators</th><th scope="col">Conditions</th><th scope="col">Applications</th></tr></thead>
          <tbody>
            {[...sets].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '')).map((set) => {
              const generated = generatedApps(set, apps);
              return (
                <tr key={set.metadata.name} data-appset={set.metadata.name}>
                  <th scope="row">{set.metadata.name}{set.spec.strategy?.type ? <div class="muted small">{set.spec.strategy.type}</div> : null}</th>
                  <td class="mono small">{generatorSummary(set)}</td>
                  <td>
                    <ul class="conditions">
                      {conditionsOf(set).map((c) => (
                        <li key={c.type} class={`condition ${conditionIsProblem(c) ? 'condition-error' : 'condition-ok'}`}>
                          <strong>{c.type}</strong> {c.status} <span class="muted">{c.reason}</span>
                          {c.message ? <div class="message">{c.message}</div> : null}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    {generated.length === 0 ? <span class="muted">none</span> : (
                      <ul class="plain">
                        {generated.map((n) => {
                          const app = store.apps.get(n);
                          return (
                            <li key={n}>
                              <a href={appHref(n)}>{n}</a>{' '}
                              {app ? <><SyncBadge status={syncStatusOf(app)} compact /> <HealthBadge status={healthStatusOf(app)} compact /></> : null}
                            </li>
                          );
                        })}
                      </ul>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </main>
  );
}
