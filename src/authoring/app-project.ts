// An Argo CD AppProject (argoproj.io/v1alpha1) as a cdk8s construct, typed by
// Capstan's AppProject types (Argo CD's field names and JSON shape).
import { ApiObject, type ApiObjectMetadata, type GroupVersionKind } from 'cdk8s';
import type { Construct } from 'constructs';
import type { AppProjectSpec } from '../api/app-project.ts';

export interface AppProjectProps {
  readonly metadata?: ApiObjectMetadata;
  readonly spec: AppProjectSpec;
}

export class AppProject extends ApiObject {
  static readonly GVK: GroupVersionKind = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject' };

  constructor(scope: Construct, id: string, props: AppProjectProps) {
    super(scope, id, { ...AppProject.GVK, ...props });
  }
}
