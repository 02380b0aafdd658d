// A connection to one API server, from a kubeconfig file and context. The
// kubeconfig — client certificates, bearer tokens and token files, basic
// auth, exec plugins and OIDC — is read by @kubernetes/client-node, whose auth
// handling is maintained and sound; it is used for nothing else. Requests go
// through node:https directly (kube-request.ts) so bodies reach the server
// byte for byte (docs/kube-client.md).
//
// Credentials are applied per request through `applyToHTTPSOptions`, cached
// for `credentialsTtlMs` so an exec plugin does not run per request, dropped
// on a 401 so a rotated or expired token is fetched again, and bounded by
// `credentialsTimeoutMs` so a stuck plugin cannot hang a request.
import http from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { CapstanError, describeError } from '../errors.ts';
import { redactSecrets } from './redact.ts';

export interface ConnectionOptions {
  /** Kubeconfig file; default: $KUBECONFIG, ~/.kube/config, or in-cluster. */
  readonly kubeconfigPath?: string;
  /** Context to use; default: the kubeconfig's current-context. */
  readonly context?: string;
  /** Time limit of one request (headers and body), not of a watch stream. @default 30000 */
  readonly timeoutMs?: number;
  /** Time limit for the TCP and TLS handshake of a new connection. @default 10000 */
  readonly connectTimeoutMs?: number;
  /** Time limit for credentials (an exec plugin, an OIDC refresh). @default 30000 */
  readonly credentialsTimeoutMs?: number;
  /** How long applied credentials are reused before asking the kubeconfig again. @default 60000 */
  readonly credentialsTtlMs?: number;
}

/** TLS material, agent and auth headers for one request. */
export interface RequestAuth {
  readonly agent: http.Agent;
  readonly tls: Pick<https.RequestOptions, 'ca' | 'cert' | 'key' | 'pfx' | 'passphrase' | 'rejectUnauthorized' | 'servername'>;
  readonly headers: Readonly<Record<string, string>>;
  /** user:password for basic auth. */
  readonly auth?: string;
}

export interface KubeconfigContext {
  readonly name: string;
  readonly cluster: string;
  readonly user: string;
  readonly namespace?: string;
}

function loadKubeConfig(kubeconfigPath: string | undefined): KubeConfig {
  const config = new KubeConfig();
  try {
    if (kubeconfigPath !== undefined) config.loadFromFile(kubeconfigPath);
    else config.loadFromDefault();
  } catch (err) {
    throw new CapstanError('InvalidKubeconfig', `cannot load kubeconfig ${kubeconfigPath ?? '(default)'}: ${redactSecrets(describeError(err))}`);
  }
  return config;
}

/** The contexts of a kubeconfig file and its current context. */
export function listKubeconfigContexts(kubeconfigPath?: string): { current: string; contexts: KubeconfigContext[] } {
  const config = loadKubeConfig(kubeconfigPath);
  return {
    current: config.getCurrentContext(),
    contexts: config.getContexts().map((c) => ({ name: c.name, cluster: c.cluster, user: c.user, ...(c.namespace ? { namespace: c.namespace } : {}) })),
  };
}

function headerRecord(headers: http.OutgoingHttpHeaders | readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined || Array.isArray(headers)) return out;
  for (const [k, v] of Object.entries(headers as http.OutgoingHttpHeaders)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

export class KubeConnection {
  /** https://host:port, no trailing slash. */
  readonly server: string;
  readonly contextName: string;
  readonly defaultNamespace: string;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  private readonly credentialsTimeoutMs: number;
  private readonly credentialsTtlMs: number;
  private readonly agent: http.Agent;
  private readonly proxied: boolean;
  private cached: { readonly at: number; readonly auth: Promise<RequestAuth> } | undefined;
  /** Requests sent (a watch counts once), for benchmarks. */
  requestCount = 0;
  /** The same, by verb and kind ("apply ConfigMap", "apply (dry run) ConfigMap", "patch status Application", …), for benchmarks. */
  readonly requestsByVerb = new Map<string, number>();

  private constructor(private readonly config: KubeConfig, options: ConnectionOptions) {
    const context = config.getCurrentContext();
    const cluster = config.getCurrentCluster();
    if (cluster === null) throw new CapstanError('InvalidKubeconfig', `kubeconfig context "${context}" names no known cluster`);
    this.server = cluster.server.replace(/\/+$/, '');
    this.contextName = context;
    this.defaultNamespace = config.getContextObject(context)?.namespace ?? 'default';
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.credentialsTimeoutMs = options.credentialsTimeoutMs ?? 30_000;
    this.credentialsTtlMs = options.credentialsTtlMs ?? 60_000;
    this.proxied = cluster.proxyUrl !== undefined && cluster.proxyUrl !== '';
    const agentOptions = { keepAlive: true, maxSockets: 32 };
    this.agent = this.server.startsWith('http:') ? new http.Agent(agentOptions) : new https.Agent(agentOptions);
  }

  static fromKubeconfig(options: ConnectionOptions = {}): KubeConnection {
    return KubeConnection.fromConfig(loadKubeConfig(options.kubeconfigPath), options);
  }

  /** From an already loaded KubeConfig (e.g. `loadFromString`). */
  static fromConfig(config: KubeConfig, options: ConnectionOptions = {}): KubeConnection {
    if (options.context !== undefined) {
      const names = config.getContexts().map((c) => c.name);
      if (!names.includes(options.context)) {
        throw new CapstanError('InvalidKubeconfig',
          `kubeconfig ${options.kubeconfigPath ?? '(default)'} has no context "${options.context}" (it has: ${names.join(', ') || 'none'})`);
      }
      config.setCurrentContext(options.context);
    }
    return new KubeConnection(config, options);
  }

  /** True for plain-HTTP servers (allowed by kubeconfig only with insecure-skip-tls-verify). */
  get plainHttp(): boolean {
    return this.server.startsWith('http:');
  }

  /** Credentials for one request, reused for a while (see the header comment). */
  requestOptions(): Promise<RequestAuth> {
    const now = Date.now();
    if (this.cached === undefined || now - this.cached.at > this.credentialsTtlMs) {
      const auth = this.resolveCredentials();
      this.cached = { at: now, auth };
      auth.catch(() => { if (this.cached?.auth === auth) this.cached = undefined; });
    }
    return this.cached.auth;
  }

  /** Forgets cached credentials (after a 401): the next request asks the kubeconfig again. */
  invalidateCredentials(): void {
    this.cached = undefined;
  }

  close(): void {
    this.cached = undefined;
    this.agent.destroy();
  }

  private async resolveCredentials(): Promise<RequestAuth> {
    const opts: https.RequestOptions = { headers: {} };
    const user = this.config.getCurrentUser()?.name ?? '(none)';
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CapstanError('CredentialsTimeout',
        `credentials for kubeconfig user "${user}" did not arrive within ${this.credentialsTimeoutMs} ms`, { retry: 'transient' })),
      this.credentialsTimeoutMs);
    });
    try {
      await Promise.race([this.config.applyToHTTPSOptions(opts), timeout]);
    } catch (err) {
      if (err instanceof CapstanError) throw err;
      // The cause is dropped on purpose: plugin output may hold a token.
      throw new CapstanError('CredentialsFailed',
        `cannot get credentials for kubeconfig user "${user}": ${redactSecrets(describeError(err)).slice(0, 300)}`, { retry: 'transient' });
    } finally {
      clearTimeout(timer);
    }
    const { ca, cert, key, pfx, passphrase, rejectUnauthorized } = opts;
    const servername = (opts as { servername?: string }).servername;
    return {
      // A proxy-url needs client-node's proxy agent; otherwise ours keeps connections alive.
      agent: this.proxied && opts.agent instanceof http.Agent ? opts.agent : this.agent,
      tls: { ca, cert, key, pfx, passphrase, rejectUnauthorized, ...(servername ? { servername } : {}) },
      headers: headerRecord(opts.headers),
      ...(typeof opts.auth === 'string' ? { auth: opts.auth } : {}),
    };
  }
}
