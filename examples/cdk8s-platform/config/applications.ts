// Every application of the platform, per environment: its chart and props,
// its namespace, and what must run before it (a dependency becomes an earlier
// sync wave). `npm run synth` turns this into dist/.
import type { ApplicationConfig } from '../lib/application-config.ts';
import type { EnvironmentName } from './environments.ts';

const backstageReplicas: Record<EnvironmentName, number> = { dev: 1, staging: 2 };

export const applicationConfigs: readonly ApplicationConfig[] = (['dev', 'staging'] as const).flatMap((env): ApplicationConfig[] => [
  {
    name: `postgres-${env}`,
    namespace: 'database',
    environment: env,
    chart: { type: 'PostgresChart', props: { environmentName: env } },
  },
  {
    name: `backstage-${env}`,
    namespace: 'backstage',
    environment: env,
    chart: {
      type: 'BackstageParameterizedChart',
      props: { environmentName: env, replicas: backstageReplicas[env], databaseHost: 'postgres.database.svc.cluster.local' },
    },
    dependencies: { database: `postgres-${env}` },
  },
]);
