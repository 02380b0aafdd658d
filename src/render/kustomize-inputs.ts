// The directories a `kustomize build` reads, found by following the local
// references of kustomization files (resources, bases, components, patches,
// generators, crds): the render cache keys a Kustomize app on their tree
// hashes, so a commit that touches none of them does not re-render it.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { kustomizationFiles } from './source-type.ts';

function referencedPaths(doc: Record<string, unknown>): string[] {
  const out: string[] = [];
  const add = (v: unknown): void => { if (typeof v === 'string') out.push(v); };
  for (const field of ['resources', 'bases', 'components', 'crds', 'patchesStrategicMerge', 'configurations', 'transformers', 'generators', 'validators']) {
    for (const v of (doc[field] as unknown[] | undefined) ?? []) add(v);
  }
  for (const p of (doc['patches'] as Array<{ path?: unknown }> | undefined) ?? []) add(p?.path);
  for (const p of (doc['patchesJson6902'] as Array<{ path?: unknown }> | undefined) ?? []) add(p?.path);
  for (const field of ['configMapGenerator', 'secretGenerator']) {
    for (const g of (doc[field] as Array<{ files?: unknown[]; envs?: unknown[]; env?: unknown }> | undefined) ?? []) {
      for (const f of [...(g.files ?? []), ...(g.envs ?? []), g.env]) add(typeof f === 'string' ? f.replace(/^[^=]*=/, '') : f);
    }
  }
  for (const h of (doc['helmCharts'] as Array<{ valuesFile?: unknown }> | undefined) ?? []) add(h?.valuesFile);
  return out.filter((p) => !/^[a-z]+:\/\//i.test(p));
}

/** Directories (relative to `root`) that a build of `appPath` reads, `appPath` first. */
export function kustomizeInputs(root: string, appPath: string): string[] {
  const seen = new Set<string>();
  const visit = (dir: string): void => {
    const rel = path.relative(root, dir) || '.';
    if (seen.has(rel) || rel.startsWith('..')) return;
    seen.add(rel);
    const file = kustomizationFiles.map((f) => path.join(dir, f)).find((f) => existsSync(f));
    if (file === undefined) return;
    let doc: Record<string, unknown>;
    try {
      doc = (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
    } catch {
      return; // kustomize itself reports the error
    }
    for (const ref of referencedPaths(doc)) {
      const target = path.resolve(dir, ref);
      if (!existsSync(target)) continue;
      if (statSync(target).isDirectory()) visit(target);
      else {
        const parent = path.relative(root, path.dirname(target)) || '.';
        if (!parent.startsWith('..')) seen.add(parent);
      }
    }
  };
  visit(path.resolve(root, appPath));
  return [...seen];
}
