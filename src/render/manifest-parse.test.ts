import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CapstanError } from '../errors.ts';
import { parseManifestFile } from './manifest-parse.ts';

test('multi-document YAML, lists and JSON', () => {
  const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: s}\n';
  const out = parseManifestFile(yaml, 'a.yaml');
  assert.ok('objects' in out);
  assert.deepEqual(out.objects.map((o) => `${o.kind}/${o.metadata.name}`), ['ConfigMap/a', 'Secret/s']);
  const json = parseManifestFile('[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j"}}]', 'x.json');
  assert.ok('objects' in json && json.objects[0]!.metadata.name === 'j');
});

test('non-manifest YAML and JSON files are skipped', () => {
  assert.deepEqual(parseManifestFile('replicaCount: 2\nimage: x\n', 'values.yaml'), { skipped: true });
  assert.deepEqual(parseManifestFile('{"name":"pkg","version":"1.0.0"}', 'package.json'), { skipped: true });
});

test('broken manifests fail with the file and the line', () => {
  const broken = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n';
  assert.throws(() => parseManifestFile(broken, 'apps/cm.yaml'), (err: unknown) =>
    err instanceof CapstanError && err.code === 'InvalidManifest' && /failed to unmarshal apps\/cm\.yaml: line \d+/.test(err.message));
  assert.throws(() => parseManifestFile('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\n', 'one.yaml'), /one\.yaml/);
  assert.throws(() => parseManifestFile('{"apiVersion": "v1", "kind":', 'bad.json'), /bad\.json/);
});
