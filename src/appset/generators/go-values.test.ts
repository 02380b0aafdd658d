import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareGoStrings, flattenParams, formatGoFloat, formatGoValue, sanitizeName } from './go-values.ts';

test('float64 prints as Go\'s %v does', () => {
  const cases: Array<[number, string]> = [
    [0, '0'], [1, '1'], [-3, '-3'], [8080, '8080'], [123456, '123456'], [1000000, '1e+06'], [1234567, '1.234567e+06'],
    [0.5, '0.5'], [0.0001, '0.0001'], [0.00001, '1e-05'], [-0.000012, '-1.2e-05'], [3.14159, '3.14159'], [1e21, '1e+21'],
    [123456.5, '123456.5'], [100, '100'], [-0, '-0'], [1.5e300, '1.5e+300'],
  ];
  for (const [x, want] of cases) assert.equal(formatGoFloat(x), want, String(x));
});

test('%v of JSON values', () => {
  assert.equal(formatGoValue(true), 'true');
  assert.equal(formatGoValue(null), '<nil>');
  assert.equal(formatGoValue([1, 'a', false]), '[1 a false]');
  assert.equal(formatGoValue({ b: 1, a: { c: 'x' } }), 'map[a:map[c:x] b:1]');
});

test('flattening joins keys with dots and drops empty containers', () => {
  assert.deepEqual(flattenParams({ name: 'x', app: { port: 8080, tags: ['a', 'b'], empty: {}, none: [] }, big: 2000000, on: true, nil: null }), {
    name: 'x', 'app.port': '8080', 'app.tags.0': 'a', 'app.tags.1': 'b', big: '2e+06', on: 'true', nil: '<nil>',
  });
});

test('names are normalized as Argo CD does', () => {
  const cases: Array<[string, string]> = [
    ['My_Cluster', 'my-cluster'], ['--a.b--', 'a.b'], ['prod/eu-1', 'prod-eu-1'], ['İstanbul', 'istanbul'], ['ünïcode', '-n-code'.replace(/^-/, '')],
    ['x'.repeat(300), 'x'.repeat(253)], ['a b c.', 'a-b-c'],
  ];
  for (const [input, want] of cases) assert.equal(sanitizeName(input), want, input);
});

test('strings compare by code point (Go byte order)', () => {
  const sorted = ['b', 'a/x', 'a-b', 'a', '\u{1F600}', '\uFFFD'].sort(compareGoStrings);
  assert.deepEqual(sorted, ['a', 'a-b', 'a/x', 'b', '\uFFFD', '\u{1F600}']);
});
