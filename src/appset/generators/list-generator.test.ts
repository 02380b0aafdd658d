import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listParams } from './list-generator.ts';

test('list elements: as written with Go templates, strings and values.* without', () => {
  const elements = [{ cluster: 'dev', url: 'https://a', values: { revision: 'HEAD' } }, { cluster: 'prod', url: 'https://b' }];
  assert.deepEqual(listParams({ elements }, true), elements);
  assert.deepEqual(listParams({ elements }, false), [
    { cluster: 'dev', url: 'https://a', 'values.revision': 'HEAD' }, { cluster: 'prod', url: 'https://b' },
  ]);
  const copy = listParams({ elements }, true)[0]!;
  (copy['values'] as Record<string, string>)['revision'] = 'changed';
  assert.equal(elements[0]!.values!.revision, 'HEAD', 'each generation gets its own copy');
});

test('elementsYaml items follow the elements, with typed values', () => {
  const params = listParams({ elements: [{ a: '1' }], elementsYaml: '- name: api\n  port: 8080\n  enabled: yes\n  on: x\n- {name: web, tags: [x]}\n-\n' }, true);
  // YAML 1.1 as go-yaml v2 reads it: `yes` is true, and so is the key `on` (it becomes "true").
  assert.deepEqual(params, [{ a: '1' }, { name: 'api', port: 8080, enabled: true, true: 'x' }, { name: 'web', tags: ['x'] }, {}]);
  assert.deepEqual(listParams({ elementsYaml: '[{"name": "json"}]' }, true), [{ name: 'json' }]);
  assert.deepEqual(listParams({ elementsYaml: '' }, true), []);
});

test('bad list input is reported clearly', () => {
  const cases: Array<[Parameters<typeof listParams>[0], boolean, RegExp]> = [
    [{ elements: [{ port: 8080 }] }, false, /elements\[0\]\.port is a number: without goTemplate, list values must be strings/],
    [{ elements: ['x'] }, true, /elements\[0\] is a string, not a map/],
    [{ elements: '{{apps}}' as unknown as unknown[] }, false, /elements must be a list of maps, not a string \(to build elements from another generator's parameters, render them into elementsYaml\)/],
    [{ elementsYaml: 'name: x' }, true, /ElementsYaml: elementsYaml is not a list \(it is a map\)/],
    [{ elementsYaml: '- [broken' }, true, /error unmarshling decoded ElementsYaml/],
    [{ elementsYaml: '- 1\n' }, true, /item 0 is not a map/],
  ];
  for (const [gen, goTemplate, want] of cases) assert.throws(() => listParams(gen, goTemplate), want);
});
