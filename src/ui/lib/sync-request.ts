// The sync dialog's choices turned into Argo CD's ApplicationSyncRequest, as
// its UI builds it: prune and dry run as flags; "apply only" selects the apply
// strategy (no hooks), otherwise the hook strategy, each with `force`;
// resources only when some (not all) are selected; the chosen sync options
// (Validate=false, CreateNamespace=true, PrunePropagationPolicy=…, …).
import type { SyncOperationResource } from '../../api/application-status.ts';
import type { ApplicationSyncRequest } from '../api/api-types.ts';
import { refKey } from './resource-tree.ts';

export interface SyncChoices {
  readonly prune: boolean;
  readonly dryRun: boolean;
  readonly applyOnly: boolean;
  readonly force: boolean;
  readonly revision: string;
  /** Keys (refKey) of the resources to sync, out of `all`. */
  readonly selected: ReadonlySet<string>;
  readonly options: readonly string[];
}

/** The sync options the dialog offers, with Argo CD's labels. */
export const syncOptionChoices: ReadonlyArray<{ readonly option: string; readonly label: string }> = [
  { option: 'Validate=false', label: 'Skip schema validation' },
  { option: 'CreateNamespace=true', label: 'Auto-create namespace' },
  { option: 'PruneLast=true', label: 'Prune last' },
  { option: 'ApplyOutOfSyncOnly=true', label: 'Apply out of sync only' },
  { option: 'RespectIgnoreDifferences=true', label: 'Respect ignore differences' },
  { option: 'ServerSideApply=true', label: 'Server-side apply' },
  { option: 'Replace=true', label: 'Replace' },
];

export const prunePropagationPolicies = ['foreground', 'background', 'orphan'] as const;

export class SyncChoiceError extends Error {
  constructor(message: string) { super(message); this.name = 'SyncChoiceError'; }
}

export function syncRequestOf(name: string, all: readonly SyncOperationResource[], choices: SyncChoices): ApplicationSyncRequest {
  const chosen = all.filter((r) => choices.selected.has(refKey(r)));
  if (all.length > 0 && chosen.length === 0) throw new SyncChoiceError('No resources selected: choose at least one resource to sync.');
  const strategy = choices.applyOnly ? { apply: { force: choices.force } } : { hook: { force: choices.force } };
  const req: ApplicationSyncRequest = { name, prune: choices.prune, dryRun: choices.dryRun, strategy };
  if (choices.revision.trim() !== '') req.revision = choices.revision.trim();
  if (chosen.length < all.length) {
    req.resources = chosen.map((r) => ({ group: r.group ?? '', kind: r.kind, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) }));
  }
  if (choices.options.length > 0) req.syncOptions = { items: [...choices.options] };
  return req;
}
