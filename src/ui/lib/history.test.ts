import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Application } from '../../api/application.ts';
import { autoSyncRollbackMessage, currentHistoryId, historyNewestFirst, rollbackBlockedReason } from './history.ts';

function app(automated: Application['spec']['syncPolicy']): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'web' },
    spec: { project: 'default', destination: { namespace: 'web' }, ...(automated ? { syncPolicy: automated } : {}) },
    status: { history: [
      { id: 0, revision: 'aaa', deployedAt: '2026-01-01T00:00:00Z' },
      { id: 2, revision: 'ccc', deployedAt: '2026-01-03T00:00:00Z' },
      { id: 1, revision: 'bbb', deployedAt: '2026-01-02T00:00:00Z' },
    ] },
  };
}

describe('history', () => {
  it('lists newest first; the newest is current', () => {
    assert.deepEqual(historyNewestFirst(app(undefined)).map((h) => h.id), [2, 1, 0]);
    assert.equal(currentHistoryId(app(undefined)), 2);
  });
  const older = { id: 0, revision: 'aaa', deployedAt: '2026-01-01T00:00:00Z' };
  const cases = [
    { name: 'manual sync: an older entry may be rolled back to', policy: undefined, entry: older, want: undefined },
    { name: 'automated sync: refused as Argo CD refuses it', policy: { automated: { prune: true } }, entry: older, want: autoSyncRollbackMessage },
    { name: 'automated but disabled (enabled: false) is manual', policy: { automated: { enabled: false } }, entry: older, want: undefined },
    { name: 'the current entry', policy: undefined, entry: { id: 2, revision: 'ccc', deployedAt: '' }, want: 'This is the deployed revision.' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(rollbackBlockedReason(app(c.policy), c.entry), c.want));
});
