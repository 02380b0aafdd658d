// The sync dialog (Argo CD's sync panel): revision, prune, dry run, apply
// only, force, sync options and the resources to sync (all, only the ones out
// of sync, or a chosen few). The request is Argo CD's ApplicationSyncRequest;
// a refusal is shown in the server's words.
import { useState } from 'preact/hooks';
import type { Application } from '../api/api-types.ts';
import { syncApplication } from '../api/endpoints.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { KindBadge } from '../components/kind-badge.tsx';
import { SyncBadge } from '../components/status-badges.tsx';
import { Modal } from '../components/modal.tsx';
import { sourcesOfApp } from '../lib/app-model.ts';
import { compareRefs, refKey } from '../lib/resource-tree.ts';
import { prunePropagationPolicies, syncOptionChoices, syncRequestOf } from '../lib/sync-request.ts';
import type { AppResources } from '../state/use-app-resources.ts';

function Check({ label, checked, onChange, hint }: { readonly label: string; readonly checked: boolean; readonly onChange: (v: boolean) => void; readonly hint?: string }) {
  return (
    <label class="check" title={hint}>
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.currentTarget.checked)} /> {label}
    </label>
  );
}

export function SyncDialog({ app, onClose, onSynced }: {
  readonly app: Application; readonly resources: AppResources; readonly onClose: () => void; readonly onSynced: (app: Application) => void;
}) {
  const name = app.metadata.name ?? '';
  const all = (app.status?.resources ?? []).filter((r) => !r.hook).sort(compareRefs);
  const single = sourcesOfApp(app).length === 1;
  const [revision, setRevision] = useState(single ? sourcesOfApp(app)[0]?.targetRevision ?? '' : '');
  const [prune, setPrune] = useState(false);
  const [dryRun, setDryRun] = useState(false);
  const [applyOnly, setApplyOnly] = useState(false);
  const [force, setForce] = useState(false);
  const [options, setOptions] = useState<string[]>([]);
  const [propagation, setPropagation] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set(all.map(refKey)));
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const toggleOption = (option: string, on: boolean): void => setOptions(on ? [...options, option] : options.filter((o) => o !== option));
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    try {
      const req = syncRequestOf(name, all, { prune, dryRun, applyOnly, force, revision: single ? revision : '', selected,
        options: [...options, ...(propagation ? [`PrunePropagationPolicy=${propagation}`] : [])] });
      setBusy(true);
      onSynced(await syncApplication(req));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <Modal title={`Sync ${name}`} onClose={onClose} wide footer={<>
      <button type="button" class="button" onClick={onClose}>Cancel</button>
      <button type="submit" form="sync-form" class="button primary" disabled={busy}>{busy ? 'Synchronizing…' : 'Synchronize'}</button>
    </>}>
      <form id="sync-form" class="sync-form" onSubmit={(e) => void submit(e)}>
        {single ? (
          <div class="field">
            <label for="sync-revision">Revision</label>
            <input id="sync-revision" class="mono" value={revision} placeholder="HEAD" onInput={(e) => setRevision(e.currentTarget.value)} />
          </div>
        ) : null}
        <fieldset class="options">
          <legend>Sync</legend>
          <Check label="Prune" checked={prune} onChange={setPrune} hint="Delete live resources that git no longer has" />
          <Check label="Dry run" checked={dryRun} onChange={setDryRun} hint="Validate against the API server without changing anything" />
          <Check label="Apply only" checked={applyOnly} onChange={setApplyOnly} hint="Apply the manifests and skip hooks" />
          <Check label="Force" checked={force} onChange={setForce} hint="Delete and re-create resources that cannot be patched" />
        </fieldset>
        <fieldset class="options">
          <legend>Sync options</legend>
          {syncOptionChoices.map((c) => <Check key={c.option} label={c.label} checked={options.includes(c.option)} onChange={(v) => toggleOption(c.option, v)} hint={c.option} />)}
          <label class="inline-field">Prune propagation policy{' '}
            <select value={propagation} onChange={(e) => setPropagation(e.currentTarget.value)}>
              <option value="">default (foreground)</option>
              {prunePropagationPolicies.map((p) => <option key={p} value={p}>{p}</option>)}
            </select>
          </label>
        </fieldset>
        <fieldset class="options resources">
          <legend>Resources ({selected.size} of {all.length} selected)</legend>
          <div class="select-buttons">
            <button type="button" class="button small" onClick={() => setSelected(new Set(all.map(refKey)))}>All</button>
            <button type="button" class="button small" onClick={() => setSelected(new Set(all.filter((r) => r.status === 'OutOfSync').map(refKey)))}>Out of sync</button>
            <button type="button" class="button small" onClick={() => setSelected(new Set())}>None</button>
          </div>
          <ul class="resource-checks">
            {all.map((r) => {
              const key = refKey(r);
              return (
                <li key={key}>
                  <label class="check">
                    <input type="checkbox" checked={selected.has(key)} onChange={(e) => {
                      const next = new Set(selected);
                      if (e.currentTarget.checked) next.add(key); else next.delete(key);
                      setSelected(next);
                    }} />
                    <KindBadge kind={r.kind} /> <span>{r.namespace ? `${r.namespace}/` : ''}{r.name}</span>
                    {r.status ? <SyncBadge status={r.status} compact /> : null}
                  </label>
                </li>
              );
            })}
          </ul>
        </fieldset>
        <ErrorNotice error={error} title="Sync refused" />
      </form>
    </Modal>
  );
}
