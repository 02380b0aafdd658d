import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/kube-object.ts';
import { credentialsForUrl, parseRepositorySecret, type RepositoryEntry } from './repository-secrets.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const secret = (name: string, type: string, data: Record<string, string>, stringData?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': type } },
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])), ...(stringData ? { stringData } : {}),
});
const entry = (s: KubeObject): RepositoryEntry => {
  const parsed = parseRepositorySecret(s);
  assert.ok('kind' in parsed, JSON.stringify(parsed));
  return parsed;
};

test('parses repository and repo-creds Secrets from data and stringData', () => {
  const repo = entry(secret('private', 'repository', { url: 'https://git.example.com/team/app.git', username: 'robot', password: 'pw', insecure: 'true' }));
  assert.deepEqual({ ...repo, unsupported: [...repo.unsupported] }, { secretName: 'private', kind: 'repository', url: 'https://git.example.com/team/app.git',
    type: 'git', username: 'robot', password: 'pw', insecure: true, enableOCI: false, unsupported: [] });
  const creds = entry(secret('tmpl', 'repo-creds', {}, { url: 'git@github.com:org', sshPrivateKey: 'KEY', githubAppID: '1' }));
  assert.equal(creds.kind, 'repo-creds');
  assert.equal(creds.sshPrivateKey, 'KEY');
  assert.deepEqual(creds.unsupported, ['githubAppID']);
});

test('a Secret without url, or with another type, is reported by name', () => {
  const cases: Array<{ s: KubeObject; want: RegExp }> = [
    { s: secret('nourl', 'repository', { username: 'x' }), want: /a repository Secret needs a url/ },
    { s: secret('cluster', 'cluster', { url: 'x' }), want: /not repository or repo-creds/ },
  ];
  for (const c of cases) {
    const parsed = parseRepositorySecret(c.s);
    assert.ok(!('kind' in parsed));
    assert.match(parsed.message, c.want);
    assert.equal(parsed.secretName, c.s.metadata.name);
  }
});

test('own credentials win, else the longest matching template, and a bare repository entry inherits them', () => {
  const entries = [
    entry(secret('org', 'repo-creds', { url: 'https://git.example.com/org', username: 'org-bot', password: 'a' })),
    entry(secret('team', 'repo-creds', { url: 'https://git.example.com/org/team', username: 'team-bot', password: 'b' })),
    entry(secret('own', 'repository', { url: 'https://git.example.com/org/team/special.git', username: 'own-bot', password: 'c' })),
    entry(secret('bare', 'repository', { url: 'https://git.example.com/org/team/insecure', insecure: 'true' })),
    entry(secret('ssh', 'repo-creds', { url: 'git@git.example.com:org', sshPrivateKey: 'K' })),
  ];
  const user = (url: string): string | undefined => credentialsForUrl(url, entries)?.username;
  assert.equal(user('https://git.example.com/org/team/special'), 'own-bot');
  assert.equal(user('https://git.example.com/org/team/other.git'), 'team-bot');
  assert.equal(user('https://git.example.com/org/lib'), 'org-bot');
  assert.equal(credentialsForUrl('https://elsewhere.example.com/org/lib', entries), undefined);
  const inherited = credentialsForUrl('https://git.example.com/org/team/insecure', entries)!;
  assert.equal(inherited.username, 'team-bot');
  assert.equal(inherited.insecure, true, 'the repository keeps its own insecure flag');
  assert.equal(credentialsForUrl('ssh://git@git.example.com/org/repo.git', entries)?.sshPrivateKey, 'K', 'scp-style templates match ssh URLs');
});
