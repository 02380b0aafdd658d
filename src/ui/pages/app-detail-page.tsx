// One application: its header (status, actions: sync, refresh, hard refresh,
// terminate) and four tabs — summary, resource tree, diff, history — each a
// part of the address (?tab=…), so a view can be linked and reloaded.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/api-client.ts';
import type { Application } from '../api/api-types.ts';
import { getApplication, terminateOperation } from '../api/endpoints.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { HealthBadge, PhaseBadge, SyncBadge } from '../components/status-badges.tsx';
import { healthStatusOf, operationInProgress, operationPhaseOf, syncStatusOf } from '../lib/app-model.ts';
import { appHref, type AppTab, appTabs, href, tabOf } from '../lib/route.ts';
import type { AppStore } from '../state/app-store.ts';
import { navigate, useStore } from '../state/hooks.ts';
import { useAppResources } from '../state/use-app-resources.ts';
import { AppDiff } from './app-diff.tsx';
import { AppHistory } from './app-history.tsx';
import { AppSummary } from './app-summary.tsx';
import { AppTreeView } from './app-tree.tsx';
import { SyncDialog } from './sync-dialog.tsx';

const tabLabels: Record<AppTab, string> = { summary: 'Summary', tree: 'Resource tree', diff: 'Diff', history: 'History and rollback' };

function Tabs({ name, tab, query }: { readonly name: string; readonly tab: AppTab; readonly query: URLSearchParams }) {
  const go = (t: AppTab): void => navigate(appHref(name, { tab: t, ...(t === 'tree' && query.get('node') ? { node: query.get('node')! } : {}) }));
  const onKeyDown = (e: KeyboardEvent): void => {
    const i = appTabs.indexOf(tab);
    const next = e.key === 'ArrowRight' ? appTabs[(i + 1) % appTabs.length] : e.key === 'ArrowLeft' ? appTabs[(i + appTabs.length - 1) % appTabs.length] : undefined;
    if (next === undefined) return;
    e.preventDefault();
    go(next);
    requestAnimationFrame(() => document.getElementById(`tab-${next}`)?.focus());
  };
  return (
    <div class="tabs" role="tablist" aria-label="Application views" onKeyDown={onKeyDown}>
      {appTabs.map((t) => (
        <button key={t} id={`tab-${t}`} type="button" role="tab" aria-selected={t === tab} aria-controls="tab-panel"
          tabIndex={t === tab ? 0 : -1} class={`tab${t === tab ? ' active' : ''}`} onClick={() => go(t)}>{tabLabels[t]}</button>
      ))}
    </div>
  );
}

export function AppDetailPage({ store, name, query }: { readonly store: AppStore; readonly name: string; readonly query: URLSearchParams }) {
  useStore(store);
  const [fetched, setFetched] = useState<Application | undefined>(undefined);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const [actionError, setActionError] = useState<unknown>(undefined);
  const [syncOpen, setSyncOpen] = useState(false);
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const app = store.apps.get(name) ?? fetched;
  useEffect(() => {
    if (store.apps.has(name)) return;
    void getApplication(name).then(setFetched, setLoadError);
  }, [name]);
  const resources = useAppResources(name, app?.metadata.resourceVersion);
  const tab = tabOf(query);
  if (app === undefined) {
    return (
      <main id="main" class="content">
        <p><a href={href('/applications')}>← Applications</a></p>
        <h1>{name}</h1>
        {loadError ? <ErrorNotice error={loadError} title={loadError instanceof ApiError && loadError.status === 404 ? 'Not found' : 'Could not load the application'} />
          : <p aria-live="polite">Loading…</p>}
      </main>
    );
  }
  const act = async (label: string, fn: () => Promise<Application | unknown>): Promise<void> => {
    setBusy(label); setActionError(undefined);
    try {
      const result = await fn();
      if (result !== null && typeof result === 'object' && 'metadata' in result) store.upsert(result as Application);
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(undefined);
    }
  };
  const running = operationInProgress(app);
  const phase = operationPhaseOf(app);
  return (
    <main id="main" class="content detail">
      <nav aria-label="Breadcrumb" class="breadcrumb"><a href={href('/applications')}>Applications</a> <span aria-hidden="true">/</span> {name}</nav>
      <div class="detail-header">
        <h1>{name}</h1>
        <div class="detail-status" aria-label="Status">
          <SyncBadge status={syncStatusOf(app)} />
          <HealthBadge status={healthStatusOf(app)} message={app.status?.health?.message} />
          {phase ? <span class="last-op"><span class="muted">{running ? 'Operation' : 'Last sync'}</span> <PhaseBadge status={phase} message={app.status?.operationState?.message} /></span> : null}
        </div>
        <div class="actions" role="toolbar" aria-label="Application actions">
          <button type="button" class="button primary" onClick={() => setSyncOpen(true)}>Sync…</button>
          <button type="button" class="button" disabled={busy !== undefined} onClick={() => void act('refresh', () => getApplication(name, 'normal'))}>
            {busy === 'refresh' ? 'Refreshing…' : 'Refresh'}
          </button>
          <button type="button" class="button" disabled={busy !== undefined} onClick={() => void act('hard', () => getApplication(name, 'hard'))}
            title="Render the manifests again from git, ignoring the cache">
            {busy === 'hard' ? 'Refreshing…' : 'Hard refresh'}
          </button>
          <button type="button" class="button danger" disabled={!running || busy !== undefined}
            title={running ? 'Stop the running operation' : 'No operation is running'}
            onClick={() => void act('terminate', () => terminateOperation(name))}>
            {busy === 'terminate' ? 'Terminating…' : 'Terminate'}
          </button>
        </div>
      </div>
      <ErrorNotice error={actionError} title="The request failed" />
      <Tabs name={name} tab={tab} query={query} />
      <section id="tab-panel" role="tabpanel" aria-labelledby={`tab-${tab}`} class="tab-panel">
        {tab === 'summary' ? <AppSummary app={app} /> : null}
        {tab === 'tree' ? <AppTreeView app={app} resources={resources} selected={query.get('node') ?? undefined} /> : null}
        {tab === 'diff' ? <AppDiff resources={resources} /> : null}
        {tab === 'history' ? <AppHistory app={app} onResult={(a) => store.upsert(a)} /> : null}
      </section>
      {syncOpen ? <SyncDialog app={app} resources={resources} onClose={() => setSyncOpen(false)}
        onSynced={(a) => { store.upsert(a); setSyncOpen(false); }} /> : null}
    </main>
  );
}
