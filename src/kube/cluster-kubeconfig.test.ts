// Clients built from cluster Secrets authenticate as Argo CD's RawRestConfig
// does: bearer token, basic auth, client certificate and CA, insecure and SNI
// name, an exec provider (a real child process printing an ExecCredential),
// and awsAuthConfig as `argocd-k8s-auth aws …`. A scripted API server sees
// the requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseClusterSecret, type Cluster } from '../api/cluster-secret.ts';
import { awsExecArgs, kubeConfigForCluster } from './cluster-kubeconfig.ts';
import { KubeClient } from './kube-client.ts';
import { KubeConnection } from './connection.ts';
import { sendJson, startTestingApiServer } from './testing-api-server.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const pem = (what: string): string => `-----BEGIN ${what}-----\nMIIB${what.length}\n-----END ${what}-----\n`;

function clusterAt(server: string, config: Record<string, unknown>): Cluster {
  return parseClusterSecret({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'dev', namespace: 'argocd' },
    stringData: { name: 'dev', server, config: JSON.stringify(config) } });
}

test('bearer token, basic auth and exec credentials reach the server as headers', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'capstan-exec-'));
  const plugin = path.join(dir, 'get-token');
  writeFileSync(plugin, '#!/bin/sh\nprintf \'{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"%s-%s"}}\' "$1" "$REGION"\n');
  chmodSync(plugin, 0o755);
  const server = await startTestingApiServer((_req, res) => sendJson(res, 200, { major: '1', minor: '36' }));
  try {
    const cases: Array<{ name: string; config: Record<string, unknown>; want: string }> = [
      { name: 'bearer token', config: { bearerToken: 'tok-123', tlsClientConfig: { insecure: true } }, want: 'Bearer tok-123' },
      { name: 'basic auth', config: { username: 'admin', password: 'pw', tlsClientConfig: { insecure: true } }, want: `Basic ${b64('admin:pw')}` },
      { name: 'exec provider', config: { execProviderConfig: { command: plugin, args: ['dev'], env: { REGION: 'eu' },
        apiVersion: 'client.authentication.k8s.io/v1beta1' }, tlsClientConfig: { insecure: true } }, want: 'Bearer dev-eu' },
    ];
    for (const c of cases) {
      const client = KubeClient.fromCluster(clusterAt(server.url, c.config));
      try {
        const before = server.requests.length;
        await client.get('v1', 'Namespace', undefined, 'x').catch(() => undefined);
        assert.equal(server.requests[before]?.headers.authorization, c.want, c.name);
      } finally {
        client.close();
      }
    }
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('TLS material, insecure and the SNI name are applied; awsAuthConfig runs argocd-k8s-auth', async () => {
  const tlsCluster = clusterAt('https://dev.example.com:6443', { tlsClientConfig: { serverName: 'api.internal', caData: b64(pem('CERTIFICATE')),
    certData: b64(pem('CERTIFICATE')), keyData: b64(pem('EC PRIVATE KEY')) } });
  const conn = KubeConnection.fromConfig(kubeConfigForCluster(tlsCluster));
  const auth = await conn.requestOptions();
  assert.equal(conn.server, 'https://dev.example.com:6443');
  assert.equal(String(auth.tls.ca), pem('CERTIFICATE'));
  assert.equal(String(auth.tls.cert), pem('CERTIFICATE'));
  assert.equal(String(auth.tls.key), pem('EC PRIVATE KEY'));
  assert.equal(auth.tls.servername, 'api.internal');
  assert.notEqual(auth.tls.rejectUnauthorized, false);
  conn.close();
  const insecure = KubeConnection.fromConfig(kubeConfigForCluster(clusterAt('https://dev.example.com', { tlsClientConfig: { insecure: true } })));
  assert.equal((await insecure.requestOptions()).tls.rejectUnauthorized, false);
  insecure.close();

  const aws = { clusterName: 'eks-dev', roleARN: 'arn:aws:iam::1:role/r', profile: 'ops' };
  assert.deepEqual(awsExecArgs(aws), ['aws', '--cluster-name', 'eks-dev', '--role-arn', 'arn:aws:iam::1:role/r', '--profile', 'ops']);
  const user = kubeConfigForCluster(clusterAt('https://eks.example.com', { awsAuthConfig: aws, bearerToken: 'ignored' })).getCurrentUser();
  assert.equal((user?.exec as { command: string }).command, 'argocd-k8s-auth');
  assert.equal(user?.token, undefined, 'as in Argo CD, the AWS plugin is the only credential');
});
