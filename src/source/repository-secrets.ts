// Argo CD's repository Secrets (operator-manual/declarative-setup.md,
// argocd-repositories.yaml, argocd-repo-creds.yaml): Secrets in the control
// namespace labelled `argocd.argoproj.io/secret-type: repository` name one
// repository, `repo-creds` ones are credential templates for every repository
// whose URL starts with theirs. A repository's credentials are its own
// Secret's when that has any, else the template with the longest matching URL
// prefix (Argo CD's getRepositoryCredentialIndex); URLs compare normalized as
// git.NormalizeGitURL does (project/git-url.ts).
// Pure: values in, values out; the watch that feeds it lives in the controller.
import type { KubeObject } from '../api/kube-object.ts';
import { normalizeGitUrl } from '../project/git-url.ts';

export const secretTypeLabel = 'argocd.argoproj.io/secret-type';

export type RepositorySecretKind = 'repository' | 'repo-creds';

export interface RepositoryEntry {
  readonly secretName: string;
  readonly kind: RepositorySecretKind;
  readonly url: string;
  /** `git` (default) or `helm`. */
  readonly type: string;
  readonly name?: string;
  readonly project?: string;
  readonly username?: string;
  readonly password?: string;
  readonly bearerToken?: string;
  readonly sshPrivateKey?: string;
  /** HTTPS: skip TLS verification; SSH: skip the host key check. */
  readonly insecure: boolean;
  readonly enableOCI: boolean;
  /** Fields Capstan does not use (GitHub App, GCP, TLS client certificates, proxies), by name. */
  readonly unsupported: readonly string[];
}

export interface RepositorySecretProblem {
  readonly secretName: string;
  readonly message: string;
}

const unsupportedFields = ['githubAppID', 'githubAppInstallationID', 'githubAppPrivateKey', 'githubAppEnterpriseBaseUrl',
  'gcpServiceAccountKey', 'tlsClientCertData', 'tlsClientCertKey', 'proxy', 'noProxy', 'forceHttpBasicAuth', 'enableLfs', 'useAzureWorkloadIdentity'];

/** The Secret's values as text: `stringData` (not yet merged by a server) over base64 `data`. */
function secretValues(secret: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((secret['data'] ?? {}) as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = decodeBase64(v);
  }
  for (const [k, v] of Object.entries((secret['stringData'] ?? {}) as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

function decodeBase64(value: string): string {
  const bytes = Uint8Array.from(atob(value.replace(/\s+/g, '')), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Parses one repository or repo-creds Secret; a Secret without `url` is a problem, not an entry. */
export function parseRepositorySecret(secret: KubeObject): RepositoryEntry | RepositorySecretProblem {
  const secretName = secret.metadata.name ?? '';
  const kind = secret.metadata.labels?.[secretTypeLabel];
  if (kind !== 'repository' && kind !== 'repo-creds') {
    return { secretName, message: `label ${secretTypeLabel} is ${JSON.stringify(kind ?? '')}, not repository or repo-creds` };
  }
  let values: Record<string, string>;
  try {
    values = secretValues(secret);
  } catch {
    return { secretName, message: 'data is not valid base64' };
  }
  const url = values['url']?.trim();
  if (!url) return { secretName, message: `a ${kind} Secret needs a url` };
  const opt = (key: string): Partial<Record<string, string>> => (values[key] ? { [key]: values[key] } : {});
  return {
    secretName, kind, url, type: values['type']?.trim() || 'git',
    ...opt('name'), ...opt('project'), ...opt('username'), ...opt('password'), ...opt('bearerToken'), ...opt('sshPrivateKey'),
    insecure: values['insecure'] === 'true' || values['insecureIgnoreHostKey'] === 'true',
    enableOCI: values['enableOCI'] === 'true',
    unsupported: unsupportedFields.filter((f) => values[f] !== undefined && values[f] !== ''),
  } as RepositoryEntry;
}

export function hasCredentials(e: RepositoryEntry): boolean {
  return Boolean(e.username || e.password || e.bearerToken || e.sshPrivateKey);
}

/**
 * The credentials for a repository URL: its own `repository` Secret when that
 * carries credentials, else the `repo-creds` template with the longest
 * matching prefix, else the repository entry without credentials (for its
 * `insecure` and `type`), else undefined.
 */
export function credentialsForUrl(url: string, entries: readonly RepositoryEntry[]): RepositoryEntry | undefined {
  const want = normalizeGitUrl(url);
  const own = entries.find((e) => e.kind === 'repository' && normalizeGitUrl(e.url) === want);
  if (own !== undefined && hasCredentials(own)) return own;
  let best: RepositoryEntry | undefined;
  let bestLength = 0;
  for (const e of entries) {
    if (e.kind !== 'repo-creds') continue;
    const prefix = normalizeGitUrl(e.url);
    if (want.startsWith(prefix) && prefix.length > bestLength) { best = e; bestLength = prefix.length; }
  }
  if (best === undefined) return own;
  return own === undefined ? best : { ...best, url: own.url, insecure: own.insecure || best.insecure, type: own.type };
}
