// Facts about an ApplicationSet as its list shows them: the generators it
// uses (matrix and merge with their children), its conditions with the
// problems first, and the Applications it generated (status.resources, else
// the Applications it owns).
import type { Application } from '../../api/application.ts';
import type { ApplicationSet, ApplicationSetCondition } from '../../api/application-set.ts';

const generatorKeys = ['list', 'clusters', 'git', 'matrix', 'merge', 'scmProvider', 'clusterDecisionResource', 'pullRequest', 'plugin'];

function describe(generator: Record<string, unknown>): string {
  const key = generatorKeys.find((k) => generator[k] !== undefined && generator[k] !== null);
  if (key === undefined) return 'unknown';
  const inner = generator[key] as { generators?: Array<Record<string, unknown>>; directories?: unknown; files?: unknown };
  if ((key === 'matrix' || key === 'merge') && Array.isArray(inner.generators)) return `${key}(${inner.generators.map(describe).join(', ')})`;
  if (key === 'git') return inner.files !== undefined ? 'git files' : 'git directories';
  return key;
}

export function generatorSummary(appSet: ApplicationSet): string {
  return (appSet.spec.generators ?? []).map((g) => describe(g as unknown as Record<string, unknown>)).join(', ');
}

export function conditionIsProblem(c: ApplicationSetCondition): boolean {
  return (c.type === 'ErrorOccurred' && c.status === 'True') || ((c.type === 'ParametersGenerated' || c.type === 'ResourcesUpToDate') && c.status === 'False');
}

/** Problem conditions first (an ErrorOccurred True, a ParametersGenerated or ResourcesUpToDate False), then the rest. */
export function conditionsOf(appSet: ApplicationSet): ApplicationSetCondition[] {
  return [...(appSet.status?.conditions ?? [])].sort((a, b) => Number(conditionIsProblem(b)) - Number(conditionIsProblem(a)));
}

export function generatedApps(appSet: ApplicationSet, apps: readonly Application[]): string[] {
  const fromStatus = (appSet.status?.resources ?? []).filter((r) => r.kind === 'Application').map((r) => r.name);
  if (fromStatus.length > 0) return [...new Set(fromStatus)].sort();
  const name = appSet.metadata.name;
  return apps.filter((a) => (a.metadata.ownerReferences ?? []).some((o) => o.kind === 'ApplicationSet' && o.name === name))
    .map((a) => a.metadata.name ?? '').sort();
}
