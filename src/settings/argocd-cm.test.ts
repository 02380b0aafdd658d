import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSettings, parseArgoCdConfigMap, parseGoDuration } from './argocd-cm.ts';
import { isExcludedResource } from './resource-filter.ts';

test('defaults: Argo CD\'s with no ConfigMap', () => {
  const s = defaultSettings();
  assert.equal(s.reconciliationMs, 120_000);
  assert.equal(s.reconciliationJitterMs, 60_000);
  assert.equal(s.trackingMethod, 'annotation');
  assert.equal(s.instanceLabelKey, 'app.kubernetes.io/instance');
  assert.deepEqual(s.kustomizeBuildOptions, []);
  assert.deepEqual(s.resourceOverrides.get('apiextensions.k8s.io/CustomResourceDefinition')?.ignoreDifferences?.jsonPointers,
    ['/status', '/spec/preserveUnknownFields']);
  const cluster = 'https://kubernetes.default.svc';
  const cases: Array<[string, string, boolean]> = [
    ['', 'Event', true], ['events.k8s.io', 'Event', true], ['coordination.k8s.io', 'Lease', true],
    ['discovery.k8s.io', 'EndpointSlice', true], ['', 'Endpoints', true], ['cert-manager.io', 'CertificateRequest', true],
    ['apps', 'Deployment', false], ['', 'ConfigMap', false], ['cert-manager.io', 'Certificate', false],
  ];
  for (const [group, kind, want] of cases) assert.equal(isExcludedResource(s, group, kind, cluster), want, `${group}/${kind}`);
});

test('split keys and the YAML form merge into one override per group/kind', () => {
  const { settings, problems } = parseArgoCdConfigMap({
    'resource.customizations': 'cert-manager.io/Certificate:\n  health.lua: return {status="Healthy"}\n  ignoreDifferences: |\n    jsonPointers: [/spec/duration]\n"*.crossplane.io/*":\n  health.lua.useOpenLibs: true\n  health.lua: return {status="Progressing"}\n',
    'resource.customizations.health.example.com_Widget': 'return {status = "Degraded"}',
    'resource.customizations.useOpenLibs.example.com_Widget': 'true',
    'resource.customizations.ignoreDifferences.apps_Deployment': 'jqPathExpressions:\n- .spec.template.spec.containers[].image\nmanagedFieldsManagers: [kube-controller-manager]\n',
    'resource.customizations.ignoreDifferences.all': 'managedFieldsManagers:\n- hpa\n',
    'resource.customizations.ignoreDifferences.ConfigMap': 'jsonPointers: [/data/x]',
    'resource.customizations.knownTypeFields.argoproj.io_Rollout': '- field: spec.template.spec\n  type: core/v1/PodSpec\n',
  });
  assert.deepEqual(problems, []);
  const o = settings.resourceOverrides;
  assert.equal(o.get('cert-manager.io/Certificate')?.healthLua, 'return {status="Healthy"}');
  assert.deepEqual(o.get('cert-manager.io/Certificate')?.ignoreDifferences, { jsonPointers: ['/spec/duration'] });
  assert.equal(o.get('*.crossplane.io/*')?.useOpenLibs, true);
  assert.deepEqual(o.get('example.com/Widget'), { healthLua: 'return {status = "Degraded"}', useOpenLibs: true });
  assert.deepEqual(o.get('apps/Deployment')?.ignoreDifferences, { jqPathExpressions: ['.spec.template.spec.containers[].image'], managedFieldsManagers: ['kube-controller-manager'] });
  assert.deepEqual(o.get('*/*')?.ignoreDifferences, { managedFieldsManagers: ['hpa'] });
  assert.deepEqual(o.get('ConfigMap')?.ignoreDifferences, { jsonPointers: ['/data/x'] });
  assert.deepEqual(o.get('argoproj.io/Rollout')?.knownTypeFields, [{ field: 'spec.template.spec', type: 'core/v1/PodSpec' }]);
});

test('scalar settings', () => {
  const { settings, problems } = parseArgoCdConfigMap({
    'timeout.reconciliation': '3m', 'timeout.reconciliation.jitter': '0', 'application.resourceTrackingMethod': 'annotation+label',
    'application.instanceLabelKey': 'argocd.argoproj.io/instance', 'kustomize.buildOptions': '--enable-helm  --load-restrictor LoadRestrictionsNone',
    'resource.compareoptions': 'ignoreResourceStatusField: all\nignoreAggregatedRoles: true\n',
    'resource.exclusions': '- apiGroups: ["*.example.com"]\n  kinds: ["*"]\n', 'resource.inclusions': '- apiGroups: ["", apps]\n',
  });
  assert.deepEqual(problems, []);
  assert.equal(settings.reconciliationMs, 180_000);
  assert.equal(settings.reconciliationJitterMs, 0);
  assert.equal(settings.trackingMethod, 'annotation+label');
  assert.equal(settings.instanceLabelKey, 'argocd.argoproj.io/instance');
  assert.deepEqual(settings.kustomizeBuildOptions, ['--enable-helm', '--load-restrictor', 'LoadRestrictionsNone']);
  assert.equal(settings.compareOptions.ignoreAggregatedRoles, true);
  assert.deepEqual(settings.resourceOverrides.get('*/*')?.ignoreDifferences?.jsonPointers, ['/status']);
  const c = 'https://kubernetes.default.svc';
  assert.equal(isExcludedResource(settings, 'a.example.com', 'Thing', c), true);
  assert.equal(isExcludedResource(settings, 'apps', 'Deployment', c), false);
  assert.equal(isExcludedResource(settings, 'batch', 'Job', c), true, 'not included');
  assert.equal(isExcludedResource(settings, '', 'Endpoints', c), false, 'an explicit exclusions list replaces the install defaults');
  assert.equal(isExcludedResource(settings, '', 'Event', c), true, 'core exclusions always apply');
});

test('cluster.inClusterEnabled: only "false" turns the in-cluster destination off', () => {
  const cases: Array<{ raw?: string; enabled: boolean; problem: boolean }> = [
    { enabled: true, problem: false }, { raw: 'true', enabled: true, problem: false }, { raw: 'false', enabled: false, problem: false },
    { raw: 'no', enabled: true, problem: true },
  ];
  for (const c of cases) {
    const { settings, problems } = parseArgoCdConfigMap(c.raw === undefined ? {} : { 'cluster.inClusterEnabled': c.raw });
    assert.equal(settings.inClusterEnabled, c.enabled, String(c.raw));
    assert.equal(problems.some((p) => p.key === 'cluster.inClusterEnabled'), c.problem, String(c.raw));
  }
});

test('malformed entries are reported by key and fall back, the rest still applies', () => {
  const { settings, problems } = parseArgoCdConfigMap({
    'timeout.reconciliation': '180', 'application.resourceTrackingMethod': 'labels',
    'resource.customizations.health.a_b_c': 'x', 'resource.customizations.colour.apps_Deployment': 'red',
    'resource.customizations.ignoreDifferences.apps_StatefulSet': 'jsonPointers: spec/replicas',
    'resource.customizations.ignoreDifferences.apps_DaemonSet': 'jsonPointers: [spec/replicas]',
    'resource.customizations.useOpenLibs.x_Y': 'maybe',
    'resource.exclusions': '{not a list}', 'resource.customizations': '"a/B": [1]\n"c/D":\n  health.lua: ok\n',
    'resource.customizations.health.apps_Deployment': 'return {status="Healthy"}',
  });
  const byKey = new Map(problems.map((p) => [p.key, p.message]));
  assert.match(byKey.get('timeout.reconciliation') ?? '', /not a duration/);
  assert.match(byKey.get('application.resourceTrackingMethod') ?? '', /"labels" is not one of/);
  assert.match(byKey.get('resource.customizations.health.a_b_c') ?? '', /<group>_<Kind>/);
  assert.match(byKey.get('resource.customizations.colour.apps_Deployment') ?? '', /"colour" is not supported/);
  assert.match(byKey.get('resource.customizations.ignoreDifferences.apps_StatefulSet') ?? '', /list of strings/);
  assert.match(byKey.get('resource.customizations.ignoreDifferences.apps_DaemonSet') ?? '', /must start with/);
  assert.match(byKey.get('resource.customizations.useOpenLibs.x_Y') ?? '', /not a boolean/);
  assert.match(byKey.get('resource.exclusions') ?? '', /must be a list/);
  assert.match(byKey.get('resource.customizations "a/B"') ?? '', /must be a map/);
  assert.equal(problems.length, 9);
  assert.equal(settings.reconciliationMs, 120_000);
  assert.equal(settings.trackingMethod, 'annotation');
  assert.equal(settings.resourceOverrides.get('c/D')?.healthLua, 'ok');
  assert.equal(settings.resourceOverrides.get('apps/Deployment')?.healthLua, 'return {status="Healthy"}');
  assert.equal(isExcludedResource(settings, '', 'Endpoints', 'https://kubernetes.default.svc'), true, 'defaults kept');
});

test('Go durations', () => {
  const cases: Array<[string, number]> = [['0', 0], ['180s', 180_000], ['3m', 180_000], ['1h30m', 5_400_000], ['1.5s', 1500], ['250ms', 250]];
  for (const [raw, want] of cases) assert.equal(parseGoDuration(raw), want, raw);
  for (const bad of ['', '10', 'abc', '5d', '3m x']) assert.throws(() => parseGoDuration(bad), /not a duration/, bad);
});
