import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/kube-object.ts';
import { parseArgoCdConfigMap } from '../settings/argocd-cm.ts';
import { applyIgnoreRules, resolveIgnoreRules, type NormalizeProblem } from './ignore-differences.ts';
import type { EvalJq } from './jq.ts';
import { normalizeManagedFields } from './managed-fields.ts';
import { restoreIgnoredFields } from './restore-ignored.ts';

const deploy = (name: string, ns = 'shop', spec: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns }, spec });

test('rules: app entries by glob group/kind and exact name/namespace, argocd-cm by key', () => {
  const { settings } = parseArgoCdConfigMap({
    'resource.customizations.ignoreDifferences.apps_Deployment': 'jsonPointers: [/spec/paused]',
    'resource.customizations.ignoreDifferences.all': 'managedFieldsManagers: [hpa]',
    'resource.customizations': '"*.example.com/*":\n  ignoreDifferences: |\n    jsonPointers: [/spec/x]\n',
  });
  const appIgnores = [
    { group: 'apps', kind: 'Deployment', name: 'web', jsonPointers: ['/spec/replicas'] },
    { group: '*', kind: '*', namespace: 'other', jsonPointers: ['/metadata/labels'] },
    { kind: 'Deployment', jsonPointers: ['/never'] },
  ];
  const sources = { appIgnores, overrides: settings.resourceOverrides };
  const cases: Array<{ obj: KubeObject; want: { jsonPointers: string[]; managedFieldsManagers: string[] } }> = [
    { obj: deploy('web'), want: { jsonPointers: ['/spec/replicas', '/spec/paused'], managedFieldsManagers: ['hpa'] } },
    { obj: deploy('api'), want: { jsonPointers: ['/spec/paused'], managedFieldsManagers: ['hpa'] } },
    { obj: deploy('api', 'other'), want: { jsonPointers: ['/metadata/labels', '/spec/paused'], managedFieldsManagers: ['hpa'] } },
    { obj: { apiVersion: 'a.example.com/v1', kind: 'Thing', metadata: { name: 't' } }, want: { jsonPointers: ['/spec/x'], managedFieldsManagers: ['hpa'] } },
    { obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, want: { jsonPointers: [], managedFieldsManagers: ['hpa'] } },
  ];
  for (const c of cases) {
    const r = resolveIgnoreRules(c.obj, sources);
    assert.deepEqual({ jsonPointers: [...r.jsonPointers].sort(), managedFieldsManagers: r.managedFieldsManagers }, { jsonPointers: [...c.want.jsonPointers].sort(), managedFieldsManagers: c.want.managedFieldsManagers }, `${c.obj.kind}/${c.obj.metadata.name}`);
  }
});

test('JSON pointers and jq expressions remove fields; failures are skipped and reported', () => {
  const obj = deploy('web', 'shop', { replicas: 3, template: { metadata: { annotations: { 'a/b': '1' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } } });
  const jqCalls: string[] = [];
  // A stand-in evaluator for the two programs this test uses (the real one is gojq).
  const evalJq: EvalJq = ({ program, input }) => {
    jqCalls.push(program);
    if (program === 'del(.spec.template.spec.containers[].image)') {
      const copy = JSON.parse(JSON.stringify(input)) as { spec: { template: { spec: { containers: Array<Record<string, unknown>> } } } };
      for (const c of copy.spec.template.spec.containers) delete c['image'];
      return { ok: true, outputs: [copy] };
    }
    return { ok: false, error: 'syntax error' };
  };
  const problems: NormalizeProblem[] = [];
  const out = applyIgnoreRules(obj, { jsonPointers: ['/spec/replicas', '/spec/template/metadata/annotations/a~1b', '/spec/nothing'],
    jqPathExpressions: ['.spec.template.spec.containers[].image', '.bad['], managedFieldsManagers: [] }, evalJq, problems);
  assert.deepEqual(out['spec'], { template: { spec: { containers: [{ name: 'c' }] } } }, 'emptied maps are dropped');
  assert.equal((obj['spec'] as { replicas: number }).replicas, 3, 'the input is not changed');
  assert.deepEqual(jqCalls, ['del(.spec.template.spec.containers[].image)', 'del(.bad[)']);
  assert.deepEqual(problems, [{ expression: '.bad[', message: 'JQ patch returned error: syntax error' }]);
});

test('managedFieldsManagers: conflicting fields owned by a trusted manager leave both sides', () => {
  const live: KubeObject = { ...deploy('web', 'shop', { replicas: 5, paused: false, template: { spec: { containers: [{ name: 'c', image: 'y' }] } } }),
    metadata: { name: 'web', namespace: 'shop', managedFields: [
      { manager: 'hpa', operation: 'Update', fieldsV1: { 'f:spec': { 'f:replicas': {}, 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {} } } } } } } },
      { manager: 'capstan', operation: 'Apply', fieldsV1: { 'f:spec': { 'f:paused': {} } } }] } };
  const target = deploy('web', 'shop', { replicas: 2, paused: true, template: { spec: { containers: [{ name: 'c', image: 'x' }] } } });
  const out = normalizeManagedFields(live, target, ['hpa']);
  assert.equal((out.target['spec'] as Record<string, unknown>)['replicas'], undefined);
  assert.equal((out.live['spec'] as Record<string, unknown>)['replicas'], undefined);
  assert.equal((out.target['spec'] as Record<string, unknown>)['paused'], true, 'fields of other managers stay');
  assert.deepEqual((out.target['spec'] as { template: unknown }).template, { spec: { containers: [{ name: 'c', image: 'x' }] } }, 'a whole-list difference is not a field the manager owns');
  assert.equal(normalizeManagedFields(live, target, ['nobody']).target, target);
});

test('RespectIgnoreDifferences: ignored fields take their live values', () => {
  const live = deploy('web', 'shop', { replicas: 5, template: { metadata: { annotations: { keep: 'live', other: 'x' } } } });
  live.metadata.labels = { team: 'a' };
  const target = deploy('web', 'shop', { replicas: 2, template: { metadata: { annotations: { other: 'y' } } } });
  const rules = { jsonPointers: ['/spec/replicas', '/spec/template/metadata/annotations/keep', '/spec/absent'], jqPathExpressions: [], managedFieldsManagers: [] };
  const nt = applyIgnoreRules(target, rules);
  const nl = applyIgnoreRules(live, rules);
  const applied = restoreIgnoredFields(nt, nl, live);
  assert.deepEqual(applied['spec'], { replicas: 5, template: { metadata: { annotations: { other: 'y', keep: 'live' } } } });
  assert.equal(applied.metadata.labels, undefined, 'fields not ignored are the desired ones');
});
