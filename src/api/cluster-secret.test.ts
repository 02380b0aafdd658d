// Cluster Secrets as Argo CD documents them (declarative-setup.md, Clusters)
// and as util/db/cluster.go reads them: fields, defaults, the config JSON
// with base64 PEM data, and a named error — without the secret's values —
// for each malformed shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBase64Text } from './base64-text.ts';
import { ClusterSecretError, clusterIdentityOf, parseClusterSecret, type Cluster } from './cluster-secret.ts';
import type { KubeObject } from './kube-object.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const pem = (what: string): string => `-----BEGIN ${what}-----\nMIIBfake${what.replace(/ /g, '')}\n-----END ${what}-----\n`;
const secretToken = 'sekret-token-value-1234';

function secret(stringData: Record<string, string>, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'dev', namespace: 'argocd',
    labels: { 'argocd.argoproj.io/secret-type': 'cluster' }, ...extra }, stringData };
}

/** The same Secret as the API server stores it (data, base64). */
function stored(stringData: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'dev', namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster' } },
    data: Object.fromEntries(Object.entries(stringData).map(([k, v]) => [k, b64(v)])) };
}

test('base64 decoding follows Go StdEncoding: padding, line breaks, the offending byte named', () => {
  const cases: Array<{ input: string; want?: string; error?: string }> = [
    { input: b64('hello'), want: 'hello' },
    { input: b64('héllo ✓ 𝄞'), want: 'héllo ✓ 𝄞' },
    { input: `${b64('a long line of text that wraps').slice(0, 8)}\n${b64('a long line of text that wraps').slice(8)}`, want: 'a long line of text that wraps' },
    { input: '', want: '' },
    { input: 'aGVsbG8', error: 'illegal base64 data at input byte 4' },
    { input: 'aGV*bG8=', error: 'illegal base64 data at input byte 3' },
    { input: 'aG==bG8=', error: 'illegal base64 data at input byte 2' },
  ];
  for (const c of cases) {
    if (c.error) assert.throws(() => decodeBase64Text(c.input), { message: c.error }, c.input);
    else assert.equal(decodeBase64Text(c.input), c.want, c.input);
  }
});

test('a cluster Secret parses to Argo CD\'s Cluster, from stringData or stored data', () => {
  const input = {
    name: 'dev-vcluster', server: 'https://dev.example.com:6443/', namespaces: ' team-a, team-b ,,', clusterResources: 'true', project: 'platform',
    shard: '2',
    config: JSON.stringify({ bearerToken: secretToken, tlsClientConfig: { insecure: false, serverName: 'dev.internal', caData: b64(pem('CERTIFICATE')) } }),
  };
  const want: Cluster = {
    secret: 'argocd/dev', name: 'dev-vcluster', server: 'https://dev.example.com:6443', project: 'platform',
    namespaces: ['team-a', 'team-b'], clusterResources: true, shard: 2,
    labels: { 'argocd.argoproj.io/secret-type': 'cluster' }, annotations: {},
    config: { bearerToken: secretToken, tlsClientConfig: { insecure: false, serverName: 'dev.internal', caData: pem('CERTIFICATE') } },
  };
  assert.deepEqual(parseClusterSecret(secret(input)), want);
  assert.deepEqual(parseClusterSecret(stored(input)), want);
});

test('each way to authenticate parses; defaults as Argo CD\'s', () => {
  const cases: Array<{ name: string; config?: unknown; want: Cluster['config'] }> = [
    { name: 'no config: anonymous, TLS verified', want: { tlsClientConfig: { insecure: false } } },
    { name: 'basic auth', config: { username: 'admin', password: 'pw' }, want: { username: 'admin', password: 'pw', tlsClientConfig: { insecure: false } } },
    { name: 'client certificate', config: { tlsClientConfig: { certData: b64(pem('CERTIFICATE')), keyData: b64(pem('EC PRIVATE KEY')), caData: b64(pem('CERTIFICATE')) } },
      want: { tlsClientConfig: { insecure: false, certData: pem('CERTIFICATE'), keyData: pem('EC PRIVATE KEY'), caData: pem('CERTIFICATE') } } },
    { name: 'insecure', config: { bearerToken: 't', tlsClientConfig: { insecure: true } }, want: { bearerToken: 't', tlsClientConfig: { insecure: true } } },
    { name: 'exec provider', config: { execProviderConfig: { command: 'get-token', args: ['--cluster', 'dev'], env: { REGION: 'eu' },
      apiVersion: 'client.authentication.k8s.io/v1beta1', installHint: 'install get-token' } },
    want: { tlsClientConfig: { insecure: false }, execProviderConfig: { command: 'get-token', args: ['--cluster', 'dev'], env: { REGION: 'eu' },
      apiVersion: 'client.authentication.k8s.io/v1beta1', installHint: 'install get-token' } } },
    { name: 'AWS', config: { awsAuthConfig: { clusterName: 'eks-dev', roleARN: 'arn:aws:iam::1:role/r', profile: 'p' } },
      want: { tlsClientConfig: { insecure: false }, awsAuthConfig: { clusterName: 'eks-dev', roleARN: 'arn:aws:iam::1:role/r', profile: 'p' } } },
    { name: 'proxy, compression', config: { proxyUrl: 'http://proxy:3128', disableCompression: true },
      want: { tlsClientConfig: { insecure: false }, proxyUrl: 'http://proxy:3128', disableCompression: true } },
  ];
  for (const c of cases) {
    const data: Record<string, string> = { name: 'dev', server: 'https://dev.example.com' };
    if (c.config !== undefined) data['config'] = JSON.stringify(c.config);
    const cluster = parseClusterSecret(secret(data));
    assert.deepEqual(cluster.config, c.want, c.name);
    assert.deepEqual([cluster.namespaces, cluster.clusterResources, cluster.project], [[], false, undefined], c.name);
  }
});

test('a malformed cluster Secret is a ClusterSecretError naming the Secret and the field, never a value', () => {
  const ok = { name: 'dev', server: 'https://dev.example.com' };
  const cases: Array<{ name: string; data: Record<string, string>; want: string }> = [
    { name: 'no server', data: { name: 'dev' }, want: 'it has no server' },
    { name: 'no name', data: { server: 'https://dev.example.com' }, want: 'it has no name' },
    { name: 'server not a URL', data: { name: 'dev', server: 'dev.example.com' }, want: 'server "dev.example.com" is not an http(s) URL' },
    { name: 'config not JSON', data: { ...ok, config: `{"bearerToken": ${secretToken}}` }, want: 'config is not valid JSON' },
    { name: 'config not an object', data: { ...ok, config: '"x"' }, want: 'config must be an object' },
    { name: 'token not a string', data: { ...ok, config: '{"bearerToken": 12}' }, want: 'config.bearerToken must be a string' },
    { name: 'insecure not a boolean', data: { ...ok, config: '{"tlsClientConfig": {"insecure": "yes"}}' }, want: 'config.tlsClientConfig.insecure must be a boolean' },
    { name: 'caData as raw PEM', data: { ...ok, config: JSON.stringify({ tlsClientConfig: { caData: pem('CERTIFICATE') } }) },
      want: 'config.tlsClientConfig.caData is not base64 (illegal base64 data at input byte 0)' },
    { name: 'caData not PEM', data: { ...ok, config: JSON.stringify({ tlsClientConfig: { caData: b64(secretToken) } }) },
      want: 'config.tlsClientConfig.caData does not hold a PEM block' },
    { name: 'cert without key', data: { ...ok, config: JSON.stringify({ tlsClientConfig: { certData: b64(pem('CERTIFICATE')) } }) },
      want: 'config.tlsClientConfig.certData is set without keyData' },
    { name: 'exec without command', data: { ...ok, config: '{"execProviderConfig": {"args": ["x"]}}' }, want: 'config.execProviderConfig.command is required' },
    { name: 'exec env not a map of strings', data: { ...ok, config: '{"execProviderConfig": {"command": "x", "env": {"A": 1}}}' },
      want: 'config.execProviderConfig.env must be a map of strings' },
    { name: 'aws without cluster name', data: { ...ok, config: '{"awsAuthConfig": {"roleARN": "r"}}' }, want: 'config.awsAuthConfig.clusterName is required' },
    { name: 'password without username', data: { ...ok, config: JSON.stringify({ password: secretToken }) }, want: 'config.password is set without config.username' },
    { name: 'clusterResources not a boolean', data: { ...ok, clusterResources: 'yes' }, want: 'clusterResources must be "true" or "false", not "yes"' },
    { name: 'shard not a number', data: { ...ok, shard: 'one' }, want: 'shard must be a whole number, not "one"' },
  ];
  for (const c of cases) {
    assert.throws(() => parseClusterSecret(secret(c.data)), (err: unknown) => {
      assert.ok(err instanceof ClusterSecretError, c.name);
      assert.equal(err.code, 'InvalidClusterSecret');
      assert.ok(err.message.startsWith(`cluster secret "argocd/dev" is invalid: ${c.want}`), `${c.name}: ${err.message}`);
      assert.ok(!err.message.includes(secretToken), `${c.name}: the message shows no secret value`);
      return true;
    });
  }
  assert.throws(() => parseClusterSecret({ ...stored(ok), data: { name: b64('dev'), server: '%%%' } }),
    { message: 'cluster secret "argocd/dev" is invalid: data.server is not base64 (illegal base64 data at input byte 0)' });
});

test('the identity the clusters generator reads never fails and keeps the Secret\'s own labels and annotations', () => {
  const s = secret({ name: 'dev', server: 'https://dev.example.com/', project: 'p', config: 'not json' },
    { labels: { 'argocd.argoproj.io/secret-type': 'cluster', env: 'dev' }, annotations: { team: 'a' } });
  assert.deepEqual(clusterIdentityOf(s), { secret: 'argocd/dev', name: 'dev', server: 'https://dev.example.com', project: 'p', namespaces: [],
    clusterResources: false, labels: { 'argocd.argoproj.io/secret-type': 'cluster', env: 'dev' }, annotations: { team: 'a' } });
  assert.deepEqual(clusterIdentityOf(secret({})).name, '');
});
