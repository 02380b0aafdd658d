// A connection to one API server from a kubeconfig file and context. The
// kubeconfig (client certificates, tokens, exec plugins and OIDC) is read by
// @kubernetes/client-node, whose auth handling is sound; requests go through
// node:https directly with bodies passed through byte for byte, so no typed
// round-trip can drop fields (e.g. x-kubernetes-preserve-unknown-fields).
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { CapstanError } from '../errors.ts';

export interface ConnectionOptions {
  readonly kubeconfigPath?: string;
  readonly context?: string;
  /** Per-request time limit (not for watches), default 30 s. */
  readonly timeoutMs?: number;
}

export class KubeConnection {
  readonly server: string;
  readonly contextName: string;
  readonly defaultNamespace: string;
  readonly timeoutMs: number;
  private readonly agent: https.Agent;

  private constructor(private readonly config: KubeConfig, options: ConnectionOptions) {
    const cluster = config.getCurrentCluster();
    if (cluster === null) throw new CapstanError('InvalidKubeconfig', `kubeconfig context "${config.getCurrentContext()}" names no cluster`);
    this.server = cluster.server.replace(/\/+$/, '');
    this.contextName = config.getCurrentContext();
    this.defaultNamespace = config.getContextObject(this.contextName)?.namespace ?? 'default';
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.agent = new https.Agent({ keepAlive: true, maxSockets: 32 });
  }

  static fromKubeconfig(options: ConnectionOptions = {}): KubeConnection {
    const config = new KubeConfig();
    try {
      if (options.kubeconfigPath !== undefined) config.loadFromFile(options.kubeconfigPath);
      else config.loadFromDefault();
      if (options.context !== undefined) config.setCurrentContext(options.context);
    } catch (err) {
      throw new CapstanError('InvalidKubeconfig',
        `cannot load kubeconfig ${options.kubeconfigPath ?? '(default)'}: ${(err as Error).message}`, { cause: err });
    }
    return new KubeConnection(config, options);
  }

  /** TLS material and auth headers for one request (exec and OIDC tokens are refreshed by the loader). */
  async requestOptions(): Promise<https.RequestOptions> {
    const opts: https.RequestOptions = { agent: this.agent, headers: {} };
    await this.config.applyToHTTPSOptions(opts);
    // client-node may set its own agent; ours keeps connections alive across requests.
    const { ca, cert, key, rejectUnauthorized, servername } = opts as https.RequestOptions & { servername?: string };
    return { agent: this.agent, headers: opts.headers ?? {}, ca, cert, key, rejectUnauthorized, ...(servername ? { servername } : {}) };
  }

  close(): void {
    this.agent.destroy();
  }
}
