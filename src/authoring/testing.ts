// Helpers for unit tests of platform programs, as cdk8s' own Testing is for
// charts: a platform that writes nowhere, and the objects and files a synth
// would write, without touching the disk.
import { Testing as Cdk8sTesting, type Chart } from 'cdk8s';
import type { KubeObject } from '../api/kube-object.ts';
import { Platform, type PlatformProps, type SynthesizedPackage } from './platform.ts';

export class Testing {
  /** A platform for a test (its output directory is never written unless `synth()` is called). */
  static platform(props: PlatformProps = {}): Platform {
    return new Platform({ outdir: 'cdk8s-testing-outdir-unused', ...props });
  }

  /** The objects of one chart (or package), as cdk8s synthesizes them. */
  static synth(chart: Chart): KubeObject[] {
    return Cdk8sTesting.synth(chart) as KubeObject[];
  }

  /** Every package of the platform as synthesized: Application with its wave, and manifests. */
  static packages(platform: Platform): SynthesizedPackage[] {
    return platform.synthPackages();
  }

  /** The package of that name, as synthesized; an error naming the packages there are when none has it. */
  static package(platform: Platform, name: string): SynthesizedPackage {
    const all = platform.synthPackages();
    const found = all.find((p) => p.name === name);
    if (found === undefined) throw new Error(`no package "${name}" (packages: ${all.map((p) => p.name).join(', ') || 'none'})`);
    return found;
  }

  /** The files `synth()` would write, path → content. */
  static files(platform: Platform): Record<string, string> {
    return Object.fromEntries(platform.synthFiles().map((f) => [f.path, f.content]));
  }

  private constructor() {}
}
