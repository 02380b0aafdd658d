// An Argo CD Application (argoproj.io/v1alpha1) as a cdk8s construct, typed
// by Capstan's own Application types, so every field keeps Argo CD's name and
// JSON shape (`repoURL`, not `repoUrl` as a generated import would spell it).
import { ApiObject, type ApiObjectMetadata, type GroupVersionKind } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ApplicationSpec } from '../api/application.ts';

export interface ApplicationProps {
  readonly metadata?: ApiObjectMetadata;
  readonly spec: ApplicationSpec;
}

export class Application extends ApiObject {
  static readonly GVK: GroupVersionKind = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' };

  /** The Application as JSON (without a construct tree). */
  static manifest(props: ApplicationProps): { apiVersion: string; kind: string; metadata: ApiObjectMetadata; spec: ApplicationSpec } {
    return { ...Application.GVK, metadata: props.metadata ?? {}, spec: props.spec };
  }

  constructor(scope: Construct, id: string, props: ApplicationProps) {
    super(scope, id, { ...Application.GVK, ...props });
  }
}
