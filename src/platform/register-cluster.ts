// Registering a local cluster with an engine the way Argo CD users register
// one: an Argo CD cluster Secret (label argocd.argoproj.io/secret-type:
// cluster) in the control namespace of the control cluster, with `name`,
// `server` and a `config` holding the cluster's CA and its admin client
// certificate and key as tlsClientConfig (base64 PEM, as Argo CD's config
// JSON carries []byte). Applications then target it with
// `destination.name: <name>` — the seed platforms' dev-vcluster and
// staging-vcluster run this way. The Secret is written by server-side apply,
// so registering again updates it; the key material is read from the
// cluster's pki/ and never printed.
import { readFile } from 'node:fs/promises';
import { clusterSecretType, secretTypeLabel } from '../api/cluster-secret.ts';
import type { KubeObject } from '../api/kube-object.ts';
import type { KubeClient } from '../kube/kube-client.ts';
import { clusterDirs } from './cluster-state.ts';
import { pkiPaths } from './pki.ts';

export const localClusterLabel = 'capstan.dev/local-cluster';

export interface LocalClusterSecretOptions {
  readonly home: string;
  /** The local cluster's name; also the Argo CD cluster name unless `clusterName` says otherwise. */
  readonly name: string;
  readonly server: string;
  readonly namespace: string;
  readonly clusterName?: string;
  /** Extra labels (the ApplicationSet clusters generator selects on them). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly project?: string;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

export function localClusterSecretName(name: string): string {
  return `cluster-${name}`;
}

/** The Argo CD cluster Secret for a local cluster. */
export async function localClusterSecret(options: LocalClusterSecretOptions): Promise<KubeObject> {
  const pki = pkiPaths(clusterDirs(options.home, options.name).pki);
  const [ca, cert, key] = await Promise.all([pki.caCert, pki.adminCert, pki.adminKey].map((f) => readFile(f, 'utf8')));
  return {
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
    metadata: { name: localClusterSecretName(options.name), namespace: options.namespace,
      labels: { ...options.labels, [secretTypeLabel]: clusterSecretType, [localClusterLabel]: options.name } },
    stringData: {
      name: options.clusterName ?? options.name, server: options.server,
      ...(options.project ? { project: options.project } : {}),
      config: JSON.stringify({ tlsClientConfig: { insecure: false, caData: b64(ca!), certData: b64(cert!), keyData: b64(key!) } }),
    },
  };
}

/** Writes (or updates) the cluster Secret into the control cluster. */
export async function registerLocalCluster(control: KubeClient, options: LocalClusterSecretOptions): Promise<KubeObject> {
  const secret = await localClusterSecret(options);
  await control.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: options.namespace } }, { fieldManager: 'capstan-cluster' });
  return control.apply(secret, { fieldManager: 'capstan-cluster', force: true });
}
