import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Application } from '../api/application.ts';
import type { ApplicationSet } from '../api/application-set.ts';
import { appSetConditions } from './appset-conditions.ts';
import { maxUpdateOf, planRollout, stepsOf } from './appset-rollout.ts';

test('conditions on success and on an error, with transition times kept while unchanged', () => {
  const ok = appSetConditions(undefined, { ok: true }, 't1');
  assert.deepEqual(ok.map((c) => [c.type, c.status, c.reason, c.message]), [
    ['ErrorOccurred', 'False', 'ApplicationSetUpToDate', 'Successfully generated parameters for all Applications'],
    ['ParametersGenerated', 'True', 'ParametersGenerated', 'Successfully generated parameters for all Applications'],
    ['ResourcesUpToDate', 'True', 'ApplicationSetUpToDate', 'ApplicationSet up to date'],
  ]);
  assert.ok(appSetConditions(ok, { ok: true }, 't2').every((c) => c.lastTransitionTime === 't1'));
  const failed = appSetConditions(ok, { ok: false, reason: 'ApplicationGenerationFromParamsError', message: 'boom', parametersGenerated: false }, 't3');
  assert.deepEqual(failed.map((c) => [c.type, c.status, c.reason, c.message, c.lastTransitionTime]), [
    ['ErrorOccurred', 'True', 'ApplicationGenerationFromParamsError', 'boom', 't3'],
    ['ParametersGenerated', 'False', 'ErrorOccurred', 'boom', 't3'],
    ['ResourcesUpToDate', 'False', 'ApplicationGenerationFromParamsError', 'boom', 't3'],
  ]);
  const invalid = appSetConditions(failed, { ok: false, reason: 'ApplicationValidationError', message: 'dup', parametersGenerated: true }, 't4');
  assert.equal(invalid.find((c) => c.type === 'ParametersGenerated')?.status, 'True');
});

const appSet = (statuses: ApplicationSet['status'] = {}, maxUpdate?: number | string): ApplicationSet => ({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 's', namespace: 'argocd' }, status: statuses,
  spec: { generators: [], template: { metadata: {}, spec: { project: 'default', destination: {} } }, strategy: { type: 'RollingSync', rollingSync: { steps: [
    { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] },
    { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }], ...(maxUpdate !== undefined ? { maxUpdate } : {}) },
  ] } } },
});
const app = (name: string, env: string | undefined, status?: Application['status']): Application => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
  metadata: { name, namespace: 'argocd', ...(env ? { labels: { env } } : {}) },
  spec: { project: 'default', destination: {}, syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'] } }, ...(status ? { status } : {}) });
const outOfSync: Application['status'] = { sync: { status: 'OutOfSync', revision: 'c1' }, health: { status: 'Healthy' } };
const synced: Application['status'] = { sync: { status: 'Synced', revision: 'c1' }, health: { status: 'Healthy' }, operationState: {
  phase: 'Succeeded', startedAt: 't', operation: {}, syncResult: { revision: 'c1' } } };

test('steps by labels: In and NotIn, first matching step, none for unlabelled', () => {
  const steps = stepsOf(appSet(), [app('d', 'dev'), app('p', 'prod'), app('x', undefined), app('q', 'qa')]);
  assert.deepEqual([...steps], [['d', 0], ['p', 1]]);
});

test('RollingSync: the first step syncs, the next waits until it is Healthy; automated sync is off', () => {
  const desired = [app('d1', 'dev'), app('d2', 'dev'), app('p1', 'prod'), app('p2', 'prod')];
  // First sight: every Application is Waiting.
  let plan = planRollout(appSet(), desired, desired.map((a) => ({ ...a, status: outOfSync })), 't1');
  assert.ok(plan.desired.every((a) => a.spec.syncPolicy?.automated === undefined && a.spec.syncPolicy?.syncOptions?.[0] === 'CreateNamespace=true'));
  assert.deepEqual(plan.applicationStatus.map((s) => [s.application, s.status, s.step]), [['d1', 'Pending', '1'], ['d2', 'Pending', '1'], ['p1', 'Waiting', '2'], ['p2', 'Waiting', '2']]);
  const ops = plan.desired.filter((a) => a.operation).map((a) => a.metadata.name);
  assert.deepEqual(ops, ['d1', 'd2']);
  assert.deepEqual(plan.desired[0]!.operation, { initiatedBy: { username: 'applicationset-controller', automated: true },
    info: [{ name: 'Reason', value: 'ApplicationSet RollingSync triggered a sync of this Application resource.' }], sync: { syncOptions: ['CreateNamespace=true'], prune: true } });
  assert.equal(plan.condition.status, 'True');
  // The dev apps synced and are Healthy: the prod step starts, one at a time with maxUpdate 1.
  const withStatus = (s: ApplicationSet['status']) => ({ ...appSet(s, 1) });
  plan = planRollout(withStatus({ applicationStatus: plan.applicationStatus }), desired,
    [{ ...desired[0]!, status: synced }, { ...desired[1]!, status: synced }, { ...desired[2]!, status: outOfSync }, { ...desired[3]!, status: outOfSync }], 't2');
  assert.deepEqual(plan.applicationStatus.map((s) => [s.application, s.status]), [['d1', 'Healthy'], ['d2', 'Healthy'], ['p1', 'Pending'], ['p2', 'Waiting']]);
  assert.deepEqual(plan.desired.filter((a) => a.operation).map((a) => a.metadata.name), ['p1']);
  const all = planRollout(withStatus({ applicationStatus: plan.applicationStatus.map((s) => ({ ...s, status: 'Healthy' })) }), desired,
    desired.map((a) => ({ ...a, status: synced })), 't3');
  assert.deepEqual(all.condition, { type: 'RolloutProgressing', status: 'False', reason: 'ApplicationSetRolloutComplete', message: 'ApplicationSet Rollout Rollout complete' });
});

test('maxUpdate: counts, percentages rounded down with a minimum of one, 0 for none', () => {
  assert.equal(maxUpdateOf(undefined, 10), Number.POSITIVE_INFINITY);
  assert.equal(maxUpdateOf({ maxUpdate: 2 }, 10), 2);
  assert.equal(maxUpdateOf({ maxUpdate: '25%' }, 10), 2);
  assert.equal(maxUpdateOf({ maxUpdate: '10%' }, 3), 1);
  assert.equal(maxUpdateOf({ maxUpdate: '0%' }, 3), 0);
  assert.equal(maxUpdateOf({ maxUpdate: 0 }, 3), 0);
});
