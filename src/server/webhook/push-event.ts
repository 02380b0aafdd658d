// Git provider webhooks, as Argo CD's API server reads them at /api/webhook:
// which provider sent a request (by its event header), whether it proves the
// secret configured in argocd-secret, and what a push event says — the
// repository's web URLs, the pushed branch or tag, whether it is the default
// branch, and the files its commits touched (where the payload lists them).
import { createHmac, timingSafeEqual } from 'node:crypto';

export type Provider = 'github' | 'gitlab' | 'gogs' | 'bitbucket' | 'bitbucketserver' | 'azuredevops';

export type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** What a push event says (Argo CD's affectedRevisionInfo). */
export interface PushEvent {
  readonly provider: Provider;
  readonly webURLs: readonly string[];
  /** The branch or tag name (`refs/heads/` and `refs/tags/` removed). */
  readonly revision: string;
  /** The push moved the default branch (or the payload cannot tell: then true, as in Argo CD). */
  readonly touchedHead: boolean;
  /** Added, modified and removed files of the pushed commits; empty when the payload does not list them. */
  readonly changedFiles: readonly string[];
}

/** The argocd-secret keys of the webhook secrets (decoded). */
export interface WebhookSecrets {
  readonly github?: string;
  readonly gitlab?: string;
  readonly gogs?: string;
  readonly bitbucketUUID?: string;
  readonly bitbucketServer?: string;
  readonly azureDevOpsUsername?: string;
  readonly azureDevOpsPassword?: string;
}

export const webhookSecretKeys: Record<keyof WebhookSecrets, string> = {
  github: 'webhook.github.secret',
  gitlab: 'webhook.gitlab.secret',
  gogs: 'webhook.gogs.secret',
  bitbucketUUID: 'webhook.bitbucket.uuid',
  bitbucketServer: 'webhook.bitbucketserver.secret',
  azureDevOpsUsername: 'webhook.azuredevops.username',
  azureDevOpsPassword: 'webhook.azuredevops.password',
};

/** A request the webhook refuses: the message is safe to return (it names no secret). */
export class WebhookRefused extends Error {
  override readonly name = 'WebhookRefused';
}

function header(headers: Headers, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** The provider of a request, by the headers Argo CD checks, in its order (Gogs also sends GitHub's). */
export function detectProvider(headers: Headers): Provider | undefined {
  if (header(headers, 'X-Vss-Activityid')) return 'azuredevops';
  if (header(headers, 'X-Gogs-Event')) return 'gogs';
  if (header(headers, 'X-GitHub-Event')) return 'github';
  if (header(headers, 'X-Gitlab-Event')) return 'gitlab';
  if (header(headers, 'X-Hook-UUID')) return 'bitbucket';
  if (header(headers, 'X-Event-Key')) return 'bitbucketserver';
  return undefined;
}

function sameSecret(given: string, want: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(want);
  return a.length === b.length && timingSafeEqual(a, b);
}

function hmacHex(algorithm: 'sha1' | 'sha256', secret: string, body: Buffer): string {
  return createHmac(algorithm, secret).update(body).digest('hex');
}

/** `sha256=<hex>` (or GitHub's older `sha1=<hex>`) over the raw body. */
function verifyHubSignature(headers: Headers, secret: string, body: Buffer, what: string): void {
  const sha256 = header(headers, 'X-Hub-Signature-256');
  const legacy = header(headers, 'X-Hub-Signature');
  const given = sha256 ?? legacy;
  if (given === undefined) throw new WebhookRefused(`missing X-Hub-Signature-256 Header`);
  const [algorithm, hex] = given.startsWith('sha256=') ? ['sha256', given.slice(7)] as const
    : given.startsWith('sha1=') ? ['sha1', given.slice(5)] as const : [undefined, ''] as const;
  if (algorithm === undefined || !sameSecret(hex, hmacHex(algorithm, secret, body))) throw new WebhookRefused(`${what} HMAC verification failed`);
}

/**
 * Checks the proof a provider sends when a secret is configured for it; with
 * none configured every request is taken, as in Argo CD.
 */
export function verifyWebhook(provider: Provider, headers: Headers, body: Buffer, secrets: WebhookSecrets): void {
  switch (provider) {
    case 'github':
      if (secrets.github) verifyHubSignature(headers, secrets.github, body, 'GitHub webhook');
      return;
    case 'bitbucketserver':
      if (secrets.bitbucketServer) verifyHubSignature(headers, secrets.bitbucketServer, body, 'Bitbucket Server webhook');
      return;
    case 'gogs': {
      if (!secrets.gogs) return;
      const given = header(headers, 'X-Gogs-Signature');
      if (given === undefined) throw new WebhookRefused('missing X-Gogs-Signature Header');
      if (!sameSecret(given, hmacHex('sha256', secrets.gogs, body))) throw new WebhookRefused('Gogs webhook HMAC verification failed');
      return;
    }
    case 'gitlab':
      if (secrets.gitlab && !sameSecret(header(headers, 'X-Gitlab-Token') ?? '', secrets.gitlab)) {
        throw new WebhookRefused('GitLab webhook token verification failed');
      }
      return;
    case 'bitbucket':
      if (secrets.bitbucketUUID && !sameSecret(header(headers, 'X-Hook-UUID') ?? '', secrets.bitbucketUUID)) {
        throw new WebhookRefused('Bitbucket webhook UUID verification failed');
      }
      return;
    case 'azuredevops': {
      if (!secrets.azureDevOpsUsername || !secrets.azureDevOpsPassword) return;
      const auth = header(headers, 'Authorization') ?? '';
      const want = `Basic ${Buffer.from(`${secrets.azureDevOpsUsername}:${secrets.azureDevOpsPassword}`).toString('base64')}`;
      if (!sameSecret(auth, want)) throw new WebhookRefused('Azure DevOps webhook basic auth verification failed');
      return;
    }
  }
}

/** The last part of `refs/heads/x` or `refs/tags/x` (Argo CD's ParseRevision: at most three parts). */
export function parseRevision(ref: string): string {
  const parts = ref.split('/');
  return parts.length <= 3 ? parts[parts.length - 1]! : parts.slice(2).join('/');
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Json : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function commitFiles(commits: unknown): string[] {
  return list(commits).flatMap((c) => [...list(obj(c)['added']), ...list(obj(c)['modified']), ...list(obj(c)['removed'])])
    .filter((f): f is string => typeof f === 'string');
}

/** A push from the repository fields Argo CD reads for GitHub, GitLab and Gogs. */
function refPush(provider: Provider, webURL: string, payload: Json, defaultBranch: string): PushEvent {
  const revision = parseRevision(str(payload['ref']));
  return { provider, webURLs: webURL ? [webURL] : [], revision, touchedHead: defaultBranch === revision, changedFiles: commitFiles(payload['commits']) };
}

/**
 * The push a payload describes; `'ping'` for a provider's test event;
 * WebhookRefused for an event kind the webhook does not take.
 */
export function parsePushEvent(provider: Provider, headers: Headers, payload: unknown): PushEvent | 'ping' {
  const p = obj(payload);
  switch (provider) {
    case 'github': {
      const event = header(headers, 'X-GitHub-Event');
      if (event === 'ping') return 'ping';
      if (event !== 'push') throw new WebhookRefused(`event not defined to be parsed: ${event}`);
      const repo = obj(p['repository']);
      return refPush(provider, str(repo['html_url']), p, str(repo['default_branch']));
    }
    case 'gitlab': {
      const event = header(headers, 'X-Gitlab-Event');
      if (event !== 'Push Hook' && event !== 'Tag Push Hook' && event !== 'System Hook') throw new WebhookRefused(`event not defined to be parsed: ${event}`);
      const project = obj(p['project']);
      return refPush(provider, str(project['web_url']), p, str(project['default_branch']));
    }
    case 'gogs': {
      const event = header(headers, 'X-Gogs-Event');
      if (event !== 'push') throw new WebhookRefused(`event not defined to be parsed: ${event}`);
      const repo = obj(p['repository']);
      return refPush(provider, str(repo['html_url']), p, str(repo['default_branch']));
    }
    case 'bitbucket': {
      const event = header(headers, 'X-Event-Key');
      if (event !== 'repo:push') throw new WebhookRefused(`event not defined to be parsed: ${event}`);
      const href = str(obj(obj(obj(p['repository'])['links'])['html'])['href']);
      const first = obj(list(obj(p['push'])['changes'])[0]);
      return { provider, webURLs: href ? [href] : [], revision: str(obj(first['new'])['name']), touchedHead: true, changedFiles: [] };
    }
    case 'bitbucketserver': {
      const event = header(headers, 'X-Event-Key');
      if (event === 'diagnostics:ping') return 'ping';
      if (event !== 'repo:refs_changed') throw new WebhookRefused(`event not defined to be parsed: ${event}`);
      const clone = list(obj(obj(p['repository'])['links'])['clone']).map(obj);
      const webURLs = clone.filter((l) => l['name'] === 'http' || l['name'] === 'ssh').map((l) => str(l['href'])).filter((h) => h !== '');
      const first = obj(list(p['changes'])[0]);
      return { provider, webURLs, revision: parseRevision(str(obj(first['ref'])['id'])), touchedHead: true, changedFiles: [] };
    }
    case 'azuredevops': {
      if (str(p['eventType']) !== 'git.push') throw new WebhookRefused(`event not defined to be parsed: ${str(p['eventType'])}`);
      const resource = obj(p['resource']);
      const repo = obj(resource['repository']);
      const ref = str(obj(list(resource['refUpdates'])[0])['name']);
      return { provider, webURLs: str(repo['remoteUrl']) ? [str(repo['remoteUrl'])] : [], revision: parseRevision(ref),
        touchedHead: ref === str(repo['defaultBranch']), changedFiles: [] };
    }
  }
}
