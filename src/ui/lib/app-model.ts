// Facts about one Application as the UI shows them: its sync and health codes,
// revision, destination, sources and whether automated sync is on (Argo CD's
// IsAutomatedSyncEnabled: `automated` present and not `enabled: false`).
import type { Application, ApplicationSource } from '../../api/application.ts';
import type { HealthStatusCode, SyncStatusCode } from '../../api/application-status.ts';

export function syncStatusOf(app: Application): SyncStatusCode {
  return app.status?.sync?.status ?? 'Unknown';
}

export function healthStatusOf(app: Application): HealthStatusCode {
  return app.status?.health?.status ?? 'Unknown';
}

export function projectOf(app: Application): string {
  return app.spec.project === '' || app.spec.project === undefined ? 'default' : app.spec.project;
}

export function sourcesOfApp(app: Application): ApplicationSource[] {
  if (app.spec.sources !== undefined && app.spec.sources.length > 0) return app.spec.sources;
  return app.spec.source === undefined ? [] : [app.spec.source];
}

/** A git SHA shortened to 7 characters as Argo CD's UI does; tags, branches and chart versions are kept whole. */
export function shortRevision(revision: string | undefined): string {
  if (revision === undefined || revision === '') return '';
  return /^[0-9a-f]{40}$/.test(revision) ? revision.slice(0, 7) : revision;
}

/** The synced revision(s): `status.sync.revision`, or each of `revisions` for a multi-source app. */
export function revisionsOf(app: Application): string[] {
  const sync = app.status?.sync;
  if (sync?.revisions !== undefined && sync.revisions.length > 0) return sync.revisions;
  return sync?.revision ? [sync.revision] : [];
}

/** The target revision(s) the spec asks for (HEAD when left out, as Argo CD reads it). */
export function targetRevisionsOf(app: Application): string[] {
  return sourcesOfApp(app).map((s) => (s.targetRevision === undefined || s.targetRevision === '' ? 'HEAD' : s.targetRevision));
}

export function clusterOf(app: Application): string {
  const d = app.spec.destination;
  return d.name !== undefined && d.name !== '' ? d.name : d.server ?? '';
}

export function namespaceOf(app: Application): string {
  return app.spec.destination.namespace ?? '';
}

export function isAutomated(app: Application): boolean {
  const automated = app.spec.syncPolicy?.automated;
  return automated !== undefined && automated !== null && automated.enabled !== false;
}

export function operationPhaseOf(app: Application): string | undefined {
  return app.status?.operationState?.phase;
}

/** An operation is under way: the `operation` field is set, or the last one is still Running or Terminating. */
export function operationInProgress(app: Application): boolean {
  const phase = operationPhaseOf(app);
  return app.operation !== undefined || phase === 'Running' || phase === 'Terminating';
}

export function sourceLabel(source: ApplicationSource): string {
  const where = source.chart !== undefined ? `chart ${source.chart}` : source.path !== undefined && source.path !== '' ? source.path : '.';
  return `${source.repoURL} · ${where} @ ${source.targetRevision === undefined || source.targetRevision === '' ? 'HEAD' : source.targetRevision}`;
}
