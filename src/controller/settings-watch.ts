// Watches the `argocd-cm` ConfigMap in the control namespace and hands each
// parsed version to the controller (Argo CD's settings informer): a missing
// ConfigMap means Argo CD's defaults, a malformed key is reported by name and
// the rest applies, and every change that alters the parsed settings is
// delivered once, so the controller re-evaluates its apps.
import type { KubeObject } from '../api/kube-object.ts';
import { canonicalJson } from '../diff/server-side-diff.ts';
import { describeError } from '../errors.ts';
import type { KubeClient } from '../kube/kube-client.ts';
import { argoCdConfigMapName, parseArgoCdConfigMap, type ParsedSettings } from '../settings/argocd-cm.ts';

export interface SettingsWatchOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly signal: AbortSignal;
  readonly onChange: (parsed: ParsedSettings) => void;
  readonly log?: (line: string) => void;
}

function fingerprint(parsed: ParsedSettings): string {
  return canonicalJson({ ...parsed.settings, resourceOverrides: [...parsed.settings.resourceOverrides] });
}

/** Resolves with the first settings once the ConfigMap has been listed; keeps watching until the signal aborts. */
export function watchSettings(options: SettingsWatchOptions): Promise<ParsedSettings> {
  let last: string | undefined;
  let resolveFirst!: (p: ParsedSettings) => void;
  const first = new Promise<ParsedSettings>((resolve) => { resolveFirst = resolve; });
  const deliver = (cm: KubeObject | undefined): void => {
    const parsed = parseArgoCdConfigMap(cm?.['data'] as Record<string, string> | undefined);
    const fp = fingerprint(parsed);
    if (fp === last) return;
    last = fp;
    for (const p of parsed.problems) options.log?.(`${options.namespace}/${argoCdConfigMapName}: key ${p.key}: ${p.message} (its default applies)`);
    options.onChange(parsed);
    resolveFirst(parsed);
  };
  void options.client.watch('v1', 'ConfigMap', {
    onSync: (objects) => deliver(objects[0]),
    onEvent: (type, obj) => deliver(type === 'DELETED' ? undefined : obj),
    onError: (err) => options.log?.(`watch ${options.namespace}/${argoCdConfigMapName}: ${describeError(err)}`),
  }, { namespace: options.namespace, fieldSelector: `metadata.name=${argoCdConfigMapName}`, signal: options.signal })
    .catch((err: unknown) => options.log?.(`watch ${options.namespace}/${argoCdConfigMapName}: ${describeError(err)}`));
  return first;
}
