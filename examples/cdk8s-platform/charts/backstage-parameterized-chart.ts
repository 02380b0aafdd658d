// Backstage for one environment, parameterized as the seed's chart is:
// resources per environment, health probes everywhere but dev (where slow
// starts made them restart the pod), the image the environment runs.
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { EnvironmentName } from '../config/environments.ts';
import { images } from '../config/images.ts';
import { IntOrString, KubeConfigMap, KubeDeployment, KubeNamespace, KubeService, KubeServiceAccount, Quantity, type Probe } from '../imports/k8s.ts';

export interface BackstageParameterizedChartProps {
  readonly environmentName: EnvironmentName;
  /** The namespace Backstage runs in. */
  readonly namespace: string;
  /** The database's Service, as host name. */
  readonly databaseHost: string;
  /** @default 1 in dev, 2 elsewhere */
  readonly replicas?: number;
  /** @default https://backstage-<env>.cnoe.localtest.me */
  readonly baseUrl?: string;
}

export class BackstageParameterizedChart extends Chart {
  constructor(scope: Construct, id: string, props: BackstageParameterizedChartProps) {
    super(scope, id);
    const envName = props.environmentName;
    const labels = { app: 'backstage', env: envName };
    const resources = envName === 'dev'
      ? { cpu: Quantity.fromString('100m'), memory: Quantity.fromString('256Mi') }
      : { cpu: Quantity.fromString('500m'), memory: Quantity.fromString('1Gi') };
    const probe = (path: string, initialDelaySeconds: number): Probe => ({ httpGet: { path, port: IntOrString.fromNumber(7007) }, initialDelaySeconds });
    const healthProbes = envName !== 'dev' ? { livenessProbe: probe('/healthcheck', 60), readinessProbe: probe('/healthcheck', 30) } : {};

    new KubeNamespace(this, 'namespace', { metadata: { name: props.namespace } });
    new KubeServiceAccount(this, 'account', { metadata: { name: 'backstage' } });
    new KubeConfigMap(this, 'config', { metadata: { name: 'backstage-config' }, data: {
      APP_ENV: envName,
      BASE_URL: props.baseUrl ?? `https://backstage-${envName}.cnoe.localtest.me`,
      POSTGRES_HOST: props.databaseHost,
      POSTGRES_PORT: '5432',
    } });
    new KubeDeployment(this, 'deployment', {
      metadata: { name: 'backstage', labels },
      spec: {
        replicas: props.replicas ?? (envName === 'dev' ? 1 : 2),
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: 'backstage',
            containers: [{
              name: 'backstage', image: images[envName].backstage,
              ports: [{ containerPort: 7007, name: 'http' }],
              envFrom: [{ configMapRef: { name: 'backstage-config' } }],
              resources: { requests: resources, limits: { memory: resources.memory } },
              ...healthProbes,
            }],
          },
        },
      },
    });
    new KubeService(this, 'service', { metadata: { name: 'backstage', labels },
      spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: IntOrString.fromNumber(7007) }] } });
  }
}
