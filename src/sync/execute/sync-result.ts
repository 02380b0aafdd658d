// Results of a sync operation per object and phase, in the shape Argo CD
// records under `status.operationState.syncResult.resources[]`, plus the
// operation phases (Running, Succeeded, Failed, Error, Terminating).
import type { HookType, SyncPhase } from '../../api/sync-annotations.ts';
import type { ResultCode } from '../plan/task-actions.ts';
import { imagesOf } from '../../api/object-images.ts';
import { taskIdentity, taskObject, taskResultKey, type SyncTask } from '../plan/sync-task.ts';

export type OperationPhase = 'Running' | 'Terminating' | 'Failed' | 'Error' | 'Succeeded';

export interface ResourceResult {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  status?: ResultCode;
  message: string;
  hookType?: HookType;
  hookPhase?: OperationPhase;
  syncPhase: SyncPhase;
  images?: string[];
}

/** Results keyed like Argo's (object key + phase), kept in insertion order. */
export class SyncResults {
  private readonly byKey = new Map<string, ResourceResult>();

  constructor(recorded: readonly ResourceResult[] = []) {
    for (const r of recorded) this.byKey.set(`${r.group}/${r.kind}/${r.namespace}/${r.name}:${r.syncPhase}`, { ...r });
  }

  get(task: SyncTask): ResourceResult | undefined {
    return this.byKey.get(taskResultKey(task));
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Records a result; an empty message keeps the previous one, as Argo does. */
  set(task: SyncTask, status: ResultCode | undefined, hookPhase: OperationPhase | undefined, message: string): void {
    const key = taskResultKey(task);
    const existing = this.byKey.get(key);
    const id = taskIdentity(task);
    const images = imagesOf(taskObject(task));
    const next: ResourceResult = {
      ...id,
      ...(images.length > 0 ? { images } : {}),
      message: message !== '' ? message : existing?.message ?? '',
      syncPhase: task.phase,
      ...(status ? { status } : {}),
      ...(hookPhase ? { hookPhase } : {}),
      ...(task.hook ? { hookType: task.phase } : {}),
    };
    this.byKey.set(key, next);
  }

  list(): ResourceResult[] {
    return [...this.byKey.values()];
  }
}

export function taskPhase(results: SyncResults, task: SyncTask): OperationPhase | undefined {
  return results.get(task)?.hookPhase;
}

export const isRunning = (p: OperationPhase | undefined): boolean => p === 'Running' || p === 'Terminating';
export const isCompleted = (p: OperationPhase | undefined): boolean => p === 'Failed' || p === 'Error' || p === 'Succeeded';
export const isSuccessful = (p: OperationPhase | undefined): boolean => p === 'Succeeded';
