// A cluster Secret's connection as an in-memory kubeconfig, so the
// connection (connection.ts) applies its credentials the way it applies a
// kubeconfig's: Argo CD's Cluster.RawRestConfig order — awsAuthConfig runs
// `argocd-k8s-auth aws --cluster-name … [--role-arn …] [--profile …]` as an
// exec plugin (client.authentication.k8s.io/v1beta1), else execProviderConfig
// runs its command, else basic auth, bearer token and client certificate from
// the config; tlsClientConfig gives the CA, `insecure` and the SNI server
// name; proxyUrl the proxy. Nothing is written to disk and nothing here is
// logged: the kubeconfig exists only in memory.
import { KubeConfig } from '@kubernetes/client-node';
import type { Cluster } from '../api/cluster-secret.ts';

const b64 = (pem: string | undefined): string | undefined => (pem === undefined ? undefined : Buffer.from(pem, 'utf8').toString('base64'));
const some = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** The argocd-k8s-auth invocation Argo CD makes for an awsAuthConfig. */
export function awsExecArgs(aws: NonNullable<Cluster['config']['awsAuthConfig']>): string[] {
  return ['aws', '--cluster-name', aws.clusterName, ...(aws.roleARN ? ['--role-arn', aws.roleARN] : []), ...(aws.profile ? ['--profile', aws.profile] : [])];
}

function execOf(cluster: Cluster): Record<string, unknown> | undefined {
  const { awsAuthConfig: aws, execProviderConfig: exec } = cluster.config;
  if (aws !== undefined) {
    return { command: 'argocd-k8s-auth', args: awsExecArgs(aws), apiVersion: 'client.authentication.k8s.io/v1beta1', interactiveMode: 'Never' };
  }
  if (exec !== undefined) {
    return some({ command: exec.command, args: [...exec.args], env: Object.entries(exec.env).map(([name, value]) => ({ name, value })),
      apiVersion: exec.apiVersion, installHint: exec.installHint, interactiveMode: 'Never' });
  }
  return undefined;
}

export function kubeConfigForCluster(cluster: Cluster): KubeConfig {
  const { config } = cluster;
  const tls = config.tlsClientConfig;
  const exec = execOf(cluster);
  const userName = `cluster secret ${cluster.secret || cluster.name}`;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: cluster.name, server: cluster.server, skipTLSVerify: tls.insecure,
      ...some({ caData: tls.insecure ? undefined : b64(tls.caData), tlsServerName: tls.serverName, proxyUrl: config.proxyUrl }) }],
    users: [exec !== undefined
      ? { name: userName, exec, ...some({ certData: b64(tls.certData), keyData: b64(tls.keyData) }) }
      : { name: userName, ...some({ token: config.bearerToken, username: config.username,
        password: config.username === undefined ? undefined : config.password ?? '',
        certData: b64(tls.certData), keyData: b64(tls.keyData) }) }],
    contexts: [{ name: cluster.name, cluster: cluster.name, user: userName }],
    currentContext: cluster.name,
  });
  return kc;
}
