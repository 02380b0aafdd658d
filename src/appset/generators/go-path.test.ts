import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadPatternError, gitPathspecMatch, goPathBase, goPathDir, goPathMatch } from './go-path.ts';

test('path.Match: wildcards stop at "/", classes, escapes', () => {
  const cases: Array<[string, string, boolean]> = [
    ['argocd/infra/*/envs/dev', 'argocd/infra/minio/envs/dev', true],
    ['argocd/infra/*/envs/dev', 'argocd/infra/a/b/envs/dev', false],
    ['argocd/infra/*/envs/dev', 'argocd/infra/minio/envs/dev/x', false],
    ['apps/*', 'apps/', true],
    ['apps/?', 'apps/a', true], ['apps/?', 'apps/ab', false], ['a?b', 'a/b', false],
    ['apps/[a-c]*', 'apps/bar', true], ['apps/[^a-c]*', 'apps/bar', false], ['apps/[^a-c]*', 'apps/dev', true],
    ['apps/\\*', 'apps/*', true], ['apps/\\*', 'apps/x', false],
    ['apps/exclude-helm-guestbook', 'apps/exclude-helm-guestbook', true],
    ['*', 'a.b', true], ['*.yaml', 'dir/a.yaml', false],
  ];
  for (const [pattern, name, want] of cases) assert.equal(goPathMatch(pattern, name), want, `${pattern} ~ ${name}`);
});

test('path.Match reports malformed patterns', () => {
  for (const pattern of ['apps/[', 'apps/[]', 'apps/\\', 'apps/[z-a]', 'a[-]']) {
    assert.throws(() => goPathMatch(pattern, 'apps/x'), BadPatternError, pattern);
  }
});

test('git pathspecs: literal directories match everything below, globs cross "/"', () => {
  const cases: Array<[string, string, boolean]> = [
    ['teams/*/team.yaml', 'teams/backend/team.yaml', true],
    ['teams/*/team.yaml', 'teams/a/b/team.yaml', true],
    ['teams/*/team.yaml', 'teams/backend/other.yaml', false],
    ['teams/**/team.yaml', 'teams/x/y/team.yaml', true],
    ['cluster-config/**/config.json', 'cluster-config/engineering/dev/config.json', true],
    ['teams', 'teams/backend/team.yaml', true], ['teams/', 'teams/backend/team.yaml', true], ['team', 'teams/x', false],
    ['teams/backend/team.yaml', 'teams/backend/team.yaml', true],
    ['*.json', 'a/b/c.json', true], ['config.?son', 'config.json', true],
    ['x/[bc]*.yaml', 'x/b1.yaml', true], ['x/[!bc]*.yaml', 'x/b1.yaml', false], ['x/[[:digit:]].yaml', 'x/7.yaml', true],
    ['./teams/*/team.yaml', 'teams/a/team.yaml', true],
  ];
  for (const [pattern, file, want] of cases) assert.equal(gitPathspecMatch(pattern, file), want, `${pattern} ~ ${file}`);
});

test('path.Dir and path.Base as in Go', () => {
  const dirs: Array<[string, string]> = [['a/b/c.yaml', 'a/b'], ['c.yaml', '.'], ['/c', '/'], ['a//b', 'a']];
  for (const [p, want] of dirs) assert.equal(goPathDir(p), want, p);
  const bases: Array<[string, string]> = [['a/b/c.yaml', 'c.yaml'], ['', '.'], ['/', '/'], ['a/b/', 'b'], ['.', '.']];
  for (const [p, want] of bases) assert.equal(goPathBase(p), want, p);
});
