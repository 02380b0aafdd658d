// Capstan's authoring layer: typed cdk8s constructs for platform repositories
// — Argo CD Applications and AppProjects, environments, teams and packages —
// and a Platform that writes the idpbuilder package layout with sync waves
// from declared dependencies (docs/design.md, "Authoring").
export { Application, type ApplicationProps } from './application.ts';
export { AppProject, type AppProjectProps } from './app-project.ts';
export { AppPackage, type AppPackageProps } from './app-package.ts';
export { Environment, type EnvironmentProps, type SyncMode } from './environment.ts';
export { Team, type TeamProps } from './team.ts';
export { Platform, type PlatformProps, type SynthesizedPackage } from './platform.ts';
export { Testing } from './testing.ts';
export { defaultKindWaves, kindWaveOf } from './kind-waves.ts';
export { dependencyWaves, type WaveNode } from './dependency-waves.ts';
export { layoutPackage, manifestsDir, packageRepoUrl, type PackageContent, type PackageFile, type PackageLayoutOptions } from './package-layout.ts';
export { DependencyCycleError, InvalidPackageError, UnknownDependencyError } from './authoring-errors.ts';
export type { ApplicationDestination, ApplicationSource, ApplicationSpec, ResourceIgnoreDifferences, SyncPolicy } from '../api/application.ts';
export type { AppProjectSpec } from '../api/app-project.ts';
