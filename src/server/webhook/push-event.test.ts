import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { detectProvider, parsePushEvent, parseRevision, verifyWebhook, WebhookRefused } from './push-event.ts';

const githubPush = {
  ref: 'refs/heads/main', before: 'a'.repeat(40), after: 'b'.repeat(40),
  repository: { html_url: 'https://github.com/acme/platform', default_branch: 'main' },
  commits: [{ added: ['apps/web/new.yaml'], modified: ['apps/api/deploy.yaml'], removed: [] }, { added: [], modified: [], removed: ['old.txt'] }],
};

test('the provider comes from its event header, Gogs before GitHub', () => {
  assert.equal(detectProvider({ 'x-github-event': 'push' }), 'github');
  assert.equal(detectProvider({ 'x-gogs-event': 'push', 'x-github-event': 'push' }), 'gogs');
  assert.equal(detectProvider({ 'x-gitlab-event': 'Push Hook' }), 'gitlab');
  assert.equal(detectProvider({ 'x-hook-uuid': 'u', 'x-event-key': 'repo:push' }), 'bitbucket');
  assert.equal(detectProvider({ 'x-event-key': 'repo:refs_changed' }), 'bitbucketserver');
  assert.equal(detectProvider({ 'x-vss-activityid': '1' }), 'azuredevops');
  assert.equal(detectProvider({ 'content-type': 'application/json' }), undefined);
});

test('revisions lose refs/heads/ and refs/tags/ only', () => {
  assert.equal(parseRevision('refs/heads/main'), 'main');
  assert.equal(parseRevision('refs/heads/feature/x'), 'feature/x');
  assert.equal(parseRevision('refs/tags/v1.2.0'), 'v1.2.0');
  assert.equal(parseRevision('main'), 'main');
});

test('a GitHub push: web URL, branch, default branch and the files of every commit', () => {
  const push = parsePushEvent('github', { 'x-github-event': 'push' }, githubPush);
  assert.deepEqual(push, { provider: 'github', webURLs: ['https://github.com/acme/platform'], revision: 'main', touchedHead: true,
    changedFiles: ['apps/web/new.yaml', 'apps/api/deploy.yaml', 'old.txt'] });
  assert.equal(parsePushEvent('github', { 'x-github-event': 'ping' }, {}), 'ping');
  assert.throws(() => parsePushEvent('github', { 'x-github-event': 'issues' }, {}), WebhookRefused);
  const branch = parsePushEvent('github', { 'x-github-event': 'push' }, { ...githubPush, ref: 'refs/heads/dev' });
  assert.equal(branch !== 'ping' && branch.touchedHead, false);
});

test('GitLab, Gogs, Bitbucket Cloud and Server, Azure DevOps payloads', () => {
  assert.deepEqual(parsePushEvent('gitlab', { 'x-gitlab-event': 'Tag Push Hook' }, { ref: 'refs/tags/v2', project: { web_url: 'https://gitlab.com/g/r', default_branch: 'main' }, commits: [] }),
    { provider: 'gitlab', webURLs: ['https://gitlab.com/g/r'], revision: 'v2', touchedHead: false, changedFiles: [] });
  const gogs = parsePushEvent('gogs', { 'x-gogs-event': 'push' }, { ref: 'refs/heads/main', repository: { html_url: 'https://gogs.local/o/r', default_branch: 'main' }, commits: [{ modified: ['a'] }] });
  assert.deepEqual(gogs !== 'ping' && [gogs.webURLs, gogs.touchedHead, gogs.changedFiles], [['https://gogs.local/o/r'], true, ['a']]);
  assert.deepEqual(parsePushEvent('bitbucket', { 'x-event-key': 'repo:push' }, { repository: { links: { html: { href: 'https://bitbucket.org/o/r' } } }, push: { changes: [{ new: { name: 'main' } }] } }),
    { provider: 'bitbucket', webURLs: ['https://bitbucket.org/o/r'], revision: 'main', touchedHead: true, changedFiles: [] });
  const server = parsePushEvent('bitbucketserver', { 'x-event-key': 'repo:refs_changed' }, { repository: { links: { clone: [
    { name: 'http', href: 'https://bb.local/scm/p/r.git' }, { name: 'ssh', href: 'ssh://git@bb.local:7999/p/r.git' }] } }, changes: [{ ref: { id: 'refs/heads/main' } }] });
  assert.deepEqual(server !== 'ping' && [server.webURLs, server.revision], [['https://bb.local/scm/p/r.git', 'ssh://git@bb.local:7999/p/r.git'], 'main']);
  assert.equal(parsePushEvent('bitbucketserver', { 'x-event-key': 'diagnostics:ping' }, {}), 'ping');
  const azure = parsePushEvent('azuredevops', {}, { eventType: 'git.push', resource: { repository: { remoteUrl: 'https://dev.azure.com/o/p/_git/r', defaultBranch: 'refs/heads/main' },
    refUpdates: [{ name: 'refs/heads/main' }] } });
  assert.deepEqual(azure !== 'ping' && [azure.revision, azure.touchedHead], ['main', true]);
});

test('secrets: HMAC signatures, tokens and UUIDs are checked when configured, and only then', () => {
  const body = Buffer.from(JSON.stringify(githubPush));
  const sign = (alg: 'sha1' | 'sha256', secret: string): string => `${alg}=${createHmac(alg, secret).update(body).digest('hex')}`;
  verifyWebhook('github', {}, body, {});
  verifyWebhook('github', { 'x-hub-signature-256': sign('sha256', 's3cret') }, body, { github: 's3cret' });
  verifyWebhook('github', { 'x-hub-signature': sign('sha1', 's3cret') }, body, { github: 's3cret' });
  assert.throws(() => verifyWebhook('github', { 'x-hub-signature-256': sign('sha256', 'other') }, body, { github: 's3cret' }), /GitHub webhook HMAC verification failed/);
  assert.throws(() => verifyWebhook('github', {}, body, { github: 's3cret' }), /missing X-Hub-Signature-256 Header/);
  assert.throws(() => verifyWebhook('github', { 'x-hub-signature-256': sign('sha256', 's3cret') }, Buffer.from(`${body} `), { github: 's3cret' }), /HMAC/, 'a changed body fails');
  verifyWebhook('gitlab', { 'x-gitlab-token': 'tok' }, body, { gitlab: 'tok' });
  assert.throws(() => verifyWebhook('gitlab', { 'x-gitlab-token': 'nope' }, body, { gitlab: 'tok' }), /GitLab webhook token verification failed/);
  verifyWebhook('gogs', { 'x-gogs-signature': createHmac('sha256', 'g').update(body).digest('hex') }, body, { gogs: 'g' });
  assert.throws(() => verifyWebhook('gogs', { 'x-gogs-signature': 'ab' }, body, { gogs: 'g' }), /Gogs webhook HMAC verification failed/);
  assert.throws(() => verifyWebhook('bitbucket', { 'x-hook-uuid': 'x' }, body, { bitbucketUUID: 'y' }), /UUID verification failed/);
  verifyWebhook('bitbucketserver', { 'x-hub-signature': sign('sha256', 'b') }, body, { bitbucketServer: 'b' });
  const basic = `Basic ${Buffer.from('u:p').toString('base64')}`;
  verifyWebhook('azuredevops', { authorization: basic }, body, { azureDevOpsUsername: 'u', azureDevOpsPassword: 'p' });
  assert.throws(() => verifyWebhook('azuredevops', {}, body, { azureDevOpsUsername: 'u', azureDevOpsPassword: 'p' }), /basic auth verification failed/);
  assert.throws(() => verifyWebhook('github', { 'x-hub-signature-256': sign('sha256', 'other') }, body, { github: 's3cret' }),
    (err: unknown) => err instanceof Error && !err.message.includes('s3cret'), 'the message never holds the secret');
});
