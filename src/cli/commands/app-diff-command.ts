// `capstan app diff NAME`: renders the app from git and compares it with the
// cluster the way the controller does (server-side diff, ignoreDifferences,
// argocd-cm settings), printing one unified diff per modified resource.
// Returns whether anything differs; the caller turns that into the exit code
// `argocd app diff` uses (0 none, 1 differences, 2 error).
import { diffApplication, formatAppDiff } from '../../controller/app-diff.ts';
import type { KubeClient } from '../../kube/kube-client.ts';
import { argoCdConfigMapName, parseArgoCdConfigMap } from '../../settings/argocd-cm.ts';
import { loadCompatRuntime, startRenderServices } from '../../engine.ts';
import { getApp } from './app-client.ts';

export interface AppDiffOptions {
  /** Where repository URLs are fetched from (cnoe:// URLs of `capstan up`, --repo flags). */
  readonly rewriteRepoUrl?: (url: string) => string;
}

export async function runAppDiff(client: KubeClient, namespace: string, name: string, out: (text: string) => void,
  options: AppDiffOptions = {}): Promise<boolean> {
  const app = await getApp(client, namespace, name);
  const cm = await client.get('v1', 'ConfigMap', namespace, argoCdConfigMapName);
  const { settings, problems } = parseArgoCdConfigMap(cm?.['data'] as Record<string, string> | undefined);
  for (const p of problems) process.stderr.write(`warning: ${namespace}/${argoCdConfigMapName} key ${p.key}: ${p.message}\n`);
  const compat = await loadCompatRuntime((line) => process.stderr.write(`warning: ${line}\n`));
  const render = await startRenderServices(client, namespace, options.rewriteRepoUrl ? { rewriteRepoUrl: options.rewriteRepoUrl } : {});
  const views = await diffApplication(app, { client, settings, ...(compat ? { compat } : {}), render: {
    ...render, tracking: { method: settings.trackingMethod, instanceLabelKey: settings.instanceLabelKey },
    ...(settings.kustomizeBuildOptions.length > 0 ? { kustomizeBuildOptions: settings.kustomizeBuildOptions } : {}),
  } });
  out(formatAppDiff(views));
  return views.some((v) => v.modified);
}
