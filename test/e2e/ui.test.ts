// The web UI end to end in Debian's Chromium against the real engine and API
// server on the shared test cluster: a wrong password is refused in the
// server's words; after login an app created meanwhile appears and turns
// Synced and Healthy without a reload (the watch stream); a manual app is
// synced from the sync dialog and converges; after a drift its tree shows the
// ConfigMap out of sync with the diff live → git, and its Secret's value is
// never in the page (only masks); a new commit is picked up by Refresh and
// synced; the history rolls back to the first deployment (the cluster follows),
// while an automated app's history says why it cannot; the ApplicationSets page
// lists a set and what it generated. Screenshots of each page go to a temp
// directory named in the test's output.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { Application } from '../../src/api/application.ts';
import { startEngine, type Engine } from '../../src/engine.ts';
import { startApiServer, type RunningServer } from '../../src/server/start-server.ts';
import { uiBuildDir } from '../../scripts/build-ui.ts';
import { launchBrowser, type TestBrowser } from '../harness/browser.ts';
import { useTestCluster } from '../harness/cluster.ts';
import { eventually } from '../harness/eventually.ts';
import { TestRepo } from '../harness/git-repo.ts';
import { cmYaml, gatedDeploymentYaml } from '../harness/app-harness.ts';

const ns = `ui-${process.pid}`;
const dest = `ui-web-${process.pid}`;
const autoDest = `ui-auto-${process.pid}`;
const secretValue = `s3cret-${process.pid}-do-not-show`;
const secretBase64 = Buffer.from(secretValue).toString('base64');

let engine: Engine;
let server: RunningServer;
let browser: TestBrowser;
let page: Page;
let repo: TestRepo;
let autoRepo: TestRepo;
let cacheDir: string;
const namespaces: string[] = [ns, dest, autoDest];
const repos: TestRepo[] = [];
// Kept for review after the run: in the runner's artifacts directory (kept until the next run), else the temp directory.
const shots = mkdtempSync(path.join(process.env['CAPSTAN_TEST_ARTIFACTS'] ?? os.tmpdir(), 'capstan-ui-shots-'));

const configMap = (mode: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: ${mode}\n  replicas: "1"\n`;
const secret = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\ntype: Opaque\nstringData:\n  password: ${secretValue}\n`;
const deployment = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1
  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}
    spec:\n      containers: [{name: web, image: "example/web:1"}]\n`;

function application(name: string, repoDir: string, destination: string, automated: boolean): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: ns },
    spec: { project: 'default', source: { repoURL: repoDir, path: 'app', targetRevision: 'HEAD' },
      destination: { server: 'https://kubernetes.default.svc', namespace: destination },
      syncPolicy: { ...(automated ? { automated: { prune: true } } : {}), syncOptions: ['CreateNamespace=true'] } },
  };
}

async function app(name: string): Promise<Application> {
  return (await engine.client.get('argoproj.io/v1alpha1', 'Application', ns, name)) as unknown as Application;
}

/** Waits until the element's text matches (the page updates by itself; nothing reloads). */
async function waitText(locator: Locator, pattern: RegExp, what: string, timeoutMs = 60_000): Promise<string> {
  return eventually(what, async () => {
    const text = await locator.innerText({ timeout: 1000 }).catch(() => '');
    return pattern.test(text) ? text : undefined;
  }, timeoutMs, async () => locator.innerText({ timeout: 1000 }).catch((e: unknown) => String(e)));
}

/** The Secret's value, clear or base64, is nowhere in the page: not in text, attributes or scripts' output. */
async function assertNoSecretInPage(where: string): Promise<void> {
  const html = await page.content();
  assert.ok(!html.includes(secretValue), `${where}: the Secret's value is in the page`);
  assert.ok(!html.includes(secretBase64), `${where}: the Secret's base64 value is in the page`);
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

async function openApp(name: string, tab = 'summary'): Promise<void> {
  await page.goto(`${server.url}/#/applications/${name}?tab=${tab}`);
  await page.locator('.detail-header h1').waitFor();
}

async function syncFromDialog(name: string): Promise<void> {
  await openApp(name);
  await page.getByRole('button', { name: 'Sync…' }).click();
  const dialog = page.locator('dialog[open]');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Synchronize' }).click();
  await dialog.waitFor({ state: 'detached' });
}

before(async () => {
  assert.ok(existsSync(path.join(uiBuildDir, 'index.html')), `${uiBuildDir} has no build: run 'bash scripts/ensure-deps.sh'`);
  const cluster = await useTestCluster();
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'capstan-ui-cache-'));
  engine = await startEngine({ kubeconfigPath: cluster.kubeconfigPath, namespace: ns, cacheDir, waveDelayMs: 0 });
  server = await startApiServer({ client: engine.client, namespace: ns, port: 0, engine, uiDir: uiBuildDir, verifyDelayMs: [0, 0] });
  repo = new TestRepo();
  repo.commit({ 'app/settings.yaml': configMap('blue'), 'app/creds.yaml': secret, 'app/web.yaml': deployment }, 'first');
  autoRepo = new TestRepo();
  autoRepo.commit({ 'app/settings.yaml': configMap('auto') }, 'first');
  browser = await launchBrowser({ viewport: { width: 1440, height: 900 } });
  page = browser.page;
  process.stderr.write(`ui screenshots: ${shots}\n`);
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (engine !== undefined) {
    for (const a of await engine.client.list('argoproj.io/v1alpha1', 'Application', { namespace: ns }).catch(() => [])) {
      await engine.client.patch(a, { metadata: { finalizers: [] } }, 'merge').catch(() => undefined);
    }
    for (const n of namespaces) {
      await engine.client.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } }).catch(() => undefined);
    }
    engine.close();
  }
  for (const r of [repo, autoRepo, ...repos]) r?.remove();
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
});

test('a wrong password is refused with the server\'s message; then the list shows an app going Synced and Healthy live', { timeout: 120_000 }, async () => {
  assert.ok(server.generatedPassword, 'the server generated the admin password');
  await page.goto(server.url);
  await page.locator('#login-password').waitFor();
  await shot('01-login');
  await page.fill('#login-username', 'admin');
  await page.fill('#login-password', 'not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const refusal = await waitText(page.getByRole('alert'), /Invalid username or password/, 'the refusal');
  assert.match(refusal, /^Sign-in failed: /);
  await page.fill('#login-password', server.generatedPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Applications' }).waitFor();

  // Created after the page loaded: it arrives through the stream, then its status changes in place.
  await engine.client.create(application('auto', autoRepo.dir, autoDest, true) as never);
  const row = page.locator('tr[data-app="auto"]');
  await waitText(row, /Synced[\s\S]*Healthy/, 'auto Synced and Healthy in the list');
  await page.reload();
  await waitText(page.locator('tr[data-app="auto"]'), /Synced[\s\S]*Healthy/, 'the session survives a reload');
});

test('a manual app is synced from the sync dialog and converges', { timeout: 120_000 }, async () => {
  await engine.client.create(application('web', repo.dir, dest, false) as never);
  await waitText(page.locator('tr[data-app="web"]'), /OutOfSync/, 'web OutOfSync in the list');
  await shot('02-list');
  await openApp('web');
  await page.getByRole('button', { name: 'Sync…' }).click();
  const dialog = page.locator('dialog[open]');
  await dialog.waitFor();
  await waitText(dialog, /Resources \(3 of 3 selected\)/, 'every resource offered and selected');
  await shot('03-sync-dialog');
  await dialog.getByRole('button', { name: 'Synchronize' }).click();
  await dialog.waitFor({ state: 'detached' });
  await waitText(page.locator('.detail-status'), /Synced[\s\S]*Healthy[\s\S]*Succeeded/, 'web Synced, Healthy, operation Succeeded');
  const synced = await app('web');
  assert.equal(synced.status?.operationState?.operation.initiatedBy?.username, 'admin', 'the sync is recorded as the signed-in user');
  await waitText(page.locator('#tab-panel'), /Result per resource[\s\S]*creds[\s\S]*settings[\s\S]*web/, 'per-resource results');
  await shot('04-summary');
  await assertNoSecretInPage('summary');
});

test('after a drift the tree and the diff show it, and the Secret is masked everywhere', { timeout: 120_000 }, async () => {
  await engine.client.patch({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: dest } }, { data: { mode: 'drifted' } }, 'merge');
  await openApp('web', 'tree');
  const tree = page.getByRole('tree');
  const cm = tree.locator(`[data-node-key="/ConfigMap/${dest}/settings"]`);
  await waitText(cm.locator('.node-status'), /OutOfSync/, 'the ConfigMap out of sync in the tree');
  await waitText(tree, /web[\s\S]*ReplicaSet[\s\S]*Pod/, 'the Deployment\'s ReplicaSet and Pod under it');
  await cm.locator('.node-name').click();
  await page.locator('#panel-tab-diff').click();
  await waitText(page.locator('.resource-panel .diff'), /-\s+mode: drifted[\s\S]*\+\s+mode: blue/, 'the ConfigMap diff live → git');
  await shot('05-tree-diff');

  await tree.locator(`[data-node-key="/Secret/${dest}/creds"] .node-name`).click();
  await page.locator('#panel-tab-manifest').click();
  await waitText(page.locator('.resource-panel .code'), /password: \++/, 'the Secret\'s manifest with its value masked');
  await shot('06-tree-secret');
  await assertNoSecretInPage('the Secret\'s live manifest');
  await page.locator('#panel-tab-diff').click();
  await assertNoSecretInPage('the Secret\'s diff');

  // Keyboard: the tree is reachable and walkable with the arrow keys.
  await tree.locator('[role=treeitem][tabindex="0"]').focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  assert.match(page.url(), /node=/);

  await openApp('web', 'diff');
  await waitText(page.locator('.diff-tab'), /1 of 3 resources differ[\s\S]*-\s+mode: drifted[\s\S]*\+\s+mode: blue/, 'the diff tab');
  await page.getByLabel('Show all resources').check();
  await waitText(page.locator('.diff-tab'), /creds/, 'every resource shown');
  await shot('07-diff');
  await assertNoSecretInPage('the diff tab');
});

test('a sync from the UI repairs the drift; a new commit is found by Refresh and synced; rollback returns to the first deployment', { timeout: 180_000 }, async () => {
  await syncFromDialog('web');
  await waitText(page.locator('.detail-status'), /Synced[\s\S]*Healthy/, 'web Synced again');
  const repaired = await engine.client.get('v1', 'ConfigMap', dest, 'settings');
  assert.equal((repaired?.['data'] as Record<string, string>)['mode'], 'blue');

  const second = repo.commit({ 'app/settings.yaml': configMap('green') }, 'second');
  await openApp('web');
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  await waitText(page.locator('.detail-status'), /OutOfSync/, 'OutOfSync after Refresh finds the commit');
  await syncFromDialog('web');
  await waitText(page.locator('.detail-status'), /Synced[\s\S]*Healthy/, 'web Synced at the second commit');
  assert.equal((await app('web')).status?.sync?.revision, second);

  await openApp('web', 'history');
  const history = (await app('web')).status?.history ?? [];
  assert.ok(history.length >= 2, `two deployments recorded: ${JSON.stringify(history)}`);
  const first = history[0]!;
  await page.locator(`tr[data-history-id="${history.at(-1)!.id}"]`).getByText('current').waitFor();
  await shot('08-history');
  await page.locator(`tr[data-history-id="${first.id}"]`).getByRole('button', { name: 'Rollback' }).click();
  const dialog = page.locator('dialog[open]');
  await dialog.getByRole('button', { name: 'Roll back' }).click();
  await dialog.waitFor({ state: 'detached' });
  await eventually('the ConfigMap back at the first commit', async () => {
    const cm = await engine.client.get('v1', 'ConfigMap', dest, 'settings');
    return (cm?.['data'] as Record<string, string> | undefined)?.['mode'] === 'blue' ? true : undefined;
  }, 60_000);
  await waitText(page.locator('.detail-status'), /OutOfSync[\s\S]*Succeeded/, 'rolled back: out of sync with git');

  await openApp('auto', 'history');
  await waitText(page.locator('#tab-panel'), /Rollback cannot be initiated when auto-sync is enabled/, 'the automated app says why it cannot roll back');
  await assertNoSecretInPage('history');
});

test('a sync waiting on an unhealthy wave is terminated from the UI', { timeout: 120_000 }, async () => {
  const slowDest = `ui-slow-${process.pid}`;
  namespaces.push(slowDest);
  const gate = `capstan-ui-gate-${process.pid}`;
  const slowRepo = new TestRepo();
  repos.push(slowRepo);
  slowRepo.commit({ 'app/web.yaml': gatedDeploymentYaml('stuck', gate), 'app/later.yaml': cmYaml('later', { k: 'v' }, { 'argocd.argoproj.io/sync-wave': '1' }) });
  await engine.client.create(application('slow', slowRepo.dir, slowDest, false) as never);
  await page.goto(`${server.url}/#/applications`);
  await waitText(page.locator('tr[data-app="slow"]'), /OutOfSync/, 'slow listed');
  await syncFromDialog('slow');
  await waitText(page.locator('.detail-status'), /Operation[\s\S]*Running/, 'the sync waits for the Deployment');
  const terminate = page.getByRole('button', { name: 'Terminate' });
  await eventually('Terminate enabled', async () => ((await terminate.isEnabled()) ? true : undefined), 30_000);
  await terminate.click();
  await waitText(page.locator('.detail-status'), /Failed/, 'the operation ended by the terminate request');
  const ended = await app('slow');
  assert.equal(ended.status?.operationState?.message, 'Operation terminated');
  assert.equal(await engine.client.get('v1', 'ConfigMap', slowDest, 'later'), undefined, 'the later wave never ran');
});

test('the ApplicationSets page lists a set, its conditions and the apps it generated', { timeout: 120_000 }, async () => {
  await engine.client.create({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'envs', namespace: ns },
    spec: { goTemplate: true, generators: [{ list: { elements: [{ env: 'qa' }] } }],
      template: { metadata: { name: 'envs-{{.env}}' }, spec: { project: 'default',
        source: { repoURL: autoRepo.dir, path: 'app', targetRevision: 'HEAD' },
        destination: { server: 'https://kubernetes.default.svc', namespace: `ui-{{.env}}-${process.pid}` } } } },
  } as never);
  await page.goto(`${server.url}/#/applicationsets`);
  const row = page.locator('tr[data-appset="envs"]');
  await waitText(row, /list[\s\S]*ResourcesUpToDate[\s\S]*envs-qa/, 'the set with its generator, conditions and app', 90_000);
  await shot('09-appsets');
  await page.goto(`${server.url}/#/applications`);
  await page.getByRole('heading', { name: 'Applications' }).waitFor();
  await page.getByRole('checkbox', { name: 'OutOfSync' }).check();
  await waitText(page.locator('main'), /of \d+ applications/, 'the filtered count');
  assert.match(page.url(), /sync=OutOfSync/);
  await shot('10-list-filtered');
  await assertNoSecretInPage('the list');
});
