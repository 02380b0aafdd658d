import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { refKey } from './resource-tree.ts';
import { type SyncChoices, SyncChoiceError, syncRequestOf } from './sync-request.ts';

const all = [
  { group: 'apps', kind: 'Deployment', namespace: 'web', name: 'web' },
  { group: '', kind: 'Service', namespace: 'web', name: 'web' },
  { group: '', kind: 'Namespace', name: 'web' },
];
const base: SyncChoices = { prune: false, dryRun: false, applyOnly: false, force: false, revision: '', selected: new Set(all.map(refKey)), options: [] };

describe('syncRequestOf', () => {
  const cases = [
    { name: 'defaults: hook strategy, no resources list', choices: base,
      want: { name: 'web', prune: false, dryRun: false, strategy: { hook: { force: false } } } },
    { name: 'prune, dry run, apply only with force, a revision and options', choices: { ...base, prune: true, dryRun: true, applyOnly: true, force: true,
      revision: ' v1.2 ', options: ['Validate=false', 'PrunePropagationPolicy=background'] },
      want: { name: 'web', prune: true, dryRun: true, strategy: { apply: { force: true } }, revision: 'v1.2', syncOptions: { items: ['Validate=false', 'PrunePropagationPolicy=background'] } } },
    { name: 'some resources selected', choices: { ...base, selected: new Set([refKey(all[1]!), refKey(all[2]!)]) },
      want: { name: 'web', prune: false, dryRun: false, strategy: { hook: { force: false } },
        resources: [{ group: '', kind: 'Service', name: 'web', namespace: 'web' }, { group: '', kind: 'Namespace', name: 'web' }] } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(syncRequestOf('web', all, c.choices), c.want));
  it('refuses an empty selection', () => {
    assert.throws(() => syncRequestOf('web', all, { ...base, selected: new Set() }), SyncChoiceError);
  });
  it('an app without resources syncs everything', () => {
    assert.equal(syncRequestOf('web', [], { ...base, selected: new Set() }).resources, undefined);
  });
});
