// A platform program's root: a cdk8s App whose synth writes the idpbuilder
// package layout (`<pkg>.yaml` + `<pkg>/manifests/`) for every AppPackage
// in it, with the Applications' sync waves derived from their dependencies,
// so `idpbuilder create --package dist/` and `capstan up --package dist/`
// read it unchanged.
import { App, type AppProps } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '../api/kube-object.ts';
import { syncAnnotations } from '../api/sync-annotations.ts';
import { AppPackage } from './app-package.ts';
import { dependencyWaves } from './dependency-waves.ts';
import { defaultKindWaves } from './kind-waves.ts';
import { layoutPackage, type PackageFile } from './package-layout.ts';

export interface PlatformProps {
  /** The output directory. @default CDK8S_OUTDIR, else 'dist' */
  readonly outdir?: string;
  /** The namespace of the Applications (Argo CD's control namespace). @default 'argocd' */
  readonly argoNamespace?: string;
  /** Sync waves of manifests by kind, over the defaults (Namespace -100 … Ingress 20). @default defaultKindWaves */
  readonly kindWaves?: Readonly<Record<string, number>>;
  /** How many waves an application sits above each application it depends on. @default 10 */
  readonly dependencyWaveStep?: number;
  /** cdk8s resolvers for property values. @default none */
  readonly resolvers?: AppProps['resolvers'];
}

/** A package as synthesized: its Application (wave annotated) and manifests. */
export interface SynthesizedPackage {
  readonly name: string;
  readonly wave: number;
  readonly dependsOn: readonly string[];
  readonly application: KubeObject;
  readonly manifests: readonly KubeObject[];
}

const platformSymbol = Symbol.for('capstan.authoring.Platform');

export class Platform extends App {
  static isPlatform(x: unknown): x is Platform {
    return typeof x === 'object' && x !== null && platformSymbol in x;
  }

  /** The platform a construct belongs to; an error when it is not in one. */
  static override of(c: IConstruct): Platform {
    const root = c.node.root;
    if (!Platform.isPlatform(root)) throw new Error(`${c.node.path || c.node.id} is not inside a Platform (new Platform() is the root of a platform program)`);
    return root;
  }

  readonly argoNamespace: string;
  readonly kindWaves: Readonly<Record<string, number>>;
  readonly dependencyWaveStep: number;

  constructor(props: PlatformProps = {}) {
    super({ ...(props.outdir !== undefined ? { outdir: props.outdir } : {}), ...(props.resolvers ? { resolvers: props.resolvers } : {}) });
    Object.defineProperty(this, platformSymbol, { value: true });
    this.argoNamespace = props.argoNamespace ?? 'argocd';
    this.kindWaves = { ...defaultKindWaves, ...props.kindWaves };
    this.dependencyWaveStep = props.dependencyWaveStep ?? 10;
  }

  /** Every package of the platform, by name. */
  get packages(): AppPackage[] {
    return this.node.findAll().filter((c): c is AppPackage => AppPackage.isAppPackage(c)).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The package of that name. */
  package(name: string): AppPackage | undefined {
    return this.packages.find((p) => p.name === name);
  }

  /** Validates the tree, orders the packages by dependency and synthesizes each, in wave then name order. */
  synthPackages(): SynthesizedPackage[] {
    const errors = this.node.findAll().flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
    if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
    const packages = this.packages;
    const names = new Set<string>();
    for (const p of packages) {
      if (names.has(p.name)) throw new Error(`two packages are named "${p.name}"`);
      names.add(p.name);
    }
    const waves = dependencyWaves(packages.map((p) => ({ name: p.name, dependsOn: p.dependencies, minWave: p.minWave })), this.dependencyWaveStep);
    return packages.map((p) => {
      const wave = waves.get(p.name)!;
      p.application.metadata.addAnnotation(syncAnnotations.syncWave, String(wave));
      return { name: p.name, wave, dependsOn: p.dependencies, application: p.application.toJson() as KubeObject,
        manifests: p.manifests.map((o) => o.toJson() as KubeObject) };
    }).sort((a, b) => a.wave - b.wave || a.name.localeCompare(b.name));
  }

  /** Every file of the layout, relative to the output directory. */
  synthFiles(): PackageFile[] {
    return this.synthPackages().flatMap((p) => layoutPackage(p, { kindWaves: this.kindWaves }));
  }

  /**
   * Writes the layout into the output directory, first removing what an earlier synth wrote there
   * (top-level YAML files and package folders), so a package that is gone leaves no Application behind.
   */
  override synth(): void {
    const files = this.synthFiles();
    mkdirSync(this.outdir, { recursive: true });
    for (const entry of readdirSync(this.outdir)) {
      const full = path.join(this.outdir, entry);
      const isPackageDir = statSync(full).isDirectory() && existsSync(path.join(full, 'manifests', 'kustomization.yaml'));
      if (/\.ya?ml$/.test(entry) || isPackageDir) rmSync(full, { recursive: true, force: true });
    }
    for (const f of files) {
      const target = path.join(this.outdir, ...f.path.split('/'));
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, f.content);
    }
  }
}
