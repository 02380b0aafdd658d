// Application status conditions as Argo CD keeps them: one entry per type,
// `lastTransitionTime` kept while a condition stays, set when it appears.

export type ConditionType =
  | 'InvalidSpecError' | 'ComparisonError' | 'SyncError' | 'DeletionError' | 'UnknownError'
  | 'SharedResourceWarning' | 'RepeatedResourceWarning' | 'ExcludedResourceWarning' | 'OrphanedResourceWarning';

export interface AppCondition {
  type: ConditionType;
  message: string;
  lastTransitionTime?: string;
}

/**
 * Replaces the conditions of the given types with `next` (the others are kept),
 * keeping lastTransitionTime of a condition whose type and message are unchanged.
 */
export function setConditions(current: readonly AppCondition[] | undefined, evaluatedTypes: readonly ConditionType[],
  next: readonly AppCondition[], now: string): AppCondition[] {
  const previous = current ?? [];
  const kept = previous.filter((c) => !evaluatedTypes.includes(c.type));
  const updated = next.map((c) => {
    const before = previous.find((p) => p.type === c.type && p.message === c.message);
    return { ...c, lastTransitionTime: before?.lastTransitionTime ?? now };
  });
  return [...kept, ...updated];
}
