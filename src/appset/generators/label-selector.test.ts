import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSelector, isEmptySelector } from './label-selector.ts';

test('label selectors: matchLabels and every operator', () => {
  const labels = { env: 'prod', 'path.basename': 'api', server: 'https://kubernetes.default.svc' };
  const cases: Array<[Parameters<typeof compileSelector>[0], boolean]> = [
    [{}, true],
    [{ matchLabels: { env: 'prod' } }, true],
    [{ matchLabels: { env: 'dev' } }, false],
    [{ matchLabels: { server: 'https://kubernetes.default.svc' } }, true],
    [{ matchExpressions: [{ key: 'env', operator: 'In', values: ['dev', 'prod'] }] }, true],
    [{ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, false],
    [{ matchExpressions: [{ key: 'missing', operator: 'NotIn', values: ['x'] }] }, true],
    [{ matchExpressions: [{ key: 'path.basename', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'missing', operator: 'DoesNotExist' }] }, true],
    [{ matchLabels: { env: 'prod' }, matchExpressions: [{ key: 'missing', operator: 'Exists' }] }, false],
  ];
  for (const [selector, want] of cases) assert.equal(compileSelector(selector)(labels), want, JSON.stringify(selector));
});

test('invalid selectors are errors that say why', () => {
  const cases: Array<[Parameters<typeof compileSelector>[0], RegExp]> = [
    [{ matchExpressions: [{ key: 'env', operator: 'Equals', values: ['x'] }] }, /"Equals" is not a valid label selector operator/],
    [{ matchExpressions: [{ key: 'env', operator: 'In', values: [] }] }, /values set can't be empty/],
    [{ matchExpressions: [{ key: 'env', operator: 'Exists', values: ['x'] }] }, /must be empty/],
    [{ matchLabels: { 'path[0]': 'x' } }, /name part must consist/],
  ];
  for (const [selector, want] of cases) assert.throws(() => compileSelector(selector), want);
  assert.equal(isEmptySelector(undefined), true);
  assert.equal(isEmptySelector({ matchLabels: {} }), true);
  assert.equal(isEmptySelector({ matchLabels: { a: 'b' } }), false);
});
