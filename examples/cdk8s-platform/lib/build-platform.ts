// The platform program: one environment per entry of config/environments.ts,
// the portal team (with its own Argo CD project), and one package per
// application config — its chart made by the factory, its dependencies
// declared so they sync first.
import { AppPackage, Environment, Platform, Team } from 'capstan/authoring';
import { registerCharts } from '../charts/index.ts';
import { applicationConfigs } from '../config/applications.ts';
import { environments, type EnvironmentName } from '../config/environments.ts';
import type { ApplicationConfig } from './application-config.ts';
import { ChartFactory } from './chart-factory.ts';

export function buildPlatform(platform: Platform = new Platform(), configs: readonly ApplicationConfig[] = applicationConfigs): Platform {
  registerCharts();
  const envs = {} as Record<EnvironmentName, Environment>;
  for (const [name, props] of Object.entries(environments)) envs[name as EnvironmentName] = new Environment(platform, name, props);
  const team = new Team(platform, 'portal', { createProject: true, namespaces: [...new Set(configs.map((c) => c.namespace))] });
  for (const config of configs) {
    const pkg = new AppPackage(platform, config.name, {
      environment: envs[config.environment],
      team,
      namespace: config.namespace,
      dependsOn: Object.values(config.dependencies ?? {}),
      ...(config.argocd?.syncWave !== undefined ? { syncWave: config.argocd.syncWave } : {}),
      ...(config.argocd?.syncPolicy !== undefined ? { syncPolicy: config.argocd.syncPolicy } : {}),
    });
    ChartFactory.createChart(pkg, config.chart, config.namespace);
  }
  return platform;
}
