// One idpbuilder package: an Argo CD Application and the manifests it
// deploys. It is a cdk8s Chart — charts and objects created inside it are its
// manifests — whose Application points at `cnoe://<name>/manifests`, deploys
// to its environment's cluster with the environment's sync policy, and waits
// (by sync wave) for the packages it depends on.
import { ApiObject, Chart } from 'cdk8s';
import type { Construct, IConstruct } from 'constructs';
import type { ApplicationDestination, ResourceIgnoreDifferences, SyncPolicy } from '../api/application.ts';
import { Application } from './application.ts';
import { InvalidPackageError } from './authoring-errors.ts';
import type { Environment } from './environment.ts';
import { packageRepoUrl } from './package-layout.ts';
import { Platform } from './platform.ts';
import type { Team } from './team.ts';

export interface AppPackageProps {
  /** Where and how the Application syncs; `destination` and `syncPolicy` override it. */
  readonly environment?: Environment;
  /** The destination, instead of (or refining) the environment's. @default the environment's cluster */
  readonly destination?: ApplicationDestination;
  /** The destination namespace. @default the destination's, else the environment's, else the package name */
  readonly namespace?: string;
  /** The team that owns the package: its project and labels. @default none */
  readonly team?: Team;
  /** The Argo CD project. @default the team's project, else 'default' */
  readonly project?: string;
  /** Packages (or their names) synced before this one: each gets a lower sync wave. @default none */
  readonly dependsOn?: ReadonlyArray<AppPackage | string>;
  /** The lowest sync wave of the Application (dependencies may raise it). @default 0 */
  readonly syncWave?: number;
  /** The sync policy. @default the environment's, else automated with prune and self-heal */
  readonly syncPolicy?: SyncPolicy;
  /** More labels of the Application. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** More annotations of the Application. @default none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** The Application's ignoreDifferences. @default none */
  readonly ignoreDifferences?: readonly ResourceIgnoreDifferences[];
  /** Deleting the Application deletes what it deployed (Argo CD's resources finalizer). @default true */
  readonly cascadeDelete?: boolean;
}

const packageSymbol = Symbol.for('capstan.authoring.AppPackage');
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export class AppPackage extends Chart {
  static isAppPackage(x: unknown): x is AppPackage {
    return typeof x === 'object' && x !== null && packageSymbol in x;
  }

  /** The package that owns a construct (its nearest enclosing package). */
  static ownerOf(c: IConstruct): AppPackage | undefined {
    for (let s: IConstruct | undefined = c; s !== undefined; s = s.node.scope) if (AppPackage.isAppPackage(s)) return s;
    return undefined;
  }

  readonly name: string;
  readonly application: Application;
  readonly environment: Environment | undefined;
  readonly team: Team | undefined;
  /** The lowest sync wave of the Application. */
  readonly minWave: number;
  private readonly declared: Array<AppPackage | string>;

  constructor(scope: Construct, id: string, props: AppPackageProps = {}) {
    super(scope, id);
    Object.defineProperty(this, packageSymbol, { value: true });
    if (!dnsLabel.test(id) || id.length > 63) {
      throw new InvalidPackageError(id, 'a package name is the Application name: lower case letters, digits and "-", at most 63 characters');
    }
    const platform = Platform.of(this);
    this.name = id;
    this.environment = props.environment;
    this.team = props.team;
    this.minWave = props.syncWave ?? 0;
    this.declared = [...(props.dependsOn ?? []), ...(props.team?.projectPackage ? [props.team.projectPackage] : [])];
    const base = props.destination ?? props.environment?.cluster;
    if (base === undefined) throw new InvalidPackageError(id, 'needs an environment or a destination');
    const namespace = props.namespace ?? props.destination?.namespace ?? props.environment?.namespace ?? id;
    const cascade = props.cascadeDelete ?? true;
    this.application = new Application(this, 'application', {
      metadata: {
        name: id,
        namespace: platform.argoNamespace,
        labels: { ...props.environment?.labels, ...props.team?.labels, ...props.labels },
        ...(props.annotations ? { annotations: { ...props.annotations } } : {}),
        ...(cascade ? { finalizers: ['resources-finalizer.argocd.argoproj.io'] } : {}),
      },
      spec: {
        project: props.project ?? props.team?.project ?? 'default',
        destination: { ...base, namespace },
        source: { repoURL: packageRepoUrl(id), targetRevision: 'HEAD', path: '.' },
        syncPolicy: props.syncPolicy ?? props.environment?.syncPolicy() ?? { automated: { prune: true, selfHeal: true } },
        ...(props.ignoreDifferences ? { ignoreDifferences: [...props.ignoreDifferences] } : {}),
      },
    });
  }

  /** Declares that this package syncs after `packages` (packages or their names). */
  dependOn(...packages: ReadonlyArray<AppPackage | string>): void {
    this.declared.push(...packages);
  }

  /** Names of the packages this one depends on: declared ones and cdk8s dependencies on other packages. */
  get dependencies(): string[] {
    const fromNode = this.node.dependencies.map((d) => AppPackage.ownerOf(d)).filter((p): p is AppPackage => p !== undefined && p !== this);
    return [...new Set([...this.declared, ...fromNode].map((d) => (typeof d === 'string' ? d : d.name)))].sort();
  }

  /** The objects the package deploys: every ApiObject inside it (nested charts too) but its Application and other packages' objects. */
  get manifests(): ApiObject[] {
    return this.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && c !== this.application && AppPackage.ownerOf(c) === this);
  }
}
