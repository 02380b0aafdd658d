// managed-resources' comparisons: the app rendered and diffed exactly as the
// controller does it (controller/app-diff.ts compareApplication) against its
// destination, with the settings of argocd-cm in force. In the engine's
// process the controller's render services and differ are shared, so a
// steady state costs no render and no dry run.
import type { Application } from '../../api/application.ts';
import { compareApplication, type ResourceComparison } from '../../controller/app-diff.ts';
import type { AppController } from '../../controller/app-controller.ts';
import type { CompatRuntime } from '../../controller/resource-checks.ts';
import type { KubeClient } from '../../kube/kube-client.ts';
import type { RenderServices } from '../../render/render-application.ts';
import type { EngineSettings } from '../../settings/argocd-cm.ts';
import type { ServerSideDiffer } from '../../diff/server-side-diff.ts';
import type { LiveSource } from './live-source.ts';
import type { ManagedResourcesSource } from './managed-resources-source.ts';

export interface RenderDiffSourceOptions {
  readonly render: Omit<RenderServices, 'generation'>;
  readonly settings: () => EngineSettings;
  readonly live: LiveSource;
  readonly compat?: CompatRuntime;
  /** The controller, when in process: its differ for the destination. */
  readonly controller?: AppController;
}

export function renderDiffSource(options: RenderDiffSourceOptions): ManagedResourcesSource {
  return {
    async compare(app: Application): Promise<readonly ResourceComparison[]> {
      const settings = options.settings();
      const view = await options.live.viewOf(app);
      let client: KubeClient = view.client;
      let differ: ServerSideDiffer | undefined;
      const state = await options.controller?.destinationStateOf(app);
      if (state !== undefined) { client = state.client; differ = state.differ; }
      return compareApplication(app, { client, settings, ...(differ ? { differ } : {}), ...(options.compat ? { compat: options.compat } : {}),
        render: { ...options.render, tracking: { method: settings.trackingMethod, instanceLabelKey: settings.instanceLabelKey },
          ...(settings.kustomizeBuildOptions.length > 0 ? { kustomizeBuildOptions: settings.kustomizeBuildOptions } : {}) } });
    },
  };
}
