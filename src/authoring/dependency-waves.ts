// Declared dependencies between applications → sync waves. An application's
// wave is at least its own minimum and one step above every application it
// depends on, so Argo CD (which applies Applications of an app of apps wave by
// wave, each after the earlier waves are healthy) and `capstan up --package`
// start a dependency only after what it needs. A cycle or an unknown name is an
// error naming the applications.
import { DependencyCycleError, UnknownDependencyError } from './authoring-errors.ts';

export interface WaveNode {
  readonly name: string;
  readonly dependsOn: readonly string[];
  /** The lowest wave this application may get. @default 0 */
  readonly minWave?: number;
}

/** Wave per application name; `step` is the distance between an app and its dependencies (default 10). */
export function dependencyWaves(nodes: readonly WaveNode[], step = 10): Map<string, number> {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const known = [...byName.keys()].sort();
  for (const n of nodes) {
    for (const d of n.dependsOn) if (!byName.has(d)) throw new UnknownDependencyError(n.name, d, known);
  }
  const waves = new Map<string, number>();
  const visiting: string[] = [];
  const visit = (node: WaveNode): number => {
    const done = waves.get(node.name);
    if (done !== undefined) return done;
    const at = visiting.indexOf(node.name);
    if (at >= 0) throw new DependencyCycleError([...visiting.slice(at), node.name]);
    visiting.push(node.name);
    let wave = node.minWave ?? 0;
    for (const d of [...new Set(node.dependsOn)].sort()) wave = Math.max(wave, visit(byName.get(d)!) + step);
    visiting.pop();
    waves.set(node.name, wave);
    return wave;
  };
  for (const name of known) visit(byName.get(name)!);
  return waves;
}
