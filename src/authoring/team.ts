// A team of a platform: the Argo CD project its applications belong to and
// the labels they carry. With `createProject`, the team's AppProject is
// written too — in a package of its own (`<team>-project`, synced to Argo CD's
// namespace in the control cluster) that every package of the team depends
// on, so the project exists before its applications (Argo CD refuses an
// Application whose project does not exist).
import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import type { ApplicationDestination } from '../api/application.ts';
import { AppPackage } from './app-package.ts';
import { AppProject } from './app-project.ts';
import { Environment } from './environment.ts';
import { Platform } from './platform.ts';

export interface TeamProps {
  /** The Argo CD project of the team's applications. @default the team's name with `createProject`, else 'default' */
  readonly project?: string;
  /** Write the team's AppProject, in its own package that the team's packages depend on. @default false */
  readonly createProject?: boolean;
  /** Destination namespaces the project allows. @default every namespace ('*') */
  readonly namespaces?: readonly string[];
  /** Environments whose clusters the project allows. @default every environment of the platform */
  readonly environments?: readonly Environment[];
  /** Labels of the team's Applications. @default { team: <name> } */
  readonly labels?: Readonly<Record<string, string>>;
  /** The project's description. @default "Applications of team <name>" */
  readonly description?: string;
}

export class Team extends Construct {
  readonly name: string;
  readonly project: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The package holding the team's AppProject, with `createProject`. */
  readonly projectPackage: AppPackage | undefined;

  constructor(scope: Construct, id: string, props: TeamProps = {}) {
    super(scope, id);
    this.name = id;
    this.project = props.project ?? (props.createProject ? id : 'default');
    this.labels = props.labels ?? { team: id };
    if (!props.createProject) {
      this.projectPackage = undefined;
      return;
    }
    const platform = Platform.of(this);
    const pkg = new AppPackage(this, `${id}-project`, {
      destination: { server: 'https://kubernetes.default.svc', namespace: platform.argoNamespace },
      labels: this.labels,
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    });
    const destinations = (): ApplicationDestination[] => {
      const envs = props.environments ?? platform.node.findAll().filter((c): c is Environment => c instanceof Environment);
      return envs.flatMap((e) => (props.namespaces ?? ['*']).map((namespace) => e.destination(namespace)));
    };
    new AppProject(pkg, 'project', {
      metadata: { name: this.project, namespace: platform.argoNamespace },
      spec: {
        description: props.description ?? `Applications of team ${id}`,
        sourceRepos: ['*'],
        destinations: Lazy.any({ produce: destinations }),
        clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
      },
    });
    this.projectPackage = pkg;
  }
}
