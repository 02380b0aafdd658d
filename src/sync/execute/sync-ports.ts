// What the sync executor needs from the outside world, so the state machine
// itself does no I/O of its own: applying and deleting objects, removing the
// hook finalizer, and assessing health.
import type { KubeObject } from '../../api/kube-object.ts';
import type { ApplyMode } from '../plan/task-actions.ts';
import type { PropagationPolicy } from '../plan/sync-options.ts';

export interface HealthResult {
  readonly status: 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';
  readonly message?: string;
}

export interface SyncPorts {
  /** Applies a target (dry-run: validation only). Returns a kubectl-style message. */
  apply(target: KubeObject, options: { dryRun: boolean; mode: ApplyMode; live?: KubeObject }): Promise<string>;
  /** Deletes an object. Rejects with an error for which `isNotFound` is true when it is already gone. */
  remove(obj: KubeObject, options: { propagationPolicy: PropagationPolicy }): Promise<void>;
  /** Removes `argocd.argoproj.io/hook-finalizer` from a live hook (no-op when absent or gone). */
  removeHookFinalizer(live: KubeObject): Promise<void>;
  isNotFound(err: unknown): boolean;
  /** Health of a live object; undefined when the kind has no health check. */
  assessHealth(live: KubeObject): HealthResult | undefined;
  /** Between waves (Argo CD waits 2 s; 0 in tests). */
  waveDelay(): Promise<void>;
}
