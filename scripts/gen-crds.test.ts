import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generatedFile, renderCrdSchemas } from './gen-crds.ts';

interface SchemaNode { required?: string[]; type?: string; properties: Record<string, SchemaNode>; [k: string]: unknown }

test('the committed CRD schemas match the TypeScript types (run: npx tsx scripts/gen-crds.ts)', () => {
  assert.equal(readFileSync(generatedFile, 'utf8'), renderCrdSchemas());
});

test('the Application schema requires what Argo CD requires and keeps free-form fields open', () => {
  const schemas = JSON.parse(renderCrdSchemas()) as Record<string, SchemaNode>;
  const app = schemas['Application']!;
  assert.deepEqual(app.required, ['destination', 'project']);
  assert.equal(app.properties['source']!.properties['helm']!.properties['valuesObject']!['x-kubernetes-preserve-unknown-fields'], true);
  assert.deepEqual(app.properties['source']!.required, ['repoURL']);
  assert.equal(app.properties['syncPolicy']!.properties['automated']!.properties['prune']!.type, 'boolean');
});

test('the ApplicationSet schema types generators and templates, and keeps nested matrix/merge and list elements free-form', () => {
  const schemas = JSON.parse(renderCrdSchemas()) as Record<string, SchemaNode>;
  const set = schemas['ApplicationSet']!;
  assert.deepEqual(set.required, ['generators', 'template']);
  const generator = set.properties['generators']!['items'] as SchemaNode;
  assert.equal(generator.properties['list']!.properties['elements']!.type, 'array');
  assert.equal((generator.properties['list']!.properties['elements']!['items'] as SchemaNode)['x-kubernetes-preserve-unknown-fields'], true);
  const child = generator.properties['matrix']!.properties['generators']!['items'] as SchemaNode;
  assert.equal(child.properties['matrix']!['x-kubernetes-preserve-unknown-fields'], true);
  assert.equal(child.properties['merge']!['x-kubernetes-preserve-unknown-fields'], true);
  assert.deepEqual(child.properties['git']!.required, ['repoURL', 'revision']);
  assert.equal(generator.properties['scmProvider']!['x-kubernetes-preserve-unknown-fields'], true);
  assert.deepEqual(set.properties['template']!.properties['spec']!.required, ['destination', 'project']);
  assert.equal(set.properties['templatePatch']!.type, 'string');
});
