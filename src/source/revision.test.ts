import { test } from 'node:test';
import assert from 'node:assert/strict';
import { highestTagSatisfying, matchRevision } from './revision.ts';

const c = (n: number): string => String(n).repeat(40).slice(0, 40);
const table = {
  head: c(1),
  refs: new Map([
    ['refs/heads/main', c(1)], ['refs/heads/feature', c(2)],
    ['refs/tags/v1.0.0', c(3)], ['refs/tags/v1.2.3', c(4)], ['refs/tags/v1.2.10', c(5)], ['refs/tags/v2.0.0', c(6)],
    ['refs/tags/1.3.0', c(7)], ['refs/tags/v1.2.11-rc.1', c(8)],
  ]),
};

test('revisions resolve like Argo CD reads them', () => {
  const cases: Array<[string, string]> = [
    ['HEAD', c(1)], ['', c(1)], ['main', c(1)], ['feature', c(2)], ['refs/heads/feature', c(2)], ['v1.0.0', c(3)],
    ['v1.2.*', c(5)], ['>=1.0.0 <2.0.0', c(7)], ['~1.2.0', c(5)], ['^2', c(6)], ['ABCDEF0123456789ABCDEF0123456789ABCDEF01', 'abcdef0123456789abcdef0123456789abcdef01'],
  ];
  for (const [rev, want] of cases) {
    const m = matchRevision(rev, table);
    assert.ok(m.kind === 'commit', `${rev} resolves`);
    assert.equal(m.commit, want, rev);
  }
  assert.deepEqual(matchRevision('abc1234', table), { kind: 'sha-prefix', prefix: 'abc1234' });
  assert.deepEqual(matchRevision('no-such-branch', table), { kind: 'none' });
  assert.deepEqual(matchRevision('>=9.0.0', table), { kind: 'none' });
});

test('prereleases are skipped unless asked for', () => {
  assert.equal(highestTagSatisfying('1.2.x', ['v1.2.3', 'v1.2.11-rc.1']), 'v1.2.3');
  assert.equal(highestTagSatisfying('not a range at all!', ['v1.0.0']), undefined);
});
