// An environment of a platform (dev, staging, …): the cluster its
// applications deploy to (by Argo CD cluster name, as `destination.name:
// dev-vcluster`, or by server), the default destination namespace, and
// whether Argo CD syncs its applications by itself or waits for a person.
import { Construct } from 'constructs';
import type { ApplicationDestination, SyncPolicy } from '../api/application.ts';
import { InvalidPackageError } from './authoring-errors.ts';

/** `automated`: Argo CD syncs on every change (with prune and self-heal as configured); `manual`: a person syncs. */
export type SyncMode = 'automated' | 'manual';

export interface EnvironmentProps {
  /**
   * The destination cluster by name (the `name` of an Argo CD cluster Secret; `in-cluster` is Argo CD's own).
   * @default 'in-cluster' unless `server` is given
   */
  readonly cluster?: string;
  /** The destination cluster by API server URL, instead of a name. */
  readonly server?: string;
  /**
   * The destination namespace of applications that do not name one.
   * @default the application's name
   */
  readonly namespace?: string;
  /** @default 'automated' */
  readonly sync?: SyncMode;
  /** Automated sync deletes what git no longer has. @default true */
  readonly prune?: boolean;
  /** Automated sync reverts changes made in the cluster. @default true */
  readonly selfHeal?: boolean;
  /** Argo CD creates the destination namespace (`CreateNamespace=true`). @default true */
  readonly createNamespace?: boolean;
  /** More sync options for every application of the environment. @default none */
  readonly syncOptions?: readonly string[];
  /** Labels of every Application of the environment. @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

export class Environment extends Construct {
  readonly name: string;
  readonly sync: SyncMode;
  readonly labels: Readonly<Record<string, string>>;
  private readonly props: EnvironmentProps;

  constructor(scope: Construct, id: string, props: EnvironmentProps = {}) {
    super(scope, id);
    if (props.cluster !== undefined && props.server !== undefined) {
      throw new InvalidPackageError(id, 'an environment names its cluster by `cluster` or by `server`, not both (Argo CD refuses a destination with both)');
    }
    this.name = id;
    this.sync = props.sync ?? 'automated';
    this.labels = props.labels ?? {};
    this.props = props;
  }

  /** The cluster's name or server, as Argo CD's project destinations and sync windows match it. */
  get cluster(): ApplicationDestination {
    return this.props.server !== undefined ? { server: this.props.server } : { name: this.props.cluster ?? 'in-cluster' };
  }

  /** The default destination namespace, when the environment sets one. */
  get namespace(): string | undefined {
    return this.props.namespace;
  }

  /** An Application destination in this environment's cluster. */
  destination(namespace: string): ApplicationDestination {
    return { ...this.cluster, namespace };
  }

  /** The Application sync policy of the environment. */
  syncPolicy(): SyncPolicy {
    const syncOptions = [...(this.props.createNamespace ?? true ? ['CreateNamespace=true'] : []), ...(this.props.syncOptions ?? [])];
    return {
      ...(this.sync === 'automated' ? { automated: { prune: this.props.prune ?? true, selfHeal: this.props.selfHeal ?? true } } : {}),
      ...(syncOptions.length > 0 ? { syncOptions } : {}),
    };
  }
}
