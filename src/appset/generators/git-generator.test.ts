import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GitGenerator } from '../../api/application-set.ts';
import type { GenerateContext, GeneratorSources } from './generator-context.ts';
import { gitPathspecMatch } from './go-path.ts';
import { gitParams } from './git-generator.ts';

const dirs = ['apps', 'apps/api', 'apps/api/envs', 'apps/api/envs/dev', 'apps/exclude-me', 'apps/web', 'apps/web/envs', 'apps/web/envs/dev', 'docs'];
const files: Record<string, string> = {
  'teams/backend/team.yaml': 'name: backend\nvalues: |\n  quota: 20\napps:\n  - name: api\n    port: 8080\n',
  'teams/frontend/team.yaml': '{"name": "frontend", "big": 1000000, "nested": {"on": true}}',
  'teams/list/team.yaml': '- name: one\n- name: two\n',
  'teams/empty/team.yaml': '',
  'teams/backend/notes.md': '# not selected',
};

function context(goTemplate: boolean): GenerateContext {
  const sources: GeneratorSources = {
    git: {
      directories: () => Promise.resolve(dirs),
      files: (_url, _rev, pattern) => Promise.resolve(new Map(Object.entries(files).filter(([f]) => gitPathspecMatch(pattern, f)))),
    },
    clusters: () => Promise.resolve([]),
    render: () => { throw new Error('these cases render no values'); },
  };
  return { appSetName: 'set', goTemplate, goTemplateOptions: [], sources };
}

const gen = (g: Partial<GitGenerator>): GitGenerator => ({ repoURL: 'https://example/repo.git', revision: 'HEAD', ...g });

test('directories: matching, exclusion and path parameters (fasttemplate)', async () => {
  const params = await gitParams(gen({ directories: [{ path: 'apps/*' }, { path: 'apps/exclude-me', exclude: true }] }), context(false), 'generators[0].git');
  assert.deepEqual(params, [
    { path: 'apps/api', 'path.basename': 'api', 'path.basenameNormalized': 'api', 'path[0]': 'apps', 'path[1]': 'api' },
    { path: 'apps/web', 'path.basename': 'web', 'path.basenameNormalized': 'web', 'path[0]': 'apps', 'path[1]': 'web' },
  ]);
});

test('directories: Go templates get a path map with segments; pathParamPrefix nests it', async () => {
  const [first] = await gitParams(gen({ directories: [{ path: 'apps/*/envs/dev' }] }), context(true), 'g');
  assert.deepEqual(first, { path: { path: 'apps/api/envs/dev', basename: 'dev', basenameNormalized: 'dev', segments: ['apps', 'api', 'envs', 'dev'] } });
  const [prefixed] = await gitParams(gen({ directories: [{ path: 'docs' }], pathParamPrefix: 'repo' }), context(true), 'g');
  assert.deepEqual(prefixed, { repo: { path: { path: 'docs', basename: 'docs', basenameNormalized: 'docs', segments: ['docs'] } } });
  const [flat] = await gitParams(gen({ directories: [{ path: 'docs' }], pathParamPrefix: 'repo' }), context(false), 'g');
  assert.deepEqual(Object.keys(flat!), ['repo.path', 'repo.path.basename', 'repo.path.basenameNormalized', 'repo.path[0]']);
});

test('directories: an exclude wins over any include, a malformed pattern matches nothing', async () => {
  const params = await gitParams(gen({ directories: [{ path: 'apps/*' }, { path: 'apps/[' }, { path: 'apps/w*', exclude: true }] }), context(false), 'g');
  assert.deepEqual(params.map((p) => p['path']), ['apps/api', 'apps/exclude-me']);
});

test('files: objects flattened with %v strings, lists give one set per item, empty files one set', async () => {
  const params = await gitParams(gen({ files: [{ path: 'teams/*/team.yaml' }] }), context(false), 'g');
  assert.deepEqual(params.map((p) => p['path.basename']), ['backend', 'empty', 'frontend', 'list', 'list']);
  assert.deepEqual(params[0], {
    name: 'backend', values: 'quota: 20\n', 'apps.0.name': 'api', 'apps.0.port': '8080',
    path: 'teams/backend', 'path.basename': 'backend', 'path.filename': 'team.yaml', 'path.basenameNormalized': 'backend',
    'path.filenameNormalized': 'team.yaml', 'path[0]': 'teams', 'path[1]': 'backend',
  });
  assert.equal(params[2]!['big'], '1e+06', 'JSON numbers are float64 in Go');
  assert.equal(params[2]!['nested.on'], 'true');
  assert.deepEqual([params[3]!['name'], params[4]!['name']], ['one', 'two']);
});

test('files: Go templates keep the object and add a path map; excludes remove files', async () => {
  const params = await gitParams(gen({ files: [{ path: 'teams/**/team.yaml' }, { path: 'teams/list/*', exclude: true }, { path: 'teams/empty', exclude: true }] }), context(true), 'g');
  assert.deepEqual(params.map((p) => p['name']), ['backend', 'frontend']);
  assert.deepEqual(params[0], {
    name: 'backend', values: 'quota: 20\n', apps: [{ name: 'api', port: 8080 }],
    path: { path: 'teams/backend', basename: 'backend', filename: 'team.yaml', basenameNormalized: 'backend', filenameNormalized: 'team.yaml', segments: ['teams', 'backend'] },
  });
});

test('files: a file that is not YAML, or not a map, names the file', async () => {
  const broken = { ...context(false) };
  const withFile = (content: string): GenerateContext => ({ ...broken, sources: { ...broken.sources, git: {
    directories: () => Promise.resolve([]), files: () => Promise.resolve(new Map([['teams/bad/team.yaml', content]])) } } });
  await assert.rejects(gitParams(gen({ files: [{ path: 'teams/*/team.yaml' }] }), withFile('name: [broken'), 'g'),
    /unable to process file 'teams\/bad\/team\.yaml': unable to parse file: .*line 1/);
  await assert.rejects(gitParams(gen({ files: [{ path: 'teams/*/team.yaml' }] }), withFile('just a string'), 'g'),
    /unable to process file 'teams\/bad\/team\.yaml': .*holds a string, not a map or a list of maps/);
  await assert.rejects(gitParams(gen({}), withFile(''), 'generators[2].git'), /ApplicationSet "set" generators\[2\]\.git: a git generator needs directories or files/);
});
