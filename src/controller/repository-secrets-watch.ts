// Watches Argo CD's repository and repo-creds Secrets in the control namespace
// and answers "which credentials does this repository URL use?" for git
// fetches and Helm chart pulls, at the moment of each fetch, so an added or
// rotated Secret applies without a restart. SSH private keys are written to
// files only Capstan can read (git takes a key path); nothing secret is
// logged: a malformed Secret is reported by name and cause.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '../api/kube-object.ts';
import { describeError } from '../errors.ts';
import type { KubeClient } from '../kube/kube-client.ts';
import type { HelmRepositoryCredentials } from '../render/render-helm.ts';
import type { GitCredentials } from '../source/git-command.ts';
import { credentialsForUrl, parseRepositorySecret, secretTypeLabel, type RepositoryEntry } from '../source/repository-secrets.ts';

export interface RepositorySecretsOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  /** Where SSH keys are written (mode 0600). */
  readonly keyDir: string;
  readonly log?: (line: string) => void;
}

const labelSelector = `${secretTypeLabel} in (repository,repo-creds)`;

export class RepositorySecrets {
  private readonly secrets = new Map<string, RepositoryEntry>();
  private entries: RepositoryEntry[] = [];

  constructor(private readonly options: RepositorySecretsOptions) {}

  /** Starts watching; resolves once the Secrets have been listed (or the first list failed). */
  start(signal: AbortSignal): Promise<void> {
    const { client, namespace, log } = this.options;
    let resolveFirst!: () => void;
    const first = new Promise<void>((resolve) => { resolveFirst = resolve; });
    void client.watch('v1', 'Secret', {
      onSync: (objects) => { this.replaceAll(objects); resolveFirst(); },
      onEvent: (type, obj) => {
        if (type === 'DELETED') this.secrets.delete(obj.metadata.name ?? '');
        else this.upsert(obj);
        this.entries = [...this.secrets.values()];
      },
      onError: (err) => { log?.(`watch repository Secrets in ${namespace}: ${describeError(err)}`); resolveFirst(); },
    }, { namespace, labelSelector, signal })
      .catch((err: unknown) => { log?.(`watch repository Secrets in ${namespace}: ${describeError(err)}`); resolveFirst(); });
    return first;
  }

  /** One read of the Secrets, for a command that renders once (no watch). */
  async load(): Promise<void> {
    this.replaceAll(await this.options.client.list('v1', 'Secret', { namespace: this.options.namespace, labelSelector }));
  }

  private replaceAll(objects: readonly KubeObject[]): void {
    this.secrets.clear();
    for (const o of objects) this.upsert(o);
    this.entries = [...this.secrets.values()];
  }

  private upsert(secret: KubeObject): void {
    const name = secret.metadata.name ?? '';
    const parsed = parseRepositorySecret(secret);
    if (!('kind' in parsed)) {
      this.secrets.delete(name);
      this.options.log?.(`repository Secret ${this.options.namespace}/${name} ignored: ${parsed.message}`);
      return;
    }
    if (parsed.unsupported.length > 0) {
      this.options.log?.(`repository Secret ${this.options.namespace}/${name}: ${parsed.unsupported.join(', ')} not supported (ignored)`);
    }
    this.secrets.set(name, parsed);
  }

  /** The git credentials for a repository URL, or undefined for none. */
  gitCredentialsFor(url: string): GitCredentials | undefined {
    const e = credentialsForUrl(url, this.entries);
    if (e === undefined) return undefined;
    const creds: GitCredentials = {
      ...(e.username ? { username: e.username } : {}), ...(e.password ? { password: e.password } : {}),
      ...(e.bearerToken ? { bearerToken: e.bearerToken } : {}),
      ...(e.sshPrivateKey ? { sshPrivateKeyPath: this.keyFile(e.sshPrivateKey), insecureIgnoreHostKey: e.insecure } : {}),
      ...(e.insecure ? { insecureSkipTlsVerify: true } : {}),
    };
    return Object.keys(creds).length > 0 ? creds : undefined;
  }

  /** Credentials for an HTTP chart repository (`type: helm`), or undefined. */
  helmCredentialsFor(url: string): HelmRepositoryCredentials | undefined {
    const e = credentialsForUrl(url, this.entries);
    if (e === undefined || (!e.username && !e.password && !e.insecure)) return undefined;
    return { ...(e.username ? { username: e.username } : {}), ...(e.password ? { password: e.password } : {}),
      ...(e.insecure ? { insecureSkipTlsVerify: true } : {}) };
  }

  private keyFile(key: string): string {
    const file = path.join(this.options.keyDir, createHash('sha256').update(key).digest('hex').slice(0, 24));
    if (!existsSync(file)) {
      mkdirSync(this.options.keyDir, { recursive: true, mode: 0o700 });
      writeFileSync(file, key.endsWith('\n') ? key : `${key}\n`, { mode: 0o600 });
    }
    return file;
  }
}
