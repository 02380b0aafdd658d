// The idpbuilder package layout, as a pure function of synthesized objects:
// `<pkg>.yaml` holds the package's Argo CD Application (source
// `cnoe://<pkg>/manifests`, path `.`), and `<pkg>/manifests/` one file per
// object named `<Kind>.<name>.k8s.yaml` as cdk8s names a file per resource, each
// annotated with its kind's sync wave (unless it sets one), and a
// `kustomization.yaml` listing them in wave order. Built-in cluster-scoped
// kinds lose the namespace a cdk8s chart's `namespace` gives every object.
import { stringify } from 'yaml';
import type { KubeObject } from '../api/kube-object.ts';
import { groupOf } from '../api/kube-object.ts';
import { syncAnnotations } from '../api/sync-annotations.ts';
import { InvalidPackageError } from './authoring-errors.ts';
import { defaultKindWaves, kindWaveOf } from './kind-waves.ts';

export interface PackageContent {
  readonly name: string;
  readonly application: KubeObject;
  readonly manifests: readonly KubeObject[];
}

export interface PackageLayoutOptions {
  /** @default defaultKindWaves */
  readonly kindWaves?: Readonly<Record<string, number>>;
}

export interface PackageFile {
  /** Relative to the output directory, with `/` separators. */
  readonly path: string;
  readonly content: string;
}

/** The folder of a package's manifests, relative to the output directory. */
export const manifestsDir = (pkg: string): string => `${pkg}/manifests`;

/** The repository URL a package's Application uses: idpbuilder resolves it against the Application file's folder. */
export const packageRepoUrl = (pkg: string): string => `cnoe://${manifestsDir(pkg)}`;

export function toYaml(obj: unknown): string {
  return stringify(obj, { lineWidth: 0 });
}

/** Built-in kinds without a namespace; a cdk8s chart's namespace would otherwise be written into them. */
const clusterScopedKinds = new Set(['Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding',
  'CustomResourceDefinition', 'PriorityClass', 'IngressClass', 'RuntimeClass', 'CSIDriver', 'APIService',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);

function withoutClusterNamespace(o: KubeObject): KubeObject {
  if (!clusterScopedKinds.has(o.kind) || o.metadata.namespace === undefined) return o;
  const { namespace: _namespace, ...metadata } = o.metadata;
  return { ...o, metadata };
}

const waveOf = (o: KubeObject): number => Number.parseInt(o.metadata.annotations?.[syncAnnotations.syncWave] ?? '0', 10) || 0;

function withKindWave(o: KubeObject, waves: Readonly<Record<string, number>>): KubeObject {
  const wave = kindWaveOf(o.kind, waves);
  if (wave === undefined || o.metadata.annotations?.[syncAnnotations.syncWave] !== undefined) return o;
  const metadata = { ...o.metadata, annotations: { ...o.metadata.annotations, [syncAnnotations.syncWave]: String(wave) } };
  // Keys in sorted order, as cdk8s writes them.
  return { ...o, metadata: Object.fromEntries(Object.entries(metadata).sort(([a], [b]) => a.localeCompare(b))) };
}

const clean = (s: string): string => s.replace(/[^0-9a-zA-Z-_.]/g, '');

/** File names: `<Kind>.<name>`, then with the namespace, then the group, for objects that would share one. */
function fileNames(pkg: string, objects: readonly KubeObject[]): string[] {
  const forms = [
    (o: KubeObject) => `${o.kind}.${o.metadata.name ?? ''}`,
    (o: KubeObject) => `${o.kind}.${o.metadata.namespace ?? '_'}.${o.metadata.name ?? ''}`,
    (o: KubeObject) => `${o.kind}.${groupOf(o.apiVersion) || 'core'}.${o.metadata.namespace ?? '_'}.${o.metadata.name ?? ''}`,
  ];
  const names = objects.map((o) => clean(forms[0]!(o)));
  for (const form of forms.slice(1)) {
    const count = new Map<string, number>();
    for (const n of names) count.set(n, (count.get(n) ?? 0) + 1);
    objects.forEach((o, i) => { if (count.get(names[i]!)! > 1) names[i] = clean(form(o)); });
  }
  const seen = new Map<string, KubeObject>();
  objects.forEach((o, i) => {
    const other = seen.get(names[i]!);
    if (other !== undefined) {
      throw new InvalidPackageError(pkg, `two objects are ${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name} (${other.apiVersion} and ${o.apiVersion})`);
    }
    seen.set(names[i]!, o);
  });
  return names.map((n) => `${n}.k8s.yaml`);
}

/** The files of one package, Application first, then the manifests in wave order and the kustomization. */
export function layoutPackage(content: PackageContent, options: PackageLayoutOptions = {}): PackageFile[] {
  const waves = options.kindWaves ?? defaultKindWaves;
  for (const o of content.manifests) {
    if (!o.metadata?.name) throw new InvalidPackageError(content.name, `a ${o.kind} has no metadata.name`);
  }
  const objects = content.manifests.map((o) => withKindWave(withoutClusterNamespace(o), waves)).sort((a, b) => waveOf(a) - waveOf(b)
    || a.kind.localeCompare(b.kind) || (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '')
    || a.metadata.name!.localeCompare(b.metadata.name!));
  const names = fileNames(content.name, objects);
  const dir = manifestsDir(content.name);
  const kustomization = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: names };
  return [
    { path: `${content.name}.yaml`, content: toYaml(content.application) },
    ...objects.map((o, i) => ({ path: `${dir}/${names[i]!}`, content: toYaml(o) })),
    { path: `${dir}/kustomization.yaml`, content: toYaml(kustomization) },
  ];
}
