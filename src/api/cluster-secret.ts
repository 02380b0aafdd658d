// Argo CD's declarative clusters (operator-manual/declarative-setup.md,
// "Clusters"; util/db/cluster.go SecretToCluster; v1alpha1 ClusterConfig): a
// Secret in the control namespace labelled argocd.argoproj.io/secret-type:
// cluster, with `name`, `server` (a trailing slash is dropped), optional
// `namespaces` (comma list), `clusterResources` ("true"/"false"), `project`,
// `shard`, and `config`, the JSON of ClusterConfig: username/password,
// bearerToken, tlsClientConfig {caData, certData, keyData — base64 of PEM, as
// Go encodes []byte —, insecure, serverName}, awsAuthConfig {clusterName,
// roleARN, profile}, execProviderConfig {command, args, env, apiVersion,
// installHint}, proxyUrl, disableCompression. The in-cluster destination
// (https://kubernetes.default.svc, name in-cluster) exists without a Secret.
//
// `clusterIdentityOf` reads what needs no credentials (the clusters generator
// and destination names); `parseClusterSecret` reads it all, and a malformed
// Secret is a ClusterSecretError naming the Secret and the field — never a
// value, since values are credentials (a JSON error gives its position only).
import { CapstanError } from '../errors.ts';
import { Base64Error, decodeBase64Text } from './base64-text.ts';
import type { KubeObject } from './kube-object.ts';

export const secretTypeLabel = 'argocd.argoproj.io/secret-type';
export const clusterSecretType = 'cluster';
export const clusterSecretSelector = `${secretTypeLabel}=${clusterSecretType}`;
export const inClusterServer = 'https://kubernetes.default.svc';
export const inClusterName = 'in-cluster';

export interface TlsClientConfig {
  readonly insecure: boolean;
  readonly serverName?: string;
  /** PEM text (decoded from the config's base64). */
  readonly caData?: string;
  readonly certData?: string;
  readonly keyData?: string;
}

export interface AwsAuthConfig {
  readonly clusterName: string;
  readonly roleARN?: string;
  readonly profile?: string;
}

export interface ExecProviderConfig {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly apiVersion?: string;
  readonly installHint?: string;
}

/** ClusterConfig with its byte fields decoded. */
export interface ClusterConfig {
  readonly username?: string;
  readonly password?: string;
  readonly bearerToken?: string;
  readonly tlsClientConfig: TlsClientConfig;
  readonly awsAuthConfig?: AwsAuthConfig;
  readonly execProviderConfig?: ExecProviderConfig;
  readonly proxyUrl?: string;
  readonly disableCompression?: boolean;
}

/** What a cluster Secret says without its credentials. Labels and annotations are the Secret's own, as the clusters generator reads them. */
export interface ClusterIdentity {
  /** namespace/name of the Secret, for messages. */
  readonly secret: string;
  readonly name: string;
  readonly server: string;
  readonly project?: string;
  readonly namespaces: readonly string[];
  readonly clusterResources: boolean;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface Cluster extends ClusterIdentity {
  readonly shard?: number;
  readonly config: ClusterConfig;
}

export class ClusterSecretError extends CapstanError {
  override readonly name = 'ClusterSecretError';

  constructor(readonly secret: string, readonly detail: string) {
    super('InvalidClusterSecret', `cluster secret "${secret}" is invalid: ${detail}`, { retry: 'wait' });
  }
}

/** Whether a Secret is labelled as a cluster Secret. */
export function isClusterSecret(obj: KubeObject): boolean {
  return obj.kind === 'Secret' && obj.metadata.labels?.[secretTypeLabel] === clusterSecretType;
}

const secretRef = (secret: KubeObject): string => `${secret.metadata.namespace ?? ''}/${secret.metadata.name ?? ''}`;

/** A key of the Secret as text: `stringData` (a manifest not yet stored) wins over `data` (base64). */
function field(secret: KubeObject, key: string): string | undefined {
  const stringData = secret['stringData'] as Record<string, unknown> | undefined;
  if (typeof stringData?.[key] === 'string') return stringData[key];
  const data = secret['data'] as Record<string, unknown> | undefined;
  const raw = data?.[key];
  if (typeof raw !== 'string') return undefined;
  try {
    return decodeBase64Text(raw);
  } catch (err) {
    throw new ClusterSecretError(secretRef(secret), `data.${key} is not base64 (${(err as Error).message})`);
  }
}

/** `field` for the generator's lenient reading: undefined where undecodable. */
function lenientField(secret: KubeObject, key: string): string | undefined {
  try {
    return field(secret, key);
  } catch {
    return undefined;
  }
}

function namespacesOf(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** name, server, project, namespaces, clusterResources, labels and annotations; never throws (Argo CD's generator reads Secrets as they are). */
export function clusterIdentityOf(secret: KubeObject): ClusterIdentity {
  const project = lenientField(secret, 'project');
  return {
    secret: secretRef(secret),
    name: lenientField(secret, 'name') ?? '',
    server: (lenientField(secret, 'server') ?? '').replace(/\/+$/, ''),
    ...(project !== undefined && project !== '' ? { project } : {}),
    namespaces: namespacesOf(lenientField(secret, 'namespaces')),
    clusterResources: lenientField(secret, 'clusterResources') === 'true',
    labels: { ...secret.metadata.labels },
    annotations: { ...secret.metadata.annotations },
  };
}

type Json = Record<string, unknown>;

/** Reads typed fields of one JSON object, naming the path of a wrong one. */
class ConfigReader {
  constructor(private readonly fail: (detail: string) => never, private readonly obj: Json, private readonly path: string) {}

  static object(fail: (detail: string) => never, value: unknown, path: string): ConfigReader | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) fail(`${path} must be an object`);
    return new ConfigReader(fail, value as Json, path);
  }

  child(key: string): ConfigReader | undefined {
    return ConfigReader.object(this.fail, this.obj[key], `${this.path}.${key}`);
  }

  string(key: string): string | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') this.fail(`${this.path}.${key} must be a string`);
    return v;
  }

  boolean(key: string): boolean {
    const v = this.obj[key];
    if (v === undefined || v === null) return false;
    if (typeof v !== 'boolean') this.fail(`${this.path}.${key} must be a boolean`);
    return v;
  }

  strings(key: string): string[] {
    const v = this.obj[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) this.fail(`${this.path}.${key} must be a list of strings`);
    return v as string[];
  }

  stringMap(key: string): Record<string, string> {
    const v = this.obj[key];
    if (v === undefined || v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v) || Object.values(v as Json).some((s) => typeof s !== 'string')) {
      this.fail(`${this.path}.${key} must be a map of strings`);
    }
    return { ...(v as Record<string, string>) };
  }

  /** A []byte field: base64 of PEM text. */
  pem(key: string): string | undefined {
    const raw = this.string(key);
    if (raw === undefined) return undefined;
    let text: string;
    try {
      text = decodeBase64Text(raw);
    } catch (err) {
      this.fail(`${this.path}.${key} is not base64 (${err instanceof Base64Error ? err.message : 'undecodable'})`);
    }
    if (!text.includes('-----BEGIN ')) this.fail(`${this.path}.${key} does not hold a PEM block`);
    return text;
  }
}

function jsonPosition(err: unknown): string {
  const m = /position (\d+)/.exec(err instanceof Error ? err.message : '');
  return m ? ` (at position ${m[1]})` : '';
}

function parseConfig(raw: string | undefined, fail: (detail: string) => never): ClusterConfig {
  if (raw === undefined || raw.trim() === '') return { tlsClientConfig: { insecure: false } };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    // The JSON parser's own message quotes the text, which holds credentials.
    fail(`config is not valid JSON${jsonPosition(err)}`);
  }
  const config = ConfigReader.object(fail, value, 'config')!;
  const tls = config.child('tlsClientConfig');
  const certData = tls?.pem('certData');
  const keyData = tls?.pem('keyData');
  if ((certData === undefined) !== (keyData === undefined)) {
    fail(`config.tlsClientConfig.${certData === undefined ? 'keyData' : 'certData'} is set without ${certData === undefined ? 'certData' : 'keyData'}`);
  }
  const aws = config.child('awsAuthConfig');
  const exec = config.child('execProviderConfig');
  const awsClusterName = aws?.string('clusterName');
  if (aws !== undefined && awsClusterName === undefined) fail('config.awsAuthConfig.clusterName is required');
  const command = exec?.string('command');
  if (exec !== undefined && command === undefined) fail('config.execProviderConfig.command is required');
  const opt = <K extends string>(key: K, v: string | undefined): Partial<Record<K, string>> =>
    (v === undefined ? {} : { [key]: v }) as Partial<Record<K, string>>;
  const username = config.string('username');
  const password = config.string('password');
  if (password !== undefined && username === undefined) fail('config.password is set without config.username');
  return {
    ...opt('username', username), ...opt('password', password), ...opt('bearerToken', config.string('bearerToken')),
    tlsClientConfig: {
      insecure: tls?.boolean('insecure') ?? false, ...opt('serverName', tls?.string('serverName')), ...opt('caData', tls?.pem('caData')),
      ...opt('certData', certData), ...opt('keyData', keyData),
    },
    ...(aws !== undefined ? { awsAuthConfig: { clusterName: awsClusterName!, ...opt('roleARN', aws.string('roleARN')),
      ...opt('profile', aws.string('profile')) } } : {}),
    ...(exec !== undefined ? { execProviderConfig: { command: command!, args: exec.strings('args'), env: exec.stringMap('env'),
      ...opt('apiVersion', exec.string('apiVersion')), ...opt('installHint', exec.string('installHint')) } } : {}),
    ...opt('proxyUrl', config.string('proxyUrl')),
    ...(config.boolean('disableCompression') ? { disableCompression: true } : {}),
  };
}

/** The whole cluster a Secret declares; a malformed Secret throws ClusterSecretError. */
export function parseClusterSecret(secret: KubeObject): Cluster {
  const ref = secretRef(secret);
  const fail = (detail: string): never => { throw new ClusterSecretError(ref, detail); };
  const server = field(secret, 'server')?.trim().replace(/\/+$/, '');
  if (server === undefined || server === '') fail('it has no server');
  if (!/^https?:\/\/[^\s/]+/.test(server!)) fail(`server "${server!}" is not an http(s) URL`);
  const name = field(secret, 'name')?.trim();
  if (name === undefined || name === '') fail('it has no name');
  const clusterResources = field(secret, 'clusterResources');
  if (clusterResources !== undefined && !['', 'true', 'false'].includes(clusterResources)) {
    fail(`clusterResources must be "true" or "false", not "${clusterResources}"`);
  }
  const shardText = field(secret, 'shard');
  if (shardText !== undefined && !/^\d+$/.test(shardText.trim())) fail(`shard must be a whole number, not "${shardText}"`);
  const config = parseConfig(field(secret, 'config'), fail);
  const identity = clusterIdentityOf(secret);
  return { ...identity, name: name!, server: server!, ...(shardText !== undefined ? { shard: Number(shardText.trim()) } : {}), config };
}
