// The applications list's filters, as Argo CD's UI offers them: projects, sync
// status, health status and a search over name, namespace, cluster and repo.
// Within one facet any chosen value matches; facets combine with AND. Filters
// live in the page's address so a filtered view can be shared and reloaded.
import type { Application } from '../../api/application.ts';
import { clusterOf, healthStatusOf, namespaceOf, projectOf, sourcesOfApp, syncStatusOf } from './app-model.ts';

export interface AppFilter {
  readonly search: string;
  readonly projects: readonly string[];
  readonly sync: readonly string[];
  readonly health: readonly string[];
}

export const emptyFilter: AppFilter = { search: '', projects: [], sync: [], health: [] };

export const syncValues = ['Synced', 'OutOfSync', 'Unknown'] as const;
export const healthValues = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'] as const;

function matchesSearch(app: Application, search: string): boolean {
  const words = search.toLowerCase().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return true;
  const haystack = [app.metadata.name ?? '', namespaceOf(app), clusterOf(app), projectOf(app),
    ...sourcesOfApp(app).map((s) => `${s.repoURL} ${s.path ?? ''} ${s.chart ?? ''}`)].join(' ').toLowerCase();
  return words.every((w) => haystack.includes(w));
}

export function appMatches(app: Application, filter: AppFilter): boolean {
  if (filter.projects.length > 0 && !filter.projects.includes(projectOf(app))) return false;
  if (filter.sync.length > 0 && !filter.sync.includes(syncStatusOf(app))) return false;
  if (filter.health.length > 0 && !filter.health.includes(healthStatusOf(app))) return false;
  return matchesSearch(app, filter.search);
}

/** The apps the filter keeps, sorted by name. */
export function filterApps(apps: readonly Application[], filter: AppFilter): Application[] {
  return apps.filter((a) => appMatches(a, filter)).sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}

/** How many apps have each value of a facet (for the filter's labels). */
export function facetCounts(apps: readonly Application[], facet: (a: Application) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const a of apps) counts.set(facet(a), (counts.get(facet(a)) ?? 0) + 1);
  return counts;
}

function list(value: string | null): string[] {
  return value === null || value === '' ? [] : value.split(',').filter((v) => v !== '');
}

export function filterFromQuery(query: URLSearchParams): AppFilter {
  return { search: query.get('search') ?? '', projects: list(query.get('proj')), sync: list(query.get('sync')), health: list(query.get('health')) };
}

export function filterToQuery(filter: AppFilter): Record<string, string> {
  const out: Record<string, string> = {};
  if (filter.search !== '') out['search'] = filter.search;
  if (filter.projects.length > 0) out['proj'] = filter.projects.join(',');
  if (filter.sync.length > 0) out['sync'] = filter.sync.join(',');
  if (filter.health.length > 0) out['health'] = filter.health.join(',');
  return out;
}

export function isFiltered(filter: AppFilter): boolean {
  return filter.search !== '' || filter.projects.length > 0 || filter.sync.length > 0 || filter.health.length > 0;
}
