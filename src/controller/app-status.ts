// Building an Application's status in Argo CD's shape from one reconcile's
// results: sync (status, revision(s), comparedTo), health, resources with
// their health, images, conditions, reconciledAt, source type(s).
import type { Application } from '../api/application.ts';
import type { ApplicationStatus, HealthStatusCode, ResourceStatus } from '../api/application-status.ts';
import type { AppCondition } from '../status/conditions.ts';
import { setConditions } from '../status/conditions.ts';
import type { Comparison } from './compare-app-state.ts';

export interface StatusInput {
  readonly app: Application;
  readonly comparison?: Comparison;
  readonly revisions: readonly string[];
  readonly sourceTypes: readonly string[];
  readonly health: { status: HealthStatusCode; message?: string };
  readonly resourceHealth: ReadonlyMap<string, { status: HealthStatusCode; message?: string }>;
  readonly conditions: readonly AppCondition[];
  readonly evaluated: readonly AppCondition['type'][];
  /** status.summary.images: the images of the Pods in the app's live tree (`status/app-images.ts`); kept as they were without a comparison. */
  readonly images?: readonly string[];
  readonly now: string;
  readonly controllerNamespace: string;
}

/** Argo CD omits an empty list (omitempty). */
function summaryOf(previous: ApplicationStatus['summary'], images: readonly string[]): NonNullable<ApplicationStatus['summary']> {
  const { images: _old, ...rest } = previous ?? {};
  return { ...rest, ...(images.length > 0 ? { images: [...images] } : {}) };
}

export function buildStatus(input: StatusInput): ApplicationStatus {
  const previous = input.app.status ?? {};
  const spec = input.app.spec;
  const multi = (spec.sources?.length ?? 0) > 0;
  const resources: ResourceStatus[] | undefined = input.comparison?.resources.map((r) => {
    const h = input.resourceHealth.get(`${r.group}/${r.kind}/${r.namespace}/${r.name}`);
    return h ? { ...r, health: { status: h.status, ...(h.message ? { message: h.message } : {}) } } : r;
  });
  const healthChanged = previous.health?.status !== input.health.status;
  return {
    ...previous,
    sync: {
      status: input.comparison?.syncStatus ?? 'Unknown',
      ...(multi ? { revisions: [...input.revisions] } : input.revisions[0] ? { revision: input.revisions[0] } : {}),
      comparedTo: { ...(multi ? { sources: spec.sources } : { source: spec.source }), destination: spec.destination,
        ...(spec.ignoreDifferences ? { ignoreDifferences: spec.ignoreDifferences } : {}) },
    },
    health: { ...input.health, lastTransitionTime: healthChanged ? input.now : previous.health?.lastTransitionTime ?? input.now },
    ...(resources ? { resources } : {}),
    ...(input.images !== undefined ? { summary: summaryOf(previous.summary, input.images) } : {}),
    conditions: setConditions(previous.conditions as AppCondition[] | undefined, input.evaluated, input.conditions, input.now),
    reconciledAt: input.now,
    ...(multi ? { sourceTypes: [...input.sourceTypes] } : input.sourceTypes[0] ? { sourceType: input.sourceTypes[0] } : {}),
    controllerNamespace: input.controllerNamespace,
  };
}
