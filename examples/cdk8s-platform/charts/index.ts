// Every chart type the platform's config may name, registered with the factory.
import { ChartFactory } from '../lib/chart-factory.ts';
import { BackstageParameterizedChart } from './backstage-parameterized-chart.ts';
import { PostgresChart } from './postgres-chart.ts';

export function registerCharts(): void {
  ChartFactory.register('BackstageParameterizedChart', BackstageParameterizedChart);
  ChartFactory.register('PostgresChart', PostgresChart);
}
