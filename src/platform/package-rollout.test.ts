import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Application } from '../api/application.ts';
import { isSettled, nextRollout, type RolloutItem } from './package-rollout.ts';

const item = (name: string, wave: number, kind = 'Application'): RolloutItem => ({ name, kind, wave });
const live = (name: string, sync: string, health: string, extra: Partial<Application['spec']> = { syncPolicy: { automated: {} } }, operation = false): Application => ({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name },
  spec: { project: 'default', destination: {}, ...extra }, status: { sync: { status: sync }, health: { status: health } } as Application['status'],
  ...(operation ? { operation: { sync: {} } as Application['operation'] } : {}),
});

test('an app is settled when Synced and Healthy, or when a person syncs it', () => {
  const cases: Array<[string, Application, boolean]> = [
    ['synced and healthy', live('a', 'Synced', 'Healthy'), true],
    ['progressing', live('a', 'Synced', 'Progressing'), false],
    ['out of sync', live('a', 'OutOfSync', 'Healthy'), false],
    ['manual sync policy', live('a', 'OutOfSync', 'Missing', {}), true],
    ['automated turned off', live('a', 'OutOfSync', 'Missing', { syncPolicy: { automated: { enabled: false } } }), true],
    ['an operation running', live('a', 'Synced', 'Healthy', { syncPolicy: { automated: {} } }, true), false],
  ];
  for (const [name, app, want] of cases) assert.equal(isSettled(app), want, name);
});

test('the lowest pending wave goes once every applied app of a lower wave has settled', () => {
  const pending = [item('backstage', 20), item('postgres', 10), item('redis', 10)];
  const cases: Array<{ name: string; applied: RolloutItem[]; live: Application[]; want: string[] }> = [
    { name: 'nothing applied yet: the first wave', applied: [], live: [], want: ['postgres', 'redis'] },
    { name: 'a lower wave still progressing holds it', applied: [item('project', 0)], live: [live('project', 'Synced', 'Progressing')], want: [] },
    { name: 'an applied app the cluster does not show yet holds it', applied: [item('project', 0)], live: [], want: [] },
    { name: 'a lower wave settled lets it go', applied: [item('project', 0)], live: [live('project', 'Synced', 'Healthy')], want: ['postgres', 'redis'] },
    { name: 'a manual app does not hold it', applied: [item('prod', 0)], live: [live('prod', 'OutOfSync', 'Missing', {})], want: ['postgres', 'redis'] },
    { name: 'apps of the same or a higher wave do not hold it', applied: [item('cache', 10), item('ui', 30)], live: [live('cache', 'OutOfSync', 'Missing'), live('ui', 'Unknown', 'Unknown')], want: ['postgres', 'redis'] },
    { name: 'an ApplicationSet is not waited for', applied: [item('teams', 0, 'ApplicationSet')], live: [], want: ['postgres', 'redis'] },
  ];
  for (const c of cases) assert.deepEqual(nextRollout(pending, c.applied, c.live).map((p) => p.name), c.want, c.name);
  assert.deepEqual(nextRollout(pending, [item('project', 0)], [live('project', 'Synced', 'Healthy')], new Set(['project'])), [],
    'an app changed and not reconciled since still holds it, whatever its old status says');
  assert.deepEqual(nextRollout([], [], []), []);
});
