// status.summary.images on a real cluster, as Argo CD collects them: from the
// live Pods in the app's tree (a Deployment's through its ReplicaSets, a
// managed Pod's own, init containers included), not from the manifests — a
// Deployment scaled to zero shows none, and a rollout shows the new image
// once the new pods run and the old image until its pods are gone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Application } from '../../src/api/application.ts';
import { AppHarness, deploymentYaml } from '../harness/app-harness.ts';

let h: AppHarness;
before(async () => { h = await AppHarness.start('summary'); });
after(async () => { await h.close(); });

const deployment = (name: string, replicas: number, image: string): string =>
  deploymentYaml(name, { replicas, image, initImage: `example/${name}-init:1` });
const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: solo}\nspec: {containers: [{name: c, image: "example/solo:1"}]}\n';
const images = (a: Application): string[] => a.status?.summary?.images ?? [];

test('summary images are the images of the app\'s live Pods', async () => {
  const dest = h.dest('summary');
  const repo = h.repo({ 'app/web.yaml': deployment('web', 2, 'example/web:1'), 'app/idle.yaml': deployment('idle', 0, 'example/idle:1'),
    'app/solo.yaml': pod });
  await h.createApp('images', { repo, dest, syncPolicy: { syncOptions: ['CreateNamespace=true'] }, operation: { sync: {} } });
  assert.equal((await h.finished('images')).status?.operationState?.phase, 'Succeeded');
  const want = ['example/solo:1', 'example/web-init:1', 'example/web:1'];
  const first = await h.waitApp('images', 'the running pods\' images', (a) => (images(a).join() === want.join() ? a : undefined));
  assert.ok(!images(first).includes('example/idle:1'), 'a Deployment with no pods adds no image');

  repo.commit({ 'app/web.yaml': deployment('web', 2, 'example/web:2') });
  await h.refresh('images');
  await h.waitApp('images', 'OutOfSync at the new commit', (a) => (a.status?.sync?.status === 'OutOfSync' ? a : undefined));
  await h.sync('images');
  await h.waitApp('images', 'only the new pods\' image once the rollout is done', (a) => (a.status?.health?.status === 'Healthy'
    && images(a).join() === ['example/solo:1', 'example/web-init:1', 'example/web:2'].join() ? a : undefined));
});
