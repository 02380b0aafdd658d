// POST /api/webhook: a git provider's push event (GitHub, GitLab, Gogs,
// Bitbucket Cloud and Server, Azure DevOps) refreshes the Applications and
// ApplicationSets that follow the pushed branch or tag of that repository, so
// a commit is seen at once instead of at the next reconciliation period. No
// token: a provider proves itself with the secret argocd-secret configures for
// it (`webhook.github.secret`, …); without one every request is taken, as in
// Argo CD. The answer names no app (the caller is not authenticated).
import { applicationRefreshAnnotation } from '../../api/application.ts';
import { applicationSetRefreshAnnotation } from '../../api/application-set.ts';
import { decodeBase64Text } from '../../api/base64-text.ts';
import type { KubeObject } from '../../api/kube-object.ts';
import { describeError } from '../../errors.ts';
import type { ApiContext } from '../api-context.ts';
import { ApiError } from '../http/api-errors.ts';
import { parseJsonBody, readRawBody } from '../http/request-body.ts';
import { detectProvider, parsePushEvent, verifyWebhook, WebhookRefused, webhookSecretKeys, type WebhookSecrets } from '../webhook/push-event.ts';
import { appSetsToRefresh, appsToRefresh } from '../webhook/push-match.ts';

const defaultMaxPayloadMB = 50;

function secretsOf(ctx: ApiContext): WebhookSecrets {
  const data = ctx.deps.cache.secretData('argocd-secret') ?? {};
  const out: Record<string, string> = {};
  for (const [field, key] of Object.entries(webhookSecretKeys)) {
    const value = data[key];
    if (value !== undefined && value !== '') out[field] = decodeBase64Text(value);
  }
  return out as WebhookSecrets;
}

function payloadOf(ctx: ApiContext, body: Buffer): unknown {
  // GitHub may post a form with the JSON in `payload`.
  if ((ctx.req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    return parseJsonBody(Buffer.from(new URLSearchParams(body.toString('utf8')).get('payload') ?? ''));
  }
  return parseJsonBody(body);
}

export async function gitWebhook(ctx: ApiContext): Promise<undefined> {
  const provider = detectProvider(ctx.req.headers);
  if (provider === undefined) throw new ApiError('InvalidArgument', 'Unknown webhook event');
  const maxMB = Number(ctx.deps.cache.configMapData('argocd-cm')?.['webhook.maxPayloadSizeMB'] ?? defaultMaxPayloadMB);
  const body = await readRawBody(ctx.req, (Number.isFinite(maxMB) && maxMB > 0 ? maxMB : defaultMaxPayloadMB) * 1024 * 1024);
  let push;
  try {
    verifyWebhook(provider, ctx.req.headers, body, secretsOf(ctx));
    push = parsePushEvent(provider, ctx.req.headers, payloadOf(ctx, body));
  } catch (err) {
    if (!(err instanceof WebhookRefused) && !(err instanceof ApiError)) throw err;
    ctx.deps.log(`webhook (${provider}) refused: ${err.message}`);
    throw new ApiError('InvalidArgument', `Webhook processing failed: ${err.message}`);
  }
  if (push !== 'ping') {
    const apps = appsToRefresh(ctx.deps.cache.apps.items.values(), push);
    const appSets = appSetsToRefresh(ctx.deps.cache.appSets.items.values(), push);
    ctx.deps.log(`webhook (${provider}): push to ${push.webURLs.join(', ')} ${push.revision}: refreshing ${apps.length} Applications, ${appSets.length} ApplicationSets`);
    const refresh = async (obj: KubeObject, annotation: string, value: string): Promise<void> => {
      if (obj.metadata.annotations?.[annotation] !== undefined) return;
      await ctx.deps.client.patch({ apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name: obj.metadata.name!, namespace: obj.metadata.namespace! } },
        { metadata: { annotations: { [annotation]: value } } }, 'merge')
        .catch((err: unknown) => ctx.deps.log(`webhook: refresh of ${obj.kind} ${obj.metadata.name}: ${describeError(err)}`));
    };
    await Promise.all([
      ...apps.map((a) => refresh({ ...a, apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' } as unknown as KubeObject, applicationRefreshAnnotation, 'normal')),
      ...appSets.map((s) => refresh({ ...s, apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet' } as unknown as KubeObject, applicationSetRefreshAnnotation, 'true')),
    ]);
  }
  ctx.res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  ctx.res.end();
  return undefined;
}
