// `capstan appset generate`: the Applications an ApplicationSet file would
// produce, without a cluster. Git generators read a working tree on disk
// (`repoRoot`, for every repoURL) or fetch their repositories into the cache;
// the clusters generator reads cluster Secrets (or plain cluster entries)
// from a YAML file. The same generation and validation as the controller,
// except that AppProjects are not checked.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { ApplicationSet } from '../api/application-set.ts';
import specSchemas from '../api/generated/crd-schemas.json' with { type: 'json' };
import type { KubeObject } from '../api/kube-object.ts';
import { clusterOfSecret } from '../controller/appset-sources.ts';
import { repositorySources } from '../controller/appset-sources.ts';
import { CapstanError } from '../errors.ts';
import { localTree, readLocalFiles } from '../source/tree-listing.ts';
import type { RepositoryStore } from '../source/repository-store.ts';
import type { RenderTemplates } from '../template/template-types.ts';
import { inClusterName, inClusterServer } from './generators/cluster-generator.ts';
import { generateApplications, type GeneratedApplication } from './generators/generate-applications.ts';
import type { ClusterSecretInfo, GeneratorSources } from './generators/generator-context.ts';
import { gitPathspecMatch } from './generators/go-path.ts';
import { summarizeProblems, validateApplications } from './generators/validate-applications.ts';

export interface OfflineOptions {
  readonly render: RenderTemplates;
  /** A working tree used for every git generator, whatever its repoURL. */
  readonly repoRoot?: string;
  /** Otherwise repositories are fetched. */
  readonly repositories?: RepositoryStore;
  readonly clusters?: readonly ClusterSecretInfo[];
}

/** Cluster Secrets (data or stringData) or plain `{name, server, labels, annotations, project}` entries from YAML. */
export function readClustersFile(file: string): ClusterSecretInfo[] {
  const out: ClusterSecretInfo[] = [];
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    if (doc.errors.length > 0) throw new CapstanError('InvalidClusters', `${file}: ${doc.errors[0]!.message}`);
    const value = doc.toJS() as unknown;
    for (const item of Array.isArray(value) ? value : value === null || value === undefined ? [] : [value]) {
      const o = item as Record<string, unknown>;
      if (o['kind'] === 'Secret') { out.push(clusterOfSecret(o as unknown as KubeObject)); continue; }
      if (typeof o['name'] !== 'string' || typeof o['server'] !== 'string') {
        throw new CapstanError('InvalidClusters', `${file}: each cluster is a Secret or has a name and a server (got ${JSON.stringify(o).slice(0, 80)})`);
      }
      out.push({ name: o['name'], server: o['server'], ...(typeof o['project'] === 'string' ? { project: o['project'] } : {}),
        labels: (o['labels'] ?? {}) as Record<string, string>, annotations: (o['annotations'] ?? {}) as Record<string, string> });
    }
  }
  return out;
}

/** The ApplicationSets of a YAML file (other kinds are skipped). */
export function readApplicationSets(file: string): ApplicationSet[] {
  const sets: ApplicationSet[] = [];
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    if (doc.errors.length > 0) throw new CapstanError('InvalidApplicationSet', `${file}: ${doc.errors[0]!.message}`);
    const value = doc.toJS() as ApplicationSet | null;
    if (value?.kind === 'ApplicationSet') sets.push({ ...value, metadata: { namespace: 'argocd', ...value.metadata } });
  }
  if (sets.length === 0) throw new CapstanError('InvalidApplicationSet', `${file} holds no ApplicationSet`);
  return sets;
}

function offlineSources(options: OfflineOptions): GeneratorSources {
  const clusters = options.clusters ?? [];
  if (options.repoRoot !== undefined) {
    const root = options.repoRoot;
    const tree = localTree(root);
    return {
      git: {
        directories: async () => (await tree).directories,
        files: async (_url, _rev, pattern) => readLocalFiles(root, (await tree).files.filter((f) => gitPathspecMatch(pattern, f))),
      },
      clusters: () => Promise.resolve(clusters),
      render: options.render,
    };
  }
  if (options.repositories === undefined) throw new CapstanError('Usage', 'give a repository root or a repository cache');
  return repositorySources({ repositories: options.repositories, generation: options.repositories.nextGeneration(), clusters: () => clusters, render: options.render });
}

export async function generateOffline(appSet: ApplicationSet, options: OfflineOptions): Promise<GeneratedApplication[]> {
  const { applications } = await generateApplications(appSet, offlineSources(options));
  const clusters = options.clusters ?? [];
  const names = new Set(clusters.map((c) => c.name));
  if (!clusters.some((c) => c.server.replace(/\/+$/, '') === inClusterServer)) names.add(inClusterName);
  const problems = validateApplications(applications, { appSetName: appSet.metadata.name ?? '', namespace: appSet.metadata.namespace ?? 'argocd',
    clusterNames: names, specSchema: specSchemas.Application });
  if (problems.length > 0) throw new CapstanError('ApplicationValidationError', summarizeProblems(problems));
  return applications;
}
