import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requeueAfterSeconds } from './requeue.ts';
import { compileTemplate, fillTemplate } from './template-holes.ts';

test('the next periodic reconcile: git every 3 minutes or requeueAfterSeconds, the smallest non-zero wins', () => {
  const git = (s?: number) => ({ git: { repoURL: 'r', revision: 'HEAD', directories: [{ path: '*' }], ...(s === undefined ? {} : { requeueAfterSeconds: s }) } });
  const list = { list: { elements: [] } };
  assert.equal(requeueAfterSeconds([list]), 0);
  assert.equal(requeueAfterSeconds([{ clusters: {} }, git()]), 180);
  assert.equal(requeueAfterSeconds([git(600), git(30)]), 30);
  assert.equal(requeueAfterSeconds([{ matrix: { generators: [list, git(45)] } }]), 45);
  assert.equal(requeueAfterSeconds([{ merge: { mergeKeys: ['a'], generators: [list, { matrix: { generators: [git(20), list] } }] } }]), 20);
  assert.equal(requeueAfterSeconds([git()], 60), 60, 'the controller default applies');
});

test('only strings holding "{{" are rendered, and they come back in place (keys too)', () => {
  const template = { metadata: { name: '{{.n}}', labels: { fixed: 'x', '{{.k}}': 'v-{{.n}}' } }, spec: { list: ['a', '{{.n}}'], count: 3, on: true, none: null } };
  const compiled = compileTemplate(template);
  assert.deepEqual(compiled.strings, ['{{.n}}', '{{.k}}', 'v-{{.n}}', '{{.n}}']);
  assert.deepEqual(fillTemplate(compiled, ['N', 'K', 'v-N', 'N']), { metadata: { name: 'N', labels: { fixed: 'x', K: 'v-N' } }, spec: { list: ['a', 'N'], count: 3, on: true, none: null } });
  assert.deepEqual(template.metadata.name, '{{.n}}', 'the template is not changed');
});
