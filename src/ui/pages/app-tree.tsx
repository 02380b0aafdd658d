// The resource tree tab: the app at the root, its managed resources and their
// children (ReplicaSets, Pods, Endpoints…) below, each with its kind badge,
// health and sync status. It is an ARIA tree: arrow keys move and open or
// close nodes, Enter shows the node's details (live manifest and diff) beside it.
import { useMemo, useState } from 'preact/hooks';
import type { Application } from '../api/api-types.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { KindBadge } from '../components/kind-badge.tsx';
import { HealthBadge, SyncBadge } from '../components/status-badges.tsx';
import { healthStatusOf, syncStatusOf } from '../lib/app-model.ts';
import { buildResourceTree, type TreeItem } from '../lib/resource-tree.ts';
import { appHref } from '../lib/route.ts';
import { navigate } from '../state/hooks.ts';
import type { AppResources } from '../state/use-app-resources.ts';
import { ResourcePanel } from './resource-panel.tsx';

interface Visible { readonly item: TreeItem; readonly level: number; readonly parent?: string }

function visibleItems(items: readonly TreeItem[], collapsed: ReadonlySet<string>, level = 2, parent?: string, out: Visible[] = []): Visible[] {
  for (const item of items) {
    out.push({ item, level, ...(parent ? { parent } : {}) });
    if (!collapsed.has(item.key)) visibleItems(item.children, collapsed, level + 1, item.key, out);
  }
  return out;
}

function NodeRow({ item }: { readonly item: TreeItem }) {
  return (
    <span class="node-row">
      <KindBadge kind={item.ref.kind} />
      <span class="node-name">{item.ref.name}</span>
      <span class="node-meta muted">{item.ref.kind}{item.ref.namespace ? ` · ${item.ref.namespace}` : ''}</span>
      <span class="node-status">
        <span class="slot">{item.health ? <HealthBadge status={item.health} message={item.healthMessage} compact /> : null}</span>
        <span class="slot">{item.status?.status ? <SyncBadge status={item.status.status} compact /> : null}</span>
        {item.orphaned ? <span class="chip">orphaned</span> : null}
        {item.status?.requiresPruning ? <span class="chip warn">requires pruning</span> : null}
      </span>
    </span>
  );
}

export function AppTreeView({ app, resources, selected }: { readonly app: Application; readonly resources: AppResources; readonly selected: string | undefined }) {
  const name = app.metadata.name ?? '';
  const { roots, orphans } = useMemo(() => buildResourceTree(resources.tree, app.status?.resources ?? []), [resources.tree, app.status?.resources]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [focused, setFocused] = useState<string | undefined>(selected);
  const all = [...roots, ...orphans];
  const visible = visibleItems(all, collapsed);
  const focusKey = visible.some((v) => v.item.key === focused) ? focused : visible[0]?.item.key;
  const select = (key: string): void => navigate(appHref(name, { tab: 'tree', node: key }), true);
  const toggle = (key: string, open?: boolean): void => {
    const next = new Set(collapsed);
    if (open ?? next.has(key)) next.delete(key); else next.add(key);
    setCollapsed(next);
  };
  const move = (key: string | undefined): void => {
    if (key === undefined) return;
    setFocused(key);
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-node-key="${CSS.escape(key)}"]`)?.focus());
  };
  const onKeyDown = (e: KeyboardEvent): void => {
    const i = visible.findIndex((v) => v.item.key === focusKey);
    const cur = visible[i];
    if (cur === undefined) return;
    const has = cur.item.children.length > 0;
    const open = has && !collapsed.has(cur.item.key);
    switch (e.key) {
      case 'ArrowDown': move(visible[i + 1]?.item.key); break;
      case 'ArrowUp': move(visible[i - 1]?.item.key); break;
      case 'Home': move(visible[0]?.item.key); break;
      case 'End': move(visible.at(-1)?.item.key); break;
      case 'ArrowRight': if (has && !open) toggle(cur.item.key, true); else if (open) move(cur.item.children[0]?.key); break;
      case 'ArrowLeft': if (open) toggle(cur.item.key, false); else move(cur.parent); break;
      case 'Enter': case ' ': select(cur.item.key); break;
      default: return;
    }
    e.preventDefault();
  };
  const renderItems = (items: readonly TreeItem[], level: number) => items.map((item) => {
    const has = item.children.length > 0;
    const open = has && !collapsed.has(item.key);
    return (
      <li key={item.key} role="treeitem" aria-level={level} aria-selected={item.key === selected} {...(has ? { 'aria-expanded': open } : {})}
        data-node-key={item.key} tabIndex={item.key === focusKey ? 0 : -1} class={`tree-item${item.key === selected ? ' selected' : ''}`}
        onFocus={(e) => { if (e.target === e.currentTarget) setFocused(item.key); }}
        onClick={(e) => { e.stopPropagation(); setFocused(item.key); select(item.key); }}>
        <span class="tree-line">
          <span class={`chevron${has ? '' : ' none'}`} aria-hidden="true" onClick={(e) => { e.stopPropagation(); if (has) toggle(item.key); }}>{has ? (open ? '▾' : '▸') : ''}</span>
          <NodeRow item={item} />
        </span>
        {open ? <ul role="group">{renderItems(item.children, level + 1)}</ul> : null}
      </li>
    );
  });
  const selectedItem = selected === undefined ? undefined : visibleItems(all, new Set()).find((v) => v.item.key === selected)?.item;
  return (
    <div class={`tree-layout${selectedItem ? ' with-panel' : ''}`}>
      <div class="tree-pane">
        <ErrorNotice error={resources.treeError} title="Could not load the resource tree" />
        {resources.loading ? <p aria-live="polite">Loading the resource tree…</p> : null}
        <div class="tree-root">
          <span class="kind kind-app" aria-hidden="true">app</span> <strong>{name}</strong>
          <HealthBadge status={healthStatusOf(app)} compact /> <SyncBadge status={syncStatusOf(app)} compact />
        </div>
        {all.length === 0 && !resources.loading ? <p class="muted">This application has no resources.</p> : (
          <ul role="tree" aria-label={`Resources of ${name}`} class="tree" onKeyDown={onKeyDown}>
            {renderItems(roots, 2)}
            {orphans.length > 0 ? <li role="none" class="tree-section">Orphaned resources</li> : null}
            {renderItems(orphans, 2)}
          </ul>
        )}
      </div>
      {selectedItem ? <ResourcePanel app={app} item={selectedItem} resources={resources} onClose={() => navigate(appHref(name, { tab: 'tree' }), true)} /> : null}
    </div>
  );
}
