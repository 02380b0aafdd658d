import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestRepo } from '../../test/harness/git-repo.ts';
import { RepositoryStore } from './repository-store.ts';
import { commitDirectories, commitFiles, compareWalkOrder, localTree } from './tree-listing.ts';

const files = { 'a/b/f.yaml': 'x', 'a-c/g.yaml': 'y', '.hidden/x/h.yaml': 'z', 'a/.dot/i.yaml': 'w', 'top.yaml': 't', 'a/b/c/d.json': '{}' };

test('directories in filepath.WalkDir order, dot-directories left out; files selected with their contents', async (t) => {
  const repo = new TestRepo();
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'capstan-tree-'));
  t.after(() => { repo.remove(); rmSync(cacheDir, { recursive: true, force: true }); });
  const commit = repo.commit(files);
  const store = new RepositoryStore({ cacheDir });
  const fetches: string[] = [];
  store.onFetched((url) => fetches.push(url));
  const mirror = store.get(repo.dir);
  await mirror.fetch();
  assert.deepEqual(fetches, [repo.dir], 'listeners hear of each fetch');
  const want = ['a', 'a/b', 'a/b/c', 'a-c'];
  assert.deepEqual(await commitDirectories(mirror, commit), want, 'git lists a-c before a; the walk does not');
  const selected = await commitFiles(mirror, commit, (f) => f.endsWith('.yaml'));
  assert.deepEqual([...selected.keys()].sort(), ['.hidden/x/h.yaml', 'a-c/g.yaml', 'a/.dot/i.yaml', 'a/b/f.yaml', 'top.yaml']);
  assert.equal(selected.get('a-c/g.yaml'), 'y');
  const local = await localTree(repo.dir);
  assert.deepEqual(local.directories, want, 'a working tree lists the same');
  assert.deepEqual([...local.files].sort(), Object.keys(files).sort());
  assert.ok(compareWalkOrder('a/b', 'a-c') < 0 && compareWalkOrder('a', 'a/b') < 0 && compareWalkOrder('b', 'a/z') > 0);
});
