// The chart factory: chart classes registered by type name, instantiated for
// an application's config inside its package with the application's
// namespace (the seed's IdpBuilderChartFactory, typed by chart type).
import type { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ChartConfig, ChartPropsByType, ChartType } from './application-config.ts';

export type ChartConstructor<P> = new (scope: Construct, id: string, props: P & { readonly namespace: string }) => Chart;

export class ChartFactory {
  private static readonly constructors = new Map<ChartType, ChartConstructor<never>>();

  static register<K extends ChartType>(type: K, constructor: ChartConstructor<ChartPropsByType[K]>): void {
    ChartFactory.constructors.set(type, constructor as ChartConstructor<never>);
  }

  static createChart(scope: Construct, config: ChartConfig, namespace: string): Chart {
    const ChartClass = ChartFactory.constructors.get(config.type) as ChartConstructor<typeof config.props> | undefined;
    if (ChartClass === undefined) {
      throw new Error(`chart type ${config.type} is not registered (registered: ${[...ChartFactory.constructors.keys()].join(', ') || 'none'})`);
    }
    return new ChartClass(scope, 'install', { ...config.props, namespace });
  }
}
