// The shape of one entry of config/applications.ts: which chart with which
// props, where, and what it needs first. The chart type selects the props
// type, so a typo in either fails `npm run type-check`, not a sync.
import type { SyncPolicy } from 'capstan/authoring';
import type { BackstageParameterizedChartProps } from '../charts/backstage-parameterized-chart.ts';
import type { PostgresChartProps } from '../charts/postgres-chart.ts';
import type { EnvironmentName } from '../config/environments.ts';

/** Chart type name → its props, less the namespace (the application's). */
export interface ChartPropsByType {
  readonly BackstageParameterizedChart: Omit<BackstageParameterizedChartProps, 'namespace'>;
  readonly PostgresChart: Omit<PostgresChartProps, 'namespace'>;
}

export type ChartType = keyof ChartPropsByType;

export type ChartConfig = { [K in ChartType]: { readonly type: K; readonly props: ChartPropsByType[K] } }[ChartType];

export interface ApplicationConfig {
  /** The Application (and package) name. */
  readonly name: string;
  /** The destination namespace. */
  readonly namespace: string;
  readonly environment: EnvironmentName;
  readonly chart: ChartConfig;
  readonly argocd?: {
    /** The lowest sync wave; dependencies may raise it. */
    readonly syncWave?: number;
    /** Replaces the environment's sync policy. */
    readonly syncPolicy?: SyncPolicy;
  };
  /** What must be running first, by role: role → application name. */
  readonly dependencies?: Readonly<Record<string, string>>;
}
