// Writes the admin kubeconfig of a local cluster: one cluster, one user with
// the admin client certificate (group system:masters), one context, all
// named after the cluster, with file paths so the keys stay in pki/.
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { ClusterPki } from './pki.ts';

export async function writeAdminKubeconfig(file: string, name: string, server: string, pki: ClusterPki): Promise<void> {
  const contextName = `capstan-${name}`;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: contextName, cluster: { server, 'certificate-authority': pki.caCert } }],
    users: [{ name: `${contextName}-admin`, user: { 'client-certificate': pki.adminCert, 'client-key': pki.adminKey } }],
    contexts: [{ name: contextName, context: { cluster: contextName, user: `${contextName}-admin`, namespace: 'default' } }],
    'current-context': contextName,
    preferences: {},
  };
  await writeFile(file, stringify(config), { mode: 0o600 });
}
