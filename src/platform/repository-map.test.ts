import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CapstanError } from '../errors.ts';
import { parseRepoMappings, readRepositoryMap, rewriterFromMap, writeRepositoryMap } from './repository-map.ts';

test('--repo flags map URLs; a flag without URL=PATH is a usage error', () => {
  assert.deepEqual([...parseRepoMappings(['cnoe://shop=/srv/shop', 'https://x/y=/a=b'])], [['cnoe://shop', '/srv/shop'], ['https://x/y', '/a=b']]);
  for (const bad of ['nothing', '=/p', 'url=']) {
    assert.throws(() => parseRepoMappings([bad]), (err: unknown) => err instanceof CapstanError && err.code === 'Usage' && err.message.includes(bad));
  }
});

test('exact URLs first, then the cnoe:// folder a longer URL belongs to, else unchanged', () => {
  const rewrite = rewriterFromMap(new Map([['cnoe://shop', '/srv/shop'], ['https://git/x', '/srv/x'], ['cnoe://shop/special', '/srv/special']]));
  const cases: Array<[string, string]> = [
    ['cnoe://shop', '/srv/shop'], ['cnoe://shop/manifests', '/srv/shop'], ['cnoe://shop/special', '/srv/special'],
    ['https://git/x', '/srv/x'], ['https://git/x/y', 'https://git/x/y'], ['cnoe://other', 'cnoe://other'],
  ];
  for (const [url, want] of cases) assert.equal(rewrite(url), want, url);
});

test('the map written beside a kubeconfig reads back; a broken file names itself', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'capstan-map-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const kubeconfig = path.join(dir, 'admin.kubeconfig');
  assert.equal(readRepositoryMap(kubeconfig).size, 0);
  writeRepositoryMap(kubeconfig, new Map([['cnoe://a', '/r/a']]));
  assert.deepEqual([...readRepositoryMap(kubeconfig)], [['cnoe://a', '/r/a']]);
  writeFileSync(path.join(dir, 'repositories.json'), '{oops');
  assert.throws(() => readRepositoryMap(kubeconfig), (err: unknown) => err instanceof CapstanError && err.message.includes('repositories.json'));
});
