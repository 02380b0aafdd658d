// An in-memory object store implementing the sync ports, for tests of the
// sync state machine and of operation processing (the real-cluster tests live
// in test/integration).
import { resourceKey, type KubeObject } from '../../api/kube-object.ts';
import type { HealthResult, SyncPorts } from './sync-ports.ts';

export class NotFound extends Error {}

export class MemoryStore {
  readonly objects = new Map<string, KubeObject>();
  readonly log: string[] = [];
  health = new Map<string, HealthResult>();
  rejectApply = new Set<string>();

  ports(): SyncPorts {
    return {
      apply: async (target, { dryRun }) => {
        const name = target.metadata.name ?? '';
        if (this.rejectApply.has(name)) throw new Error(`admission webhook denied ${name}`);
        this.log.push(`${dryRun ? 'dry-run' : 'apply'} ${target.kind}/${name}`);
        if (!dryRun) this.objects.set(resourceKey(target), structuredClone(target));
        return `${target.kind.toLowerCase()}/${name} serverside-applied`;
      },
      remove: async (obj) => {
        this.log.push(`delete ${obj.kind}/${obj.metadata.name}`);
        if (!this.objects.delete(resourceKey(obj))) throw new NotFound('not found');
      },
      removeHookFinalizer: async (live) => {
        const o = this.objects.get(resourceKey(live));
        if (o) o.metadata.finalizers = (o.metadata.finalizers ?? []).filter((f) => f !== 'argocd.argoproj.io/hook-finalizer');
      },
      isNotFound: (err) => err instanceof NotFound,
      assessHealth: (live) => this.health.get(live.metadata.name ?? ''),
      waveDelay: async () => { this.log.push('wave delay'); },
    };
  }
}

