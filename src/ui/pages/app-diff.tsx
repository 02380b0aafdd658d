// The diff tab: a unified diff, live → desired, for each managed resource
// that differs (all of them on request), Secret values masked.
import { useMemo, useState } from 'preact/hooks';
import { DiffView } from '../components/code-view.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { KindBadge } from '../components/kind-badge.tsx';
import { diffViewOf } from '../lib/manifest-view.ts';
import { compareRefs } from '../lib/resource-tree.ts';
import type { AppResources } from '../state/use-app-resources.ts';

export function AppDiff({ resources }: { readonly resources: AppResources }) {
  const [showAll, setShowAll] = useState(false);
  const views = useMemo(() => (resources.managed ?? []).map(diffViewOf).sort((a, b) => compareRefs(a, b)), [resources.managed]);
  const shown = showAll ? views : views.filter((v) => v.modified || v.error);
  return (
    <div class="diff-tab">
      <div class="toolbar">
        <p class="muted" aria-live="polite">
          {resources.managed === undefined ? 'Loading…' : `${views.filter((v) => v.modified).length} of ${views.length} resources differ from git`}
        </p>
        <label class="check"><input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.currentTarget.checked)} /> Show all resources</label>
      </div>
      <ErrorNotice error={resources.managedError} title="Could not load the managed resources" />
      {resources.managed !== undefined && shown.length === 0 ? <p>Every resource matches the desired state.</p> : null}
      {shown.map((v) => (
        <details key={v.key} open={v.modified} class="diff-item">
          <summary>
            <KindBadge kind={v.kind} /> <strong>{v.name}</strong> <span class="muted">{v.kind}{v.namespace ? ` · ${v.namespace}` : ''}</span>
            {v.hook ? <span class="chip">hook</span> : null}
            {v.modified ? <span class="chip warn">differs</span> : <span class="chip">matches</span>}
          </summary>
          {v.error ? <ErrorNotice error={v.error} />
            : v.diff === '' ? <p class="muted">No difference.</p> : <DiffView diff={v.diff} label={`Diff of ${v.kind} ${v.name}`} />}
        </details>
      ))}
    </div>
  );
}
