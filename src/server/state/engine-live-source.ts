// The live source of a server running in the engine's process: the
// controller's own caches, so the resource tree costs no watch of its own.
// Kinds an app tracks that the cache does not watch yet (the controller
// watches what apps render) are watched on first use.
import type { Application } from '../../api/application.ts';
import { groupOf } from '../../api/kube-object.ts';
import type { AppController } from '../../controller/app-controller.ts';
import type { CompatRuntime } from '../../controller/resource-checks.ts';
import type { LiveCache } from '../../kube/cache/live-cache.ts';
import { ApiError } from '../http/api-errors.ts';
import type { AppLiveView, LiveSource } from './live-source.ts';

/** Watches the kinds of `status.resources` the cache does not watch yet (failures leave them out of the tree). */
export async function watchTrackedKinds(live: LiveCache, app: Application): Promise<void> {
  const kinds = new Map<string, [string, string]>();
  for (const r of app.status?.resources ?? []) {
    const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    if (!live.isWatching(apiVersion, r.kind)) kinds.set(`${groupOf(apiVersion)}/${r.kind}`, [apiVersion, r.kind]);
  }
  await Promise.all([...kinds.values()].map(([v, k]) => live.ensureWatching(v, k, undefined, 10_000).catch(() => undefined)));
}

export function engineLiveSource(controller: AppController, compat?: CompatRuntime): LiveSource {
  return {
    async viewOf(app: Application): Promise<AppLiveView> {
      const state = await controller.destinationStateOf(app);
      if (state === undefined) throw new ApiError('InvalidArgument', `application ${app.metadata.name}'s destination names no known cluster`);
      await watchTrackedKinds(state.live, app);
      return {
        client: state.client, managed: state.live.managedBy(app.metadata.name!),
        childrenOf: (uid) => state.live.index.childrenOf(uid),
        health: { overrides: controller.currentSettings.resourceOverrides, ...(compat?.runLua ? { runLua: compat.runLua } : {}) },
      };
    },
    close: () => undefined,
  };
}
