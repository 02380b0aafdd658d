import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Application } from '../../api/application.ts';
import specSchemas from '../../api/generated/crd-schemas.json' with { type: 'json' };
import type { GeneratedApplication } from './generate-applications.ts';
import { checkSchema } from './schema-check.ts';
import { summarizeProblems, validateApplications } from './validate-applications.ts';

const app = (name: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): GeneratedApplication => ({
  generator: 'generators[0].list',
  app: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: 'argocd', ...meta },
    spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace: 'x' }, source: { repoURL: 'r' }, ...spec } } as Application,
});
const ctx = { appSetName: 'set', namespace: 'argocd', projects: new Set(['default']), clusterNames: new Set(['in-cluster', 'prod']), specSchema: specSchemas.Application };

test('valid Applications pass', () => {
  assert.deepEqual(validateApplications([app('a'), app('b', { destination: { name: 'prod', namespace: 'x' } })], ctx), []);
});

test('every problem is named with the Application and its generator', () => {
  const cases: Array<[GeneratedApplication, RegExp]> = [
    [app('Bad_Name'), /Application "Bad_Name" \(generators\[0\]\.list\): "Bad_Name" is not a valid Application name/],
    [app('a', {}, { namespace: 'elsewhere' }), /namespace "elsewhere" is not the ApplicationSet's \(Applications are generated in argocd\)/],
    [app('a', { project: 'nope' }), /application references project nope which does not exist/],
    [app('a', { destination: { name: 'prod', server: 'https://x' } }), /can't have both name and server defined: prod https:\/\/x/],
    [app('a', { destination: { name: 'mars' } }), /application references destination cluster mars which does not exist/],
    [app('a', { syncPolicy: { automated: { prune: 'true' } } }), /spec\.syncPolicy\.automated\.prune: must be a boolean, not string "true"/],
    [app('a', { source: { path: 'x' } }), /spec\.source\.repoURL: required/],
    [app('a', {}, { labels: { team: 'has spaces' } }), /label team: "has spaces" is not a valid label value/],
    [app('a', {}, { annotations: { 'bad key!': 'v' } }), /annotation "bad key!" is not a valid key/],
  ];
  for (const [input, want] of cases) {
    const problems = validateApplications([input], ctx);
    assert.equal(problems.length, 1, `${want}: ${problems.join('; ')}`);
    assert.match(problems[0]!, want);
  }
});

test('duplicate names are reported as Argo CD words it, and many problems are summarized', () => {
  const problems = validateApplications([app('a'), app('a'), app('b', { project: 'nope' })], ctx);
  assert.equal(problems[0], 'ApplicationSet set contains applications with duplicate name: a');
  assert.match(summarizeProblems(problems), /duplicate name: a \(and 1 more\)$/);
});

test('the schema check follows types, required fields, maps and lists', () => {
  const schema = { type: 'object', required: ['n'], properties: { n: { type: 'integer' }, l: { type: 'array', items: { type: 'string' } },
    m: { type: 'object', additionalProperties: { type: 'boolean' } }, i: { 'x-kubernetes-int-or-string': true } } };
  assert.equal(checkSchema({ n: 1, l: ['a'], m: { x: true }, i: '50%', extra: { any: 1 } }, schema), undefined);
  assert.equal(checkSchema({ n: 1.5 }, schema), 'n: must be an integer, not number');
  assert.equal(checkSchema({ n: 1, l: ['a', 2] }, schema), 'l[1]: must be a string, not integer 2');
  assert.equal(checkSchema({ n: 1, m: { x: 'yes' } }, schema), 'm.x: must be a boolean, not string "yes"');
  assert.equal(checkSchema({ n: 1, i: true }, schema), 'i: must be an integer or a string, not boolean');
  assert.equal(checkSchema({}, schema), 'n: required');
});
