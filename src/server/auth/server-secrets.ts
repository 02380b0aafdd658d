// The secrets the API server needs, created at first start as Argo CD's
// settings manager does (InitializeSettings): argocd-secret gets
// `server.secretkey` (32 random bytes, the JWT signing key) when it has none,
// and — when `admin.password` is absent — a generated admin password, stored
// as a bcrypt hash with `admin.passwordMtime`, the clear text going to
// argocd-initial-admin-secret (`password`), which an operator reads once and
// deletes. An existing password or key is never replaced. Two servers
// starting at once settle on one Secret (a failed create re-reads).
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../../api/kube-object.ts';
import { CapstanError } from '../../errors.ts';
import { isConflict } from '../../kube/api-error.ts';
import type { KubeClient } from '../../kube/kube-client.ts';
import { generatePassword, hashPassword } from './password.ts';

export const argoCdSecretName = 'argocd-secret';
export const initialAdminSecretName = 'argocd-initial-admin-secret';

export interface ServerSecretsReport {
  readonly createdKey: boolean;
  /** The admin password generated now, if one was. */
  readonly generatedPassword?: string;
}

const secret = (namespace: string, name: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
  metadata: { name, namespace, labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'argocd' } }, data,
});

const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64');

export async function ensureServerSecrets(client: KubeClient, namespace: string, attempts = 5): Promise<ServerSecretsReport> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const current = await client.get('v1', 'Secret', namespace, argoCdSecretName);
    const data = (current?.['data'] as Record<string, string> | undefined) ?? {};
    const add: Record<string, string> = {};
    const createdKey = !data['server.secretkey'];
    if (createdKey) add['server.secretkey'] = b64(randomBytes(32));
    let password: string | undefined;
    if (!data['admin.password']) {
      password = generatePassword();
      add['admin.password'] = b64(await hashPassword(password));
      add['admin.passwordMtime'] = b64(new Date().toISOString().replace(/\.\d+Z$/, 'Z'));
    }
    if (Object.keys(add).length === 0) return { createdKey: false };
    try {
      if (current === undefined) await client.create(secret(namespace, argoCdSecretName, add));
      else await client.patch(current, { metadata: { resourceVersion: current.metadata.resourceVersion }, data: add }, 'merge');
    } catch (err) {
      if (isConflict(err)) continue;
      throw err;
    }
    if (password !== undefined) {
      const initial = secret(namespace, initialAdminSecretName, { password: b64(password) });
      await client.apply(initial, { fieldManager: 'capstan-server', force: true });
    }
    return { createdKey, ...(password !== undefined ? { generatedPassword: password } : {}) };
  }
  throw new CapstanError('Conflict', `${namespace}/${argoCdSecretName} kept changing while the server initialized it`, { retry: 'transient' });
}

/** The initial admin password, while argocd-initial-admin-secret exists. */
export async function readInitialAdminPassword(client: KubeClient, namespace: string): Promise<string | undefined> {
  const s = await client.get('v1', 'Secret', namespace, initialAdminSecretName);
  const raw = (s?.['data'] as Record<string, string> | undefined)?.['password'];
  return raw === undefined ? undefined : Buffer.from(raw, 'base64').toString('utf8');
}
