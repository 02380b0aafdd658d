// An ApplicationSet's status conditions as Argo CD writes them
// (setApplicationSetStatusCondition): ErrorOccurred, ParametersGenerated and
// ResourcesUpToDate always together — on success False / True / True with
// Argo CD's messages, on an error True with its reason, ParametersGenerated
// False when parameters could not be generated — plus RolloutProgressing
// under RollingSync. Conditions keep their lastTransitionTime while their
// status, reason and message stay, and are sorted by type.
import type { ApplicationSetCondition } from '../api/application-set.ts';

export type AppSetOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: string; readonly message: string; readonly parametersGenerated: boolean };

const generated = 'Successfully generated parameters for all Applications';

export function appSetConditions(previous: readonly ApplicationSetCondition[] | undefined, outcome: AppSetOutcome, now: string,
  rollout?: Omit<ApplicationSetCondition, 'lastTransitionTime'>): ApplicationSetCondition[] {
  const next: Array<Omit<ApplicationSetCondition, 'lastTransitionTime'>> = outcome.ok ? [
    { type: 'ErrorOccurred', status: 'False', reason: 'ApplicationSetUpToDate', message: generated },
    { type: 'ParametersGenerated', status: 'True', reason: 'ParametersGenerated', message: generated },
    { type: 'ResourcesUpToDate', status: 'True', reason: 'ApplicationSetUpToDate', message: 'ApplicationSet up to date' },
  ] : [
    { type: 'ErrorOccurred', status: 'True', reason: outcome.reason, message: outcome.message },
    outcome.parametersGenerated
      ? { type: 'ParametersGenerated', status: 'True', reason: 'ParametersGenerated', message: generated }
      : { type: 'ParametersGenerated', status: 'False', reason: 'ErrorOccurred', message: outcome.message },
    { type: 'ResourcesUpToDate', status: 'False', reason: outcome.reason, message: outcome.message },
  ];
  if (rollout !== undefined) next.push(rollout);
  return next.map((c) => {
    const before = previous?.find((p) => p.type === c.type && p.status === c.status && p.reason === c.reason && p.message === c.message);
    return { ...c, lastTransitionTime: before?.lastTransitionTime ?? now };
  }).sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}
