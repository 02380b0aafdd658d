// Label selector strings as Kubernetes reads them, table-driven.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLabelSelector } from './label-selector-query.ts';

test('label selector strings', () => {
  const labels = { env: 'prod', tier: 'web', 'app.kubernetes.io/instance': 'shop' };
  const cases: Array<[string, boolean]> = [
    ['', true], ['env=prod', true], ['env==prod', true], ['env=dev', false], ['env!=dev', true], ['missing!=x', true],
    ['env in (dev, prod)', true], ['env notin (dev,prod)', false], ['missing notin (a)', true], ['tier', true], ['!tier', false],
    ['!missing', true], ['env=prod,tier=web', true], ['env=prod,tier=db', false], ['app.kubernetes.io/instance=shop', true],
    ['env in (dev),tier', false],
  ];
  for (const [selector, want] of cases) assert.equal(parseLabelSelector(selector)(labels), want, selector);
  assert.equal(parseLabelSelector('env=prod')(undefined), false);
  assert.throws(() => parseLabelSelector('bad key=1'), /invalid selector/);
});
