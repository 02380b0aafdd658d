// The rest of the render options Argo CD documents, with the real helm and
// kustomize: Helm file parameters, skipCrds, kubeVersion and apiVersions (seen
// through .Capabilities), forced string parameters; Kustomize namespace,
// nameSuffix and components; and a render past its time limit, which fails
// with a typed error and leaves nothing in the cache.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApplicationSpec } from '../../src/api/application.ts';
import type { KubeObject } from '../../src/api/kube-object.ts';
import { CapstanError } from '../../src/errors.ts';
import { ensureBinaries, type BinaryPaths } from '../../src/render/tool-binaries.ts';
import { RenderCache } from '../../src/render/render-cache.ts';
import { renderApplication, type RenderServices } from '../../src/render/render-application.ts';
import { RepositoryStore } from '../../src/source/repository-store.ts';
import { TestRepo } from '../harness/git-repo.ts';

let bin: BinaryPaths;
before(async () => { bin = await ensureBinaries(); });

function setup(t: { after(fn: () => void): void }, extra: Partial<RenderServices> = {}): { repo: TestRepo; services: RenderServices } {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'capstan-render-opts-'));
  const repo = new TestRepo();
  t.after(() => { rmSync(cacheDir, { recursive: true, force: true }); repo.remove(); });
  return { repo, services: { repositories: new RepositoryStore({ cacheDir }), binaries: bin, cacheDir, cache: new RenderCache(), ...extra } };
}

const spec = (repoURL: string, source: Partial<NonNullable<ApplicationSpec['source']>>, namespace = 'opts'): ApplicationSpec =>
  ({ project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace }, source: { repoURL, targetRevision: 'HEAD', ...source } });

const byKind = (objs: readonly KubeObject[], kind: string): KubeObject[] => objs.filter((o) => o.kind === kind);

const capabilitiesChart = {
  'chart/Chart.yaml': 'apiVersion: v2\nname: caps\nversion: 0.1.0\n',
  'chart/crds/widget.yaml': [
    'apiVersion: apiextensions.k8s.io/v1', 'kind: CustomResourceDefinition', 'metadata:', '  name: widgets.example.com', 'spec:',
    '  group: example.com', '  scope: Namespaced', '  names: {kind: Widget, plural: widgets, singular: widget}',
    '  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]', ''].join('\n'),
  'chart/templates/caps.yaml': [
    'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: caps', 'data:',
    '  kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}',
    '  hasWidgets: {{ .Capabilities.APIVersions.Has "example.com/v1/Widget" | quote }}',
    '  motd: {{ .Values.motd | quote }}',
    '  port: {{ .Values.port | quote }}',
    '  portType: {{ kindOf .Values.port | quote }}', ''].join('\n'),
  'chart/values.yaml': 'motd: none\nport: 80\n',
  'chart/files/motd.txt': 'hello from a file',
};

test('helm: fileParameters, skipCrds, kubeVersion, apiVersions and forced strings reach helm template as Argo CD passes them', async (t) => {
  const { repo, services } = setup(t);
  repo.commit(capabilitiesChart);
  const plain = await renderApplication({ appName: 'caps', spec: spec(repo.dir, { path: 'chart' }) }, services);
  assert.equal(byKind(plain.objects, 'CustomResourceDefinition').length, 1, 'CRDs are included by default');
  const plainData = byKind(plain.objects, 'ConfigMap')[0]!['data'] as Record<string, string>;
  assert.equal(plainData['hasWidgets'], 'false');
  assert.equal(plainData['motd'], 'none');

  const tuned = await renderApplication({ appName: 'caps', spec: spec(repo.dir, { path: 'chart', helm: {
    skipCrds: true, kubeVersion: '1.31.4', apiVersions: ['example.com/v1/Widget'],
    fileParameters: [{ name: 'motd', path: 'files/motd.txt' }],
    parameters: [{ name: 'port', value: '8080', forceString: true }],
  } }) }, services);
  assert.equal(byKind(tuned.objects, 'CustomResourceDefinition').length, 0, 'skipCrds leaves the chart\'s crds/ out');
  const data = byKind(tuned.objects, 'ConfigMap')[0]!['data'] as Record<string, string>;
  assert.equal(data['kubeVersion'], 'v1.31.4');
  assert.equal(data['hasWidgets'], 'true');
  assert.equal(data['motd'], 'hello from a file');
  assert.equal(data['port'], '8080');
  assert.equal(data['portType'], 'string', 'forceString sets a string, as --set-string does');

  const numeric = await renderApplication({ appName: 'caps', spec: spec(repo.dir, { path: 'chart', helm: {
    parameters: [{ name: 'port', value: '8080' }] } }) }, services);
  assert.equal((byKind(numeric.objects, 'ConfigMap')[0]!['data'] as Record<string, string>)['portType'], 'int64');

  await assert.rejects(renderApplication({ appName: 'caps', spec: spec(repo.dir, { path: 'chart', helm: {
    fileParameters: [{ name: 'motd', path: '../../etc/passwd' }] } }) }, services),
  (err: unknown) => err instanceof CapstanError && /app "caps" source .*value file \.\.\/\.\.\/etc\/passwd is outside the repository/.test(err.message));
});

test('kustomize: namespace, nameSuffix and components overrides', async (t) => {
  const { repo, services } = setup(t);
  repo.commit({
    'base/kustomization.yaml': 'resources:\n  - cm.yaml\n',
    'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: base\n',
    'components/debug/kustomization.yaml': [
      'apiVersion: kustomize.config.k8s.io/v1alpha1', 'kind: Component', 'patches:', '  - target: {kind: ConfigMap}',
      '    patch: |-', '      - op: replace', '        path: /data/mode', '        value: debug', ''].join('\n'),
  });
  const out = await renderApplication({ appName: 'k', spec: spec(repo.dir, { path: 'base', kustomize: {
    namespace: 'elsewhere', nameSuffix: '-v2', components: ['../components/debug'] } }) }, services);
  assert.deepEqual(out.sourceTypes, ['Kustomize']);
  const cm = byKind(out.objects, 'ConfigMap')[0]!;
  assert.equal(cm.metadata.name, 'settings-v2');
  assert.equal(cm.metadata.namespace, 'elsewhere', 'the kustomize namespace wins over the destination');
  assert.deepEqual(cm['data'], { mode: 'debug' });
});

test('a render past its time limit fails with RenderTimeout and caches nothing', async (t) => {
  const { repo, services } = setup(t, { timeoutMs: 1 });
  repo.commit(capabilitiesChart);
  await assert.rejects(renderApplication({ appName: 'slow', spec: spec(repo.dir, { path: 'chart' }) }, services), (err: unknown) => {
    assert.ok(err instanceof CapstanError);
    assert.equal(err.code, 'RenderTimeout');
    assert.match(err.message, /^app "slow" source .* path chart: helm did not finish within 1 ms/);
    return true;
  });
  assert.equal(services.cache.size, 0);
});
