// A PostgreSQL database for one environment: its namespace, credentials,
// the server and its Service. Resources grow with the environment.
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { EnvironmentName } from '../config/environments.ts';
import { images } from '../config/images.ts';
import { IntOrString, KubeDeployment, KubeNamespace, KubeSecret, KubeService, Quantity } from '../imports/k8s.ts';

export interface PostgresChartProps {
  readonly environmentName: EnvironmentName;
  /** The namespace the database runs in. */
  readonly namespace: string;
  /** @default 'backstage' */
  readonly database?: string;
}

export class PostgresChart extends Chart {
  constructor(scope: Construct, id: string, props: PostgresChartProps) {
    super(scope, id);
    const labels = { app: 'postgres', env: props.environmentName };
    const resources = props.environmentName === 'dev'
      ? { cpu: Quantity.fromString('100m'), memory: Quantity.fromString('256Mi') }
      : { cpu: Quantity.fromString('500m'), memory: Quantity.fromString('1Gi') };
    new KubeNamespace(this, 'namespace', { metadata: { name: props.namespace } });
    // A local example: real platforms take this from External Secrets.
    new KubeSecret(this, 'credentials', { metadata: { name: 'postgres-credentials' }, type: 'Opaque',
      stringData: { POSTGRES_USER: 'backstage', POSTGRES_PASSWORD: `local-${props.environmentName}-only`, POSTGRES_DB: props.database ?? 'backstage' } });
    new KubeDeployment(this, 'server', {
      metadata: { name: 'postgres', labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [{
              name: 'postgres', image: images[props.environmentName].postgres,
              ports: [{ containerPort: 5432, name: 'postgres' }],
              envFrom: [{ secretRef: { name: 'postgres-credentials' } }],
              resources: { requests: resources, limits: { memory: resources.memory } },
              readinessProbe: { tcpSocket: { port: IntOrString.fromNumber(5432) }, periodSeconds: 10 },
              volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
            }],
            volumes: [{ name: 'data', emptyDir: {} }],
          },
        },
      },
    });
    new KubeService(this, 'service', { metadata: { name: 'postgres', labels },
      spec: { selector: labels, ports: [{ name: 'postgres', port: 5432, targetPort: IntOrString.fromNumber(5432) }] } });
  }
}
