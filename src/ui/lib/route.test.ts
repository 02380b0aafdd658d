import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appHref, parseRoute, tabOf } from './route.ts';

describe('parseRoute', () => {
  const cases = [
    { hash: '', want: { page: 'applications', q: '' } },
    { hash: '#/applications?proj=a&sync=Synced', want: { page: 'applications', q: 'proj=a&sync=Synced' } },
    { hash: '#/applications/guestbook?tab=tree&node=apps%2FDeployment%2Fdefault%2Fweb', want: { page: 'application', name: 'guestbook', q: 'tab=tree&node=apps%2FDeployment%2Fdefault%2Fweb' } },
    { hash: '#/applications/a%20b/', want: { page: 'application', name: 'a b', q: '' } },
    { hash: '#/applicationsets', want: { page: 'applicationsets' } },
    { hash: '#/login?next=/applications/x', want: { page: 'login', next: '/applications/x' } },
    { hash: '#/login?next=https://elsewhere', want: { page: 'login' } },
    { hash: '#/nowhere', want: { page: 'applications', q: '' } },
  ];
  for (const c of cases) {
    it(c.hash || '(empty)', () => {
      const r = parseRoute(c.hash);
      const got = r.page === 'applications' ? { page: r.page, q: r.query.toString() } : r.page === 'application' ? { page: r.page, name: r.name, q: r.query.toString() } : r;
      assert.deepEqual(got, c.want);
    });
  }
  it('builds an app address that parses back', () => {
    const r = parseRoute(appHref('my/app', { tab: 'diff' }));
    assert.equal(r.page === 'application' && r.name, 'my/app');
    assert.equal(r.page === 'application' && tabOf(r.query), 'diff');
    assert.equal(tabOf(new URLSearchParams('tab=bogus')), 'summary');
  });
});
