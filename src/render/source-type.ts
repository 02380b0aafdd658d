// Which tool renders a source, decided as Argo CD decides it: an explicit
// helm/kustomize/directory block wins (a chart name means Helm); otherwise
// Chart.yaml → Helm, kustomization.yaml|yml|Kustomization → Kustomize, a
// cdk8s app (cdk8s.yaml, or package.json with a synth script) → Cdk8s, else
// Directory.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ApplicationSource } from '../api/application.ts';

export type SourceType = 'Helm' | 'Kustomize' | 'Directory' | 'Cdk8s';

export const kustomizationFiles = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function detectSourceType(source: ApplicationSource, dir: string | undefined): SourceType {
  if (source.chart || source.helm) return 'Helm';
  if (source.kustomize) return 'Kustomize';
  if (source.directory) return 'Directory';
  if (dir === undefined) return 'Directory';
  if (existsSync(path.join(dir, 'Chart.yaml'))) return 'Helm';
  if (kustomizationFiles.some((f) => existsSync(path.join(dir, f)))) return 'Kustomize';
  if (existsSync(path.join(dir, 'cdk8s.yaml'))) return 'Cdk8s';
  const pkg = path.join(dir, 'package.json');
  if (existsSync(pkg)) {
    try {
      const scripts = (JSON.parse(readFileSync(pkg, 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
      if (scripts['synth'] !== undefined) return 'Cdk8s';
    } catch {
      return 'Directory';
    }
  }
  return 'Directory';
}
