// The git source layer on real repositories: revision resolution, shared
// fetches, content-addressed checkouts, tree hashes per path, and errors that
// name the repository without leaking credentials.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CapstanError } from '../../src/errors.ts';
import { RepositoryStore } from '../../src/source/repository-store.ts';
import { TestRepo } from '../harness/git-repo.ts';

function setup(t: { after(fn: () => void): void }) {
  const repo = new TestRepo();
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'capstan-cache-'));
  t.after(() => { repo.remove(); rmSync(cacheDir, { recursive: true, force: true }); });
  return { repo, store: new RepositoryStore({ cacheDir }) };
}

test('targetRevision resolves branches, tags, HEAD, commits, prefixes and semver constraints', async (t) => {
  const { repo, store } = setup(t);
  const c1 = repo.commit({ 'app/a.yaml': 'v: 1\n' }); repo.tag('v1.0.0');
  const c2 = repo.commit({ 'app/a.yaml': 'v: 2\n' }); repo.tag('v1.2.0');
  repo.branch('feature'); const c3 = repo.commit({ 'app/a.yaml': 'v: 3\n' }); repo.checkout('main');
  const c4 = repo.commit({ 'app/a.yaml': 'v: 4\n' }); repo.tag('v2.0.0');
  const mirror = store.get(`file://${repo.dir}`);
  const cases: Array<[string, string]> = [
    ['HEAD', c4], ['main', c4], ['feature', c3], ['v1.0.0', c1], ['v1.*', c2], ['>=1.0.0 <2.0.0', c2], [c1, c1], [c3.slice(0, 8), c3],
  ];
  for (const [rev, want] of cases) assert.equal((await mirror.resolve(rev)).commit, want, rev);
  await assert.rejects(mirror.resolve('nope'), (err: unknown) => err instanceof CapstanError && err.code === 'UnknownRevision'
    && err.message.includes(repo.dir) && err.message.includes('"nope"'));
});

test('concurrent fetches share one, and a refresh generation fetches once', async (t) => {
  const { repo, store } = setup(t);
  repo.commit({ 'a.txt': '1' });
  const mirror = store.get(repo.dir);
  await Promise.all(Array.from({ length: 8 }, () => mirror.fetch()));
  assert.equal(mirror.fetchCount, 1);
  const gen = store.nextGeneration();
  await Promise.all(Array.from({ length: 8 }, () => mirror.fetch(gen)));
  await mirror.fetch(gen);
  assert.equal(mirror.fetchCount, 2);
  const c2 = repo.commit({ 'a.txt': '2' });
  assert.notEqual((await mirror.resolve('HEAD')).commit, c2, 'no new commit before a refresh');
  await mirror.fetch(store.nextGeneration());
  assert.equal((await mirror.resolve('HEAD')).commit, c2);
});

test('fetchIfOlderThan fetches only when the last fetch, by anyone, is older than the age asked for', async (t) => {
  const { repo, store } = setup(t);
  repo.commit({ 'a.txt': '1' });
  const mirror = store.get(repo.dir);
  await mirror.fetchIfOlderThan(60_000);
  assert.equal(mirror.fetchCount, 1, 'a mirror never fetched fetches');
  await mirror.fetchIfOlderThan(60_000);
  assert.equal(mirror.fetchCount, 1, 'a fresh fetch is reused');
  const c2 = repo.commit({ 'a.txt': '2' });
  await new Promise((resolve) => setTimeout(resolve, 30));
  await Promise.all([mirror.fetchIfOlderThan(20), mirror.fetchIfOlderThan(20)]);
  assert.equal(mirror.fetchCount, 2, 'an older one fetches again, once for concurrent callers');
  assert.equal((await mirror.resolve('HEAD')).commit, c2);
});

test('two URLs that lead to one repository share one mirror: concurrent fetches never collide, both hear of them', async (t) => {
  const repo = new TestRepo();
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'capstan-cache-'));
  t.after(() => { repo.remove(); rmSync(cacheDir, { recursive: true, force: true }); });
  const store = new RepositoryStore({ cacheDir, rewrite: (url) => (url.startsWith('https://git.example/') ? repo.dir : url) });
  const heard: string[] = [];
  store.onFetched((url) => heard.push(url));
  repo.commit({ 'a.txt': '1' });
  const a = store.get('https://git.example/acme/r.git');
  const b = store.get('https://git.example/acme/r');
  assert.equal(a, b);
  for (let i = 2; i < 6; i++) {
    const c = repo.commit({ 'a.txt': String(i) });
    await Promise.all([a.fetch(), b.fetch(), a.fetch(store.nextGeneration())]);
    assert.equal((await b.resolve('HEAD')).commit, c);
  }
  assert.deepEqual([...new Set(heard)].sort(), ['https://git.example/acme/r', 'https://git.example/acme/r.git']);
});

test('checkouts are content-addressed and tree hashes change only with their path', async (t) => {
  const { repo, store } = setup(t);
  const c1 = repo.commit({ 'apps/a/x.yaml': 'a: 1\n', 'apps/b/y.yaml': 'b: 1\n' });
  const c2 = repo.commit({ 'apps/b/y.yaml': 'b: 2\n' });
  const mirror = store.get(repo.dir);
  await mirror.fetch();
  const [d1 = '', ...again] = await Promise.all(Array.from({ length: 8 }, () => mirror.checkout(c1)));
  assert.ok(again.every((d) => d === d1));
  assert.equal(mirror.extractCount, 1, 'concurrent readers of one commit share one extraction');
  assert.equal(readFileSync(path.join(d1, 'apps/b/y.yaml'), 'utf8'), 'b: 1\n');
  assert.equal(readFileSync(path.join(await mirror.checkout(c2), 'apps/b/y.yaml'), 'utf8'), 'b: 2\n');
  assert.equal(await mirror.treeHash(c1, 'apps/a'), await mirror.treeHash(c2, 'apps/a'));
  assert.notEqual(await mirror.treeHash(c1, 'apps/b'), await mirror.treeHash(c2, 'apps/b'));
  assert.equal(await mirror.treeHash(c1, 'missing'), undefined);
  assert.equal(await mirror.treeHash(c1, 'apps/a/x.yaml'), repo.git('rev-parse', `${c1}:apps/a/x.yaml`), 'a file path is hashed too');
  assert.equal(await mirror.treeHash(c1, '.'), repo.git('rev-parse', `${c1}^{tree}`));
  assert.ok(existsSync(d1));
});

test('an unreachable repository is a clear error without the password', async (t) => {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'capstan-cache-'));
  t.after(() => rmSync(cacheDir, { recursive: true, force: true }));
  const store = new RepositoryStore({ cacheDir, timeoutMs: 10_000,
    credentialsFor: () => ({ username: 'robot', password: 's3cr3t-value' }) });
  const url = 'https://robot:s3cr3t-value@127.0.0.1:1/org/repo.git';
  await assert.rejects(store.get(url).fetch(), (err: unknown) => {
    assert.ok(err instanceof CapstanError);
    assert.equal(err.code, 'RepositoryUnreachable');
    assert.doesNotMatch(err.message, /s3cr3t-value/);
    assert.match(err.message, /127\.0\.0\.1:1/);
    return true;
  });
});
