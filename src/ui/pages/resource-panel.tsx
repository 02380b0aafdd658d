// One resource of the tree, beside it: a summary (kind, health, sync, info,
// images), its live manifest (the resource endpoint, else the live state of
// managed-resources) and its diff, all with Secret values masked.
import { Fragment } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Application } from '../api/api-types.ts';
import { getResource } from '../api/endpoints.ts';
import { DiffView, YamlView } from '../components/code-view.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { KindBadge } from '../components/kind-badge.tsx';
import { HealthBadge, SyncBadge } from '../components/status-badges.tsx';
import { diffViewOf, manifestYaml, maskedObject, parseState } from '../lib/manifest-view.ts';
import { refKey, type TreeItem } from '../lib/resource-tree.ts';
import { appHref } from '../lib/route.ts';
import { exactTime } from '../lib/time-format.ts';
import type { AppResources } from '../state/use-app-resources.ts';

type PanelTab = 'summary' | 'manifest' | 'diff';

function useLiveManifest(app: Application, item: TreeItem, fallback: string | undefined): { yaml?: string; error?: unknown; note?: string } {
  const [state, setState] = useState<{ yaml?: string; error?: unknown; note?: string }>({});
  useEffect(() => {
    let cancelled = false;
    setState({});
    const version = item.node?.version ?? item.status?.version ?? '';
    void getResource(app.metadata.name ?? '', { ...item.ref, version }).then((res) => {
      if (!cancelled) setState({ yaml: manifestYaml(maskedObject(parseState(res.manifest))) });
    }, (error: unknown) => {
      if (cancelled) return;
      const live = parseState(fallback);
      setState(live ? { yaml: manifestYaml(maskedObject(live)), note: 'As seen at the last comparison (the server does not serve this resource on its own).' } : { error });
    });
    return () => { cancelled = true; };
  }, [item.key, item.node?.resourceVersion]);
  return state;
}

export function ResourcePanel({ app, item, resources, onClose }: {
  readonly app: Application; readonly item: TreeItem; readonly resources: AppResources; readonly onClose: () => void;
}) {
  const [tab, setTab] = useState<PanelTab>('summary');
  const managed = resources.managed?.find((m) => refKey(m) === item.key);
  const diff = useMemo(() => (managed ? diffViewOf(managed) : undefined), [managed]);
  const live = useLiveManifest(app, item, managed?.liveState);
  const ref = item.ref;
  const tabs: Array<[PanelTab, string]> = [['summary', 'Summary'], ['manifest', 'Live manifest'], ['diff', 'Diff']];
  return (
    <aside class="resource-panel" aria-labelledby="panel-title">
      <header class="panel-header">
        <h2 id="panel-title"><KindBadge kind={ref.kind} /> {ref.name}</h2>
        <button type="button" class="icon-button" aria-label="Close resource details" onClick={onClose}>✕</button>
      </header>
      <div class="tabs small" role="tablist" aria-label="Resource views">
        {tabs.map(([t, label]) => (
          <button key={t} type="button" role="tab" id={`panel-tab-${t}`} aria-selected={t === tab} aria-controls="panel-body"
            class={`tab${t === tab ? ' active' : ''}`} onClick={() => setTab(t)}>{label}</button>
        ))}
      </div>
      <div id="panel-body" role="tabpanel" aria-labelledby={`panel-tab-${tab}`} class="panel-body">
        {tab === 'summary' ? (
          <dl class="facts">
            <dt>Kind</dt><dd>{ref.group ? `${ref.group}/` : ''}{ref.version ?? item.status?.version ?? ''} {ref.kind}</dd>
            {ref.kind === 'Application' && ref.group === 'argoproj.io' ? <><dt>Application</dt><dd><a href={appHref(ref.name)}>Open {ref.name}</a></dd></> : null}
            <dt>Namespace</dt><dd>{ref.namespace || '—'}</dd>
            <dt>Health</dt><dd>{item.health ? <><HealthBadge status={item.health} /> {item.healthMessage ?? ''}</> : '—'}</dd>
            <dt>Sync</dt><dd>{item.status?.status ? <SyncBadge status={item.status.status} /> : 'not managed by the app'}</dd>
            {item.node?.createdAt ? <><dt>Created</dt><dd>{exactTime(item.node.createdAt)}</dd></> : null}
            {(item.node?.info ?? []).map((i) => <Fragment key={i.name}><dt>{i.name}</dt><dd>{i.value}</dd></Fragment>)}
            {item.node?.images?.length ? <><dt>Images</dt><dd><ul class="plain">{item.node.images.map((i) => <li key={i} class="mono">{i}</li>)}</ul></dd></> : null}
          </dl>
        ) : null}
        {tab === 'manifest' ? (
          <>
            {live.note ? <p class="muted">{live.note}</p> : null}
            <ErrorNotice error={live.error} title="Could not read the resource" />
            {live.yaml !== undefined ? <YamlView text={live.yaml} label={`Live manifest of ${ref.kind} ${ref.name}`} />
              : live.error === undefined ? <p aria-live="polite">Loading…</p> : null}
          </>
        ) : null}
        {tab === 'diff' ? (
          diff === undefined ? <p class="muted">Not a resource the app manages: nothing to compare.</p>
            : diff.error ? <ErrorNotice error={diff.error} />
              : diff.diff === '' ? <p>The live resource matches the desired state.</p>
                : <DiffView diff={diff.diff} label={`Diff of ${ref.kind} ${ref.name}`} />
        ) : null}
      </div>
    </aside>
  );
}
