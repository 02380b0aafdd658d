// Table-driven tests of the RBAC evaluator, from Argo CD's RBAC documentation
// (operator-manual/rbac.md, builtin-policy.csv, argocd-rbac-cm.yaml) and
// casbin's model (deny wins, roles through `g` lines).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppProject } from '../../api/app-project.ts';
import { ClaimsEnforcer, projectPolicy, type Claims } from './claims-enforcer.ts';
import { Enforcer, policyMatch } from './enforcer.ts';
import { parsePolicyCsv, splitCsvLine } from './policy-csv.ts';
import { parseRbacConfig } from './rbac-config.ts';

type Case = readonly [name: string, sub: string | undefined, res: string, act: string, obj: string, want: boolean];

const docsPolicy = `
p, role:org-admin, applications, *, */*, allow
p, role:org-admin, clusters, get, *, allow
p, role:org-admin, repositories, get, *, allow
p, role:org-admin, repositories, create, *, allow
g, your-github-org:your-team, role:org-admin

p, role:staging-db-admins, applications, create, staging-db-admins/*, allow
p, role:staging-db-admins, applications, sync, staging-db-admins/*, allow
p, role:staging-db-admins, applications, get, staging-db-admins/*, allow
p, role:staging-db-admins, projects, get, staging-db-admins, allow
g, db-admins, role:staging-db-admins

# comments are ignored
p, my-org:team-alpha, applications, sync, my-project/*, allow
p, example-user, applications, get, *, allow
p, example-user, logs, get, example-project/my-app, allow
p, alice, applications, *, */*, allow
p, alice, applications, delete, prod/*, deny
p, "quoted, user", applications, get, */*, allow
`;

test('the built-in roles and the documented policies', () => {
  const e = new Enforcer(docsPolicy);
  const cases: Case[] = [
    ['admin is role:admin', 'admin', 'applications', 'sync', 'default/guestbook', true],
    ['admin inherits readonly', 'admin', 'clusters', 'get', 'https://kubernetes.default.svc', true],
    ['role:readonly gets apps', 'role:readonly', 'applications', 'get', 'default/guestbook', true],
    ['role:readonly cannot sync', 'role:readonly', 'applications', 'sync', 'default/guestbook', false],
    ['role:readonly cannot delete projects', 'role:readonly', 'projects', 'delete', 'default', false],
    ['role:admin applicationsets', 'role:admin', 'applicationsets', 'get', 'default/set', true],
    ['role:readonly has no applicationsets', 'role:readonly', 'applicationsets', 'get', 'default/set', false],
    ['role:admin runs actions', 'role:admin', 'applications', 'action/apps/Deployment/restart', 'p/a', true],
    ['group reaches org-admin', 'your-github-org:your-team', 'applications', 'delete', 'any/app', true],
    ['org-admin cannot delete repos', 'your-github-org:your-team', 'repositories', 'delete', 'https://git', false],
    ['org-admin may create repos', 'role:org-admin', 'repositories', 'create', 'https://git', true],
    ['db-admins in their project', 'db-admins', 'applications', 'sync', 'staging-db-admins/db', true],
    ['db-admins elsewhere', 'db-admins', 'applications', 'sync', 'default/db', false],
    ['db-admins project get', 'db-admins', 'projects', 'get', 'staging-db-admins', true],
    ['db-admins other project', 'db-admins', 'projects', 'get', 'default', false],
    ['team-alpha sync in my-project', 'my-org:team-alpha', 'applications', 'sync', 'my-project/x', true],
    ['team-alpha no get', 'my-org:team-alpha', 'applications', 'get', 'my-project/x', false],
    ['* in object crosses /', 'example-user', 'applications', 'get', 'example-project/app', true],
    ['logs of one app', 'example-user', 'logs', 'get', 'example-project/my-app', true],
    ['logs of another app', 'example-user', 'logs', 'get', 'example-project/other', false],
    ['deny wins over allow', 'alice', 'applications', 'delete', 'prod/web', false],
    ['allow where no deny', 'alice', 'applications', 'delete', 'dev/web', true],
    ['quoted subject with a comma', 'quoted, user', 'applications', 'get', 'a/b', true],
    ['unknown subject', 'mallory', 'applications', 'get', 'default/guestbook', false],
    ['no subject', undefined, 'applications', 'get', 'default/guestbook', false],
    ['resource must match', 'role:readonly', 'applicationsx', 'get', 'a/b', false],
  ];
  for (const [name, sub, res, act, obj, want] of cases) assert.equal(e.enforce(sub, res, act, obj), want, name);
});

test('policy.default is tried first and a deny cannot take it back', () => {
  const e = new Enforcer('p, bob, applications, get, secret/*, deny', { defaultRole: 'role:readonly' });
  const cases: Case[] = [
    ['anonymous gets readonly', undefined, 'applications', 'get', 'default/a', true],
    ['anonymous cannot sync', undefined, 'applications', 'sync', 'default/a', false],
    ['default role beats a deny', 'bob', 'applications', 'get', 'secret/a', true],
    ['default role does not grant sync', 'bob', 'applications', 'sync', 'secret/a', false],
  ];
  for (const [name, sub, res, act, obj, want] of cases) assert.equal(e.enforce(sub, res, act, obj), want, name);
});

test('glob and regex matching as Argo CD matches', () => {
  const cases: ReadonlyArray<readonly [string, string, 'glob' | 'regex', boolean]> = [
    ['default/guestbook', '*/*', 'glob', true],
    ['default/guestbook', '*', 'glob', true],
    ['default/guestbook', 'default/*', 'glob', true],
    ['default/guestbook', 'other/*', 'glob', false],
    ['default/guestbook', 'default/guest?ook', 'glob', true],
    ['default/guestbook', 'default/{guestbook,other}', 'glob', true],
    ['default/guestbook', 'default/[gh]uestbook', 'glob', true],
    ['default/guestbook', 'default/[!g]uestbook', 'glob', false],
    ['action/apps/Deployment/restart', 'action/*', 'glob', true],
    ['get', 'get', 'glob', true],
    ['get', 'gets', 'glob', false],
    ['default/guestbook', '^default/.*$', 'regex', true],
    ['default/guestbook', 'guest', 'regex', true],
    ['default/guestbook', '^guest', 'regex', false],
    ['default/guestbook', '(', 'regex', false],
  ];
  for (const [value, pattern, mode, want] of cases) assert.equal(policyMatch(value, pattern, mode), want, `${value} ~ ${pattern} (${mode})`);
});

test('roles chain through g lines, at most ten deep', () => {
  const chain = Array.from({ length: 12 }, (_, i) => `g, r${i}, r${i + 1}`).join('\n');
  const e = new Enforcer(`${chain}\np, r5, applications, get, */*, allow\np, r12, clusters, get, *, allow`);
  assert.equal(e.enforce('r0', 'applications', 'get', 'a/b'), true);
  assert.equal(e.enforce('r0', 'clusters', 'get', 'x'), false);
  assert.equal(e.enforce('r3', 'clusters', 'get', 'x'), true);
});

test('policy lines: CSV, comments and reported problems', () => {
  assert.deepEqual(splitCsvLine('p, "a, b", applications, get, */*, allow'), ['p', 'a, b', 'applications', 'get', '*/*', 'allow']);
  assert.deepEqual(splitCsvLine('g,  alice , role:admin '), ['g', 'alice', 'role:admin']);
  assert.equal(splitCsvLine('p, "unterminated, x'), undefined);
  const parsed = parsePolicyCsv('# c\n\np, a, applications, get, */*\nx, y\ng, a\np, a, b, c, d, allow');
  assert.equal(parsed.rules.length, 1);
  assert.deepEqual(parsed.problems.map((p) => p.line), [3, 4, 5]);
});

test('argocd-rbac-cm: policy.<name>.csv appended, default, match mode, scopes', () => {
  const config = parseRbacConfig({
    'policy.csv': 'p, alice, applications, sync, a/*, allow',
    'policy.overlay.csv': 'p, alice, applications, sync, a/secret, deny',
    'policy.default': 'role:readonly', 'policy.matchMode': 'glob', scopes: '[groups, email]',
  });
  assert.equal(config.enforcer.enforce('alice', 'applications', 'sync', 'a/web'), true);
  assert.equal(config.enforcer.enforce('alice', 'applications', 'sync', 'a/secret'), false);
  assert.equal(config.enforcer.enforce('anyone', 'applications', 'get', 'a/web'), true);
  assert.deepEqual(config.scopes, ['groups', 'email']);
  assert.deepEqual(parseRbacConfig(undefined).scopes, ['groups']);
  assert.equal(parseRbacConfig({ 'policy.matchMode': 'fuzzy' }).problems.length, 1);
});

const project = (name: string, roles: AppProject['spec']['roles']): AppProject => ({
  apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name, namespace: 'argocd' }, spec: { roles },
} as AppProject);

test('claims: subject, groups from scopes, and project roles bounded to their project', () => {
  const projects = new Map([
    ['team-a', project('team-a', [{ name: 'dev', groups: ['org:team-a'], policies: [
      'p, proj:team-a:dev, applications, sync, team-a/*, allow',
      // A role in team-a cannot reach team-b's apps, nor give out other resources.
      'p, proj:team-a:dev, applications, sync, team-b/*, allow',
      'p, proj:team-a:dev, clusters, get, *, allow',
      'p, someone-else, applications, delete, team-a/*, allow',
    ] }])],
    ['team-b', project('team-b', [])],
  ]);
  const enforcer = new ClaimsEnforcer(parseRbacConfig({ 'policy.csv': 'p, carol, applications, get, team-b/*, allow\ng, ops, role:readonly', scopes: '[groups]' }),
    (n) => projects.get(n));
  const member: Claims = { sub: 'dave', groups: ['org:team-a'] };
  const cases: ReadonlyArray<readonly [string, Claims | undefined, string, string, string, boolean]> = [
    ['group member syncs in team-a', member, 'applications', 'sync', 'team-a/web', true],
    ['group member gets its project', member, 'projects', 'get', 'team-a', true],
    ['group member cannot sync team-b', member, 'applications', 'sync', 'team-b/web', false],
    ['role gives no clusters', member, 'clusters', 'get', 'https://x', false],
    ['a foreign subject in a role policy is ignored', { sub: 'someone-else' }, 'applications', 'delete', 'team-a/web', false],
    ['user policy still applies', { sub: 'carol' }, 'applications', 'get', 'team-b/web', true],
    ['user policy bounded by project', { sub: 'carol' }, 'applications', 'get', 'team-a/web', false],
    ['group from scopes via g line', { sub: 'erin', groups: 'ops' }, 'clusters', 'get', 'x', true],
    ['anonymous without default role', undefined, 'applications', 'get', 'team-a/web', false],
    ['admin', { sub: 'admin' }, 'applications', 'delete', 'team-b/web', true],
  ];
  for (const [name, claims, res, act, obj, want] of cases) assert.equal(enforcer.enforce(claims, res, act, obj), want, name);
  assert.match(projectPolicy(projects.get('team-a')!), /^p, proj:team-a:dev, projects, get, team-a, allow$/m);
});
