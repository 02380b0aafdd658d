// The Kubernetes kinds this platform uses, typed as `cdk8s import k8s` types
// them (KubeDeployment, IntOrString, Quantity, …) but written by hand for the
// few fields the charts set: `cdk8s import` downloads the Kubernetes schema
// from GitHub, and this platform synthesizes with nothing but the npm registry.
// Field names are the Kubernetes API's, so an object serializes as written.
import { ApiObject, type ApiObjectMetadata } from 'cdk8s';
import type { Construct } from 'constructs';

/** A number or a named port, as Kubernetes' IntOrString. */
export class IntOrString {
  static fromNumber(value: number): IntOrString { return new IntOrString(value); }
  static fromString(value: string): IntOrString { return new IntOrString(value); }
  private constructor(readonly value: string | number) {}
  /** cdk8s resolves a value with a `resolve` method when it synthesizes. */
  resolve(): string | number { return this.value; }
}

/** A resource quantity ("100m", "256Mi"). */
export class Quantity {
  static fromString(value: string): Quantity { return new Quantity(value); }
  static fromNumber(value: number): Quantity { return new Quantity(value); }
  private constructor(readonly value: string | number) {}
  resolve(): string | number { return this.value; }
}

export interface ResourceRequirements {
  readonly requests?: Readonly<Record<string, Quantity>>;
  readonly limits?: Readonly<Record<string, Quantity>>;
}

export interface HttpGetAction { readonly path: string; readonly port: IntOrString }
export interface Probe {
  readonly httpGet?: HttpGetAction;
  readonly tcpSocket?: { readonly port: IntOrString };
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly failureThreshold?: number;
}

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly secretKeyRef?: { readonly name: string; readonly key: string } };
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly ports?: ReadonlyArray<{ readonly containerPort: number; readonly name?: string }>;
  readonly env?: readonly EnvVar[];
  readonly envFrom?: ReadonlyArray<{ readonly configMapRef?: { readonly name: string }; readonly secretRef?: { readonly name: string } }>;
  readonly resources?: ResourceRequirements;
  readonly livenessProbe?: Probe;
  readonly readinessProbe?: Probe;
  readonly volumeMounts?: ReadonlyArray<{ readonly name: string; readonly mountPath: string }>;
}

export interface PodSpec {
  readonly serviceAccountName?: string;
  readonly containers: readonly Container[];
  readonly volumes?: ReadonlyArray<{ readonly name: string; readonly emptyDir?: Record<string, never> }>;
}

export interface DeploymentSpec {
  readonly replicas?: number;
  readonly selector: { readonly matchLabels: Readonly<Record<string, string>> };
  readonly template: { readonly metadata?: ApiObjectMetadata; readonly spec: PodSpec };
}

export interface ServiceSpec {
  readonly selector?: Readonly<Record<string, string>>;
  readonly ports: ReadonlyArray<{ readonly name?: string; readonly port: number; readonly targetPort?: IntOrString }>;
  readonly type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
}

export class KubeNamespace extends ApiObject {
  constructor(scope: Construct, id: string, props: { readonly metadata?: ApiObjectMetadata } = {}) {
    super(scope, id, { apiVersion: 'v1', kind: 'Namespace', ...props });
  }
}

export class KubeServiceAccount extends ApiObject {
  constructor(scope: Construct, id: string, props: { readonly metadata?: ApiObjectMetadata } = {}) {
    super(scope, id, { apiVersion: 'v1', kind: 'ServiceAccount', ...props });
  }
}

export class KubeConfigMap extends ApiObject {
  constructor(scope: Construct, id: string, props: { readonly metadata?: ApiObjectMetadata; readonly data?: Readonly<Record<string, string>> }) {
    super(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', ...props });
  }
}

export class KubeSecret extends ApiObject {
  constructor(scope: Construct, id: string, props: { readonly metadata?: ApiObjectMetadata; readonly type?: string; readonly stringData?: Readonly<Record<string, string>> }) {
    super(scope, id, { apiVersion: 'v1', kind: 'Secret', ...props });
  }
}

export class KubeDeployment extends ApiObject {
  constructor(scope: Construct, id: string, props: { readonly metadata?: ApiObjectMetadata; readonly spec: DeploymentSpec }) {
    super(scope, id, { apiVersion: 'apps/v1', kind: 'Deployment', ...props });
  }
}

export class KubeService extends ApiObject {
  constructor(scope: Construct, id: string, props: { readonly metadata?: ApiObjectMetadata; readonly spec: ServiceSpec }) {
    super(scope, id, { apiVersion: 'v1', kind: 'Service', ...props });
  }
}
