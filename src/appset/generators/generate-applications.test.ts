// Whole ApplicationSets through the real template engine (Go text/template +
// sprig and fasttemplate from the compatibility module), against the
// behaviour Argo CD documents for each generator, matrix and merge, template
// overrides, templatePatch and the finalizer.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApplicationSet, ApplicationSetSpec } from '../../api/application-set.ts';
import { loadCompat } from '../../compat/load-compat.ts';
import type { RenderTemplates } from '../../template/template-types.ts';
import { generateApplications } from './generate-applications.ts';
import type { ClusterSecretInfo, GeneratorSources } from './generator-context.ts';
import { gitPathspecMatch } from './go-path.ts';

let render: RenderTemplates;
before(async () => { render = (await loadCompat()).renderTemplates; });

interface World { dirs?: string[]; files?: Record<string, string>; clusters?: ClusterSecretInfo[] }

function sources(world: World): GeneratorSources {
  return {
    git: {
      directories: () => Promise.resolve(world.dirs ?? []),
      files: (_u, _r, pattern) => Promise.resolve(new Map(Object.entries(world.files ?? {}).filter(([f]) => gitPathspecMatch(pattern, f)))),
    },
    clusters: () => Promise.resolve(world.clusters ?? []),
    render: (requests) => render(requests),
  };
}

function appSet(spec: Partial<ApplicationSetSpec>): ApplicationSet {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'set', namespace: 'argocd' },
    spec: { generators: [], template: { metadata: {}, spec: { project: 'default', destination: {} } }, ...spec } };
}

const template = (name: string, extra: Record<string, unknown> = {}): ApplicationSetSpec['template'] => ({
  metadata: { name }, spec: { project: 'default', source: { repoURL: 'https://git.example/repo.git', targetRevision: 'HEAD', path: '{{.path.path}}' },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'ns' }, ...extra } as ApplicationSetSpec['template']['spec'],
});

async function names(set: ApplicationSet, world: World = {}): Promise<string[]> {
  return (await generateApplications(set, sources(world))).applications.map((a) => a.app.metadata.name!);
}

test('seed 001: git directories with missingkey=error and index .path.segments', async () => {
  const dirs = ['argocd', 'argocd/infra', 'argocd/infra/maildev', 'argocd/infra/maildev/base', 'argocd/infra/maildev/envs', 'argocd/infra/maildev/envs/dev',
    'argocd/infra/minio', 'argocd/infra/minio/envs', 'argocd/infra/minio/envs/dev', 'argocd/infra/minio/envs/prod'];
  const set = appSet({ goTemplate: true, goTemplateOptions: ['missingkey=error'],
    generators: [{ git: { repoURL: 'https://git.example/repo.git', revision: 'HEAD', directories: [{ path: 'argocd/infra/*/envs/dev' }] } }],
    template: { ...template('{{ index .path.segments 2 }}'), spec: { ...template('x').spec, destination: { server: 'https://kubernetes.default.svc', namespace: '{{ index .path.segments 2 }}' },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true', 'ApplyOutOfSyncOnly=true'] } } } });
  const { applications } = await generateApplications(set, sources({ dirs }));
  assert.deepEqual(applications.map((a) => a.app), ['maildev', 'minio'].map((name) => ({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
    metadata: { name, namespace: 'argocd', finalizers: ['resources-finalizer.argocd.argoproj.io'] },
    spec: { project: 'default', source: { repoURL: 'https://git.example/repo.git', targetRevision: 'HEAD', path: `argocd/infra/${name}/envs/dev` },
      destination: { server: 'https://kubernetes.default.svc', namespace: name },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true', 'ApplyOutOfSyncOnly=true'] } },
  })));
  assert.equal(applications[0]!.generator, 'generators[0].git');
});

test('fasttemplate parameters: path.basename, path[n], unknown keys left as written', async () => {
  const set = appSet({ generators: [{ git: { repoURL: 'r', revision: 'HEAD', directories: [{ path: 'apps/*' }] } }],
    template: { metadata: { name: '{{path.basename}}-{{path[0]}}', labels: { unknown: '{{nope}}' } },
      spec: { project: 'default', source: { repoURL: 'r', path: '{{path}}' }, destination: { namespace: '{{path.basenameNormalized}}' } } } });
  const [app] = (await generateApplications(set, sources({ dirs: ['apps', 'apps/My_App'] }))).applications;
  assert.equal(app!.app.metadata.name, 'My_App-apps');
  assert.deepEqual(app!.app.metadata.labels, { unknown: '{{nope}}' });
  assert.equal(app!.app.spec.destination.namespace, 'my-app');
});

test('seed 002: git files × list, the list built from each team file with elementsYaml', async () => {
  const files = {
    'teams/backend/team.yaml': 'name: backend\napps:\n  - name: api\n    repoURL: https://git.example/api.git\n    path: deploy\n    targetRevision: main\n  - name: worker\n    repoURL: https://git.example/worker.git\n    path: chart\n    targetRevision: v1\n',
    'teams/frontend/team.yaml': 'name: frontend\napps:\n  - name: web\n    repoURL: https://git.example/web.git\n    path: k8s\n    targetRevision: HEAD\n',
  };
  const set = appSet({ goTemplate: true, goTemplateOptions: ['missingkey=error'], generators: [{ matrix: { generators: [
    { git: { repoURL: 'https://git.example/platform.git', revision: 'main', files: [{ path: 'teams/*/team.yaml' }] } },
    { list: { elementsYaml: '{{ range .apps }}- app: {{ toJson . }}\n{{ end }}' } },
  ] } }],
  template: { metadata: { name: '{{.name}}-{{.app.name}}' }, spec: { project: 'team-{{.name}}',
    source: { repoURL: '{{.app.repoURL}}', path: '{{.app.path}}', targetRevision: '{{.app.targetRevision}}' },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'team-{{.name}}' } } } });
  const { applications } = await generateApplications(set, sources({ files }));
  assert.deepEqual(applications.map((a) => [a.app.metadata.name, a.app.spec.project, a.app.spec.source?.repoURL, a.app.spec.source?.targetRevision]), [
    ['backend-api', 'team-backend', 'https://git.example/api.git', 'main'],
    ['backend-worker', 'team-backend', 'https://git.example/worker.git', 'v1'],
    ['frontend-web', 'team-frontend', 'https://git.example/web.git', 'HEAD'],
  ]);
});

test('a matrix\'s second generator is rendered with each of the first\'s parameters (fasttemplate)', async () => {
  const set = appSet({ generators: [{ matrix: { generators: [
    { list: { elements: [{ repo: 'https://git.example/a.git', env: 'dev' }, { repo: 'https://git.example/b.git', env: 'prod' }] } },
    { git: { repoURL: '{{repo}}', revision: 'HEAD', directories: [{ path: 'apps/*' }] } },
  ] } }], template: { metadata: { name: '{{env}}-{{path.basename}}' }, spec: { project: 'default', source: { repoURL: '{{repo}}', path: '{{path}}' }, destination: {} } } });
  const seen: string[] = [];
  const world = sources({});
  const tracked: GeneratorSources = { ...world, git: { ...world.git, directories: (url) => { seen.push(url); return Promise.resolve(['apps', 'apps/x']); } } };
  const { applications } = await generateApplications(set, tracked);
  assert.deepEqual(seen, ['https://git.example/a.git', 'https://git.example/b.git']);
  assert.deepEqual(applications.map((a) => [a.app.metadata.name, a.app.spec.source?.repoURL]), [['dev-x', 'https://git.example/a.git'], ['prod-x', 'https://git.example/b.git']]);
});

test('merge: later generators override base sets with equal merge keys; unmatched sets are dropped', async () => {
  const clusters: ClusterSecretInfo[] = [
    { name: 'staging', server: 'https://staging', labels: { env: 'staging' }, annotations: {} },
    { name: 'prod', server: 'https://prod', labels: { env: 'prod' }, annotations: {} },
  ];
  const mergeSet = (goTemplate: boolean) => appSet({ goTemplate, generators: [{ merge: { mergeKeys: ['server'], generators: [
    { clusters: { selector: { matchLabels: { env: 'staging' } }, values: { kafka: 'true', redis: 'false' } } },
    { clusters: { selector: { matchLabels: { env: 'staging' } }, values: { redis: 'true' } } },
    { list: { elements: [{ server: 'https://staging', 'values.kafka': 'false' }, { server: 'https://nowhere', 'values.kafka': 'x' }] } },
  ] } }], template: { metadata: { name: goTemplate ? '{{.name}}-{{.values.kafka}}-{{.values.redis}}' : '{{name}}-{{values.kafka}}-{{values.redis}}' },
    spec: { project: 'default', destination: {} } } });
  assert.deepEqual(await names(mergeSet(false), { clusters }), ['staging-false-true']);
  // With Go templates `values` is a map: the list's flat "values.kafka" key is a different key, and the map merges.
  assert.deepEqual(await names(mergeSet(true), { clusters }), ['staging-true-true']);
});

test('selectors filter a generator\'s parameters; generator templates override the ApplicationSet\'s', async () => {
  const set = appSet({ goTemplate: true, generators: [
    { list: { elements: [{ name: 'a', env: 'dev' }, { name: 'b', env: 'prod' }] }, selector: { matchLabels: { env: 'prod' } } },
    { list: { elements: [{ name: 'c' }], template: { metadata: { labels: { from: 'override' } }, spec: { project: 'special', destination: {} } } } },
  ], template: { metadata: { name: '{{.name}}', labels: { from: 'base', keep: 'yes' } }, spec: { project: 'default', destination: { namespace: 'x' } } } });
  const { applications } = await generateApplications(set, sources({}));
  assert.deepEqual(applications.map((a) => [a.app.metadata.name, a.app.metadata.labels, a.app.spec.project, a.app.spec.destination]), [
    ['b', { from: 'base', keep: 'yes' }, 'default', { namespace: 'x' }],
    ['c', { from: 'override', keep: 'yes' }, 'special', { namespace: 'x' }],
  ]);
});

test('finalizers: added by default, not with preserveResourcesOnDeletion, template ones kept', async () => {
  const gen = [{ list: { elements: [{ name: 'a' }] } }];
  const fin = async (spec: Partial<ApplicationSetSpec>) => (await generateApplications(appSet({ goTemplate: true, generators: gen, ...spec }), sources({}))).applications[0]!.app.metadata.finalizers;
  const base = { metadata: { name: '{{.name}}' }, spec: { project: 'default', destination: {} } };
  assert.deepEqual(await fin({ template: base }), ['resources-finalizer.argocd.argoproj.io']);
  assert.equal(await fin({ template: base, syncPolicy: { preserveResourcesOnDeletion: true } }), undefined);
  assert.deepEqual(await fin({ template: { ...base, metadata: { name: '{{.name}}', finalizers: ['custom/finalizer'] } } }), ['custom/finalizer']);
});

test('templatePatch sets fields a string template cannot', async () => {
  const set = appSet({ goTemplate: true, generators: [{ list: { elements: [{ name: 'a', auto: true }, { name: 'b', auto: false }] } }],
    template: { metadata: { name: '{{.name}}' }, spec: { project: 'default', destination: {} } },
    templatePatch: '{{ if .auto }}\nspec:\n  syncPolicy:\n    automated:\n      prune: true\n{{ end }}\n' });
  const { applications } = await generateApplications(set, sources({}));
  assert.deepEqual(applications.map((a) => a.app.spec.syncPolicy), [{ automated: { prune: true } }, undefined]);
});

test('values of the clusters and git generators are rendered with their own parameters', async () => {
  const clusters: ClusterSecretInfo[] = [{ name: 'prod', server: 'https://prod', labels: { tier: 'gold' }, annotations: {} }];
  const set = appSet({ goTemplate: true, generators: [
    { clusters: { selector: { matchLabels: { tier: 'gold' } }, values: { revision: 'release-{{ .metadata.labels.tier }}', clusterName: '{{.name}}' } } },
    { git: { repoURL: 'r', revision: 'HEAD', directories: [{ path: 'apps/*' }], values: { app: '{{ .path.basename | upper }}' } } },
  ], template: { metadata: { name: '{{ .values | toJson | sha1sum | trunc 8 }}', annotations: { values: '{{ toJson .values }}' } }, spec: { project: 'default', destination: {} } } });
  const { applications } = await generateApplications(set, sources({ clusters, dirs: ['apps', 'apps/web'] }));
  assert.deepEqual(applications.map((a) => JSON.parse(a.app.metadata.annotations!['values']!)), [
    { clusterName: 'prod', revision: 'release-gold' }, { app: 'WEB' },
  ]);
});

test('bad input: each error names the ApplicationSet, the generator and the cause', async () => {
  const list = { list: { elements: [{ name: 'a' }] } };
  const cases: Array<[Partial<ApplicationSetSpec>, RegExp]> = [
    [{ goTemplate: true, goTemplateOptions: ['missingkey=error'], generators: [list], template: { metadata: { name: '{{.nope}}' }, spec: { project: 'default', destination: {} } } },
      /ApplicationSet "set" generators\[0\]\.list \(parameter set 1\): failed to render the template: failed to execute go template \{\{\.nope\}\}: .*map has no entry for key "nope"/],
    [{ generators: [{ matrix: { generators: [list, list, list] } }] }, /ApplicationSet "set" generators\[0\]\.matrix: found 3 child generators: a matrix combines exactly two/],
    [{ generators: [{ matrix: { generators: [list] } }] }, /generators\[0\]\.matrix: found 1 child generator: a matrix combines exactly two/],
    [{ generators: [{ matrix: { generators: [list, { matrix: { generators: [list, { matrix: { generators: [list, list] } } as never] } }] } }] },
      /generators\[0\]\.matrix\.generators\[1\]\.matrix\.generators\[1\]\.matrix: matrix and merge generators nest at most two levels deep/],
    [{ generators: [{ matrix: { generators: [{ list: { elements: [{ a: '1' }] } }, { list: { elements: [{ a: '2' }] } }] } }] },
      /generators\[0\]\.matrix: failed to combine string maps with merging params for the matrix generator: found duplicate key a with different value, a: 1 ,b: 2/],
    [{ generators: [{ merge: { mergeKeys: ['name'], generators: [{ list: { elements: [{ name: 'a' }, { name: 'a' }] } }, list] } }] },
      /generators\[0\]\.merge: the parameters from a generator were not unique by the given mergeKeys.*Duplicate key was \{"name":"a"\}/],
    [{ generators: [{ merge: { mergeKeys: [], generators: [list, list] } }] }, /generators\[0\]\.merge: no merge keys were specified/],
    [{ generators: [{ scmProvider: { github: { organization: 'o' } } }] }, /generators\[0\]\.scmProvider: the scmProvider generator is not supported by Capstan/],
    [{ generators: [{ pullRequest: { github: { owner: 'o', repo: 'r' } } }] }, /generators\[0\]\.pullRequest: the pullRequest generator is not supported by Capstan/],
    [{ generators: [{} as never] }, /generators\[0\]: names no generator \(supported: list, clusters, git, matrix, merge\)/],
    [{ generators: [] }, /ApplicationSet "set" generators: the ApplicationSet has no generators/],
    [{ generators: [{ ...list, selector: { matchExpressions: [{ key: 'name', operator: 'Like' }] } }] }, /generators\[0\]\.selector: error parsing label selector: "Like" is not a valid label selector operator/],
    [{ goTemplate: true, generators: [{ list: { elementsYaml: '{{ .x' } }] }, /generators\[0\]\.list: error unmarshling decoded ElementsYaml/],
  ];
  for (const [spec, want] of cases) {
    await assert.rejects(generateApplications(appSet({ template: { metadata: { name: 'x' }, spec: { project: 'default', destination: {} } }, ...spec }), sources({})), want, String(want));
  }
});

test('a git generator that cannot reach its repository fails with a transient error', async () => {
  const world = sources({});
  const failing: GeneratorSources = { ...world, git: { ...world.git, directories: () => Promise.reject(Object.assign(new Error('repository https://git.example unreachable'), {})) } };
  const set = appSet({ generators: [{ git: { repoURL: 'https://git.example', revision: 'HEAD', directories: [{ path: '*' }] } }] });
  await assert.rejects(generateApplications(set, failing), /ApplicationSet "set" generators\[0\]\.git: repository https:\/\/git\.example unreachable/);
});
