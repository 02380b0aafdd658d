import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Application } from '../../api/application.ts';
import { emptyFilter, facetCounts, filterApps, filterFromQuery, filterToQuery } from './app-filters.ts';
import { syncStatusOf } from './app-model.ts';

function app(name: string, project: string, sync: string, health: string, namespace = 'default', repo = 'https://git.example/platform'): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name },
    spec: { project, destination: { server: 'https://kubernetes.default.svc', namespace }, source: { repoURL: repo, path: `apps/${name}` } },
    status: { sync: { status: sync as 'Synced' }, health: { status: health as 'Healthy' } },
  };
}

const apps = [
  app('guestbook', 'default', 'Synced', 'Healthy'),
  app('billing', 'payments', 'OutOfSync', 'Healthy', 'billing'),
  app('ledger', 'payments', 'Synced', 'Degraded', 'ledger', 'https://git.example/ledger'),
  { ...app('bare', '', 'Synced', 'Healthy'), status: {} } as Application,
];

describe('filterApps', () => {
  const cases = [
    { name: 'no filter keeps all, sorted by name', filter: emptyFilter, want: ['bare', 'billing', 'guestbook', 'ledger'] },
    { name: 'one project', filter: { ...emptyFilter, projects: ['payments'] }, want: ['billing', 'ledger'] },
    { name: 'an empty project is default', filter: { ...emptyFilter, projects: ['default'] }, want: ['bare', 'guestbook'] },
    { name: 'sync status', filter: { ...emptyFilter, sync: ['OutOfSync'] }, want: ['billing'] },
    { name: 'no status is Unknown', filter: { ...emptyFilter, sync: ['Unknown'] }, want: ['bare'] },
    { name: 'values within a facet are OR', filter: { ...emptyFilter, health: ['Degraded', 'Unknown'] }, want: ['bare', 'ledger'] },
    { name: 'facets are AND', filter: { ...emptyFilter, projects: ['payments'], sync: ['Synced'] }, want: ['ledger'] },
    { name: 'search by namespace', filter: { ...emptyFilter, search: 'billing' }, want: ['billing'] },
    { name: 'search by repository, any case', filter: { ...emptyFilter, search: 'GIT.EXAMPLE/LEDGER' }, want: ['ledger'] },
    { name: 'every search word must match', filter: { ...emptyFilter, search: 'payments degraded' }, want: [] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(filterApps(apps, c.filter).map((a) => a.metadata.name), c.want));
});

describe('filter query', () => {
  it('round-trips through the address', () => {
    const filter = { search: 'web', projects: ['a', 'b'], sync: ['OutOfSync'], health: [] };
    const query = new URLSearchParams(filterToQuery(filter));
    assert.equal(query.toString(), 'search=web&proj=a%2Cb&sync=OutOfSync');
    assert.deepEqual(filterFromQuery(query), filter);
  });
  it('counts each facet value', () => {
    assert.deepEqual([...facetCounts(apps, syncStatusOf)].sort(), [['OutOfSync', 1], ['Synced', 2], ['Unknown', 1]]);
  });
});
