import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runBuildScript, sharedBuild } from './cached-build.ts';
import { hasErrorCode } from './errors.ts';

async function withScript(body: string, fn: (script: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'capstan-build-'));
  try {
    const script = path.join(dir, 'build.sh');
    await writeFile(script, body);
    await fn(script);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => { text += chunk.toString(); });
  return { stream, text: () => text };
}

test('runBuildScript resolves to the last stdout line and hides cache-hit chatter', async () => {
  await withScript('echo "thing: cached in /x" >&2\necho noise\necho /cache/thing/abc\n', async (script) => {
    const progress = collect();
    const dir = await runBuildScript({ script, errorCode: 'E', what: 'the thing', logHint: 'L', quietPrefix: 'thing: cached' }, progress.stream);
    assert.equal(dir, '/cache/thing/abc');
    assert.equal(progress.text(), '');
  });
  await withScript('echo "thing: building" >&2\necho /cache/thing/def\n', async (script) => {
    const progress = collect();
    await runBuildScript({ script, errorCode: 'E', what: 'the thing', logHint: 'L', quietPrefix: 'thing: cached' }, progress.stream);
    assert.equal(progress.text(), 'thing: building\n');
  });
});

test('a failed build is a typed error naming what, the script, its exit code and the log', async () => {
  await withScript('echo half >&2\nexit 3\n', async (script) => {
    await assert.rejects(
      runBuildScript({ script, errorCode: 'ThingBuildFailed', what: 'the thing', logHint: '/logs/thing.log' }, new PassThrough()),
      (err: unknown) => hasErrorCode(err, 'ThingBuildFailed')
        && err.message === `building the thing failed (${script} exited 3); its log is in /logs/thing.log`,
    );
  });
});

test('sharedBuild runs once for concurrent callers and again after a failure', async () => {
  let runs = 0;
  let fail = true;
  const build = sharedBuild(async (arg: string) => {
    runs += 1;
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (fail) throw new Error(`failed for ${arg}`);
    return `${arg}#${runs}`;
  });
  await assert.rejects(Promise.all([build('a'), build('b')]), /failed for a/);
  assert.equal(runs, 1);
  fail = false;
  assert.deepEqual(await Promise.all([build('c'), build('d')]), ['c#2', 'c#2']);
  assert.equal(await build('e'), 'c#2', 'a finished build is kept');
  assert.equal(runs, 2);
});
