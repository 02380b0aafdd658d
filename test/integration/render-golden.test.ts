// Rendered output of the example platforms compared with reviewed golden
// files in test/testdata/render/ (UPDATE_GOLDEN=1 rewrites them; review the
// diff): Kustomize overlays of the monorepo and the Helm chart per environment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { ApplicationSource } from '../../src/api/application.ts';
import { ensureBinaries } from '../../src/render/tool-binaries.ts';
import { RenderCache } from '../../src/render/render-cache.ts';
import { renderApplication } from '../../src/render/render-application.ts';
import { RepositoryStore } from '../../src/source/repository-store.ts';
import { TestRepo } from '../harness/git-repo.ts';

const golden = path.resolve('test/testdata/render');

const cases: Array<{ name: string; example: string; namespace: string; source: Omit<ApplicationSource, 'repoURL'> }> = [
  { name: 'kustomize-maildev-dev', example: 'monorepo', namespace: 'maildev', source: { path: 'argocd/infra/maildev/envs/dev' } },
  { name: 'kustomize-minio-dev', example: 'monorepo', namespace: 'minio', source: { path: 'argocd/infra/minio/envs/dev' } },
  { name: 'kustomize-api-dev', example: 'monorepo', namespace: 'services', source: { path: 'argocd/services/api/envs/dev' } },
  { name: 'helm-bot-admin-dev', example: 'helm-envs', namespace: 'schedule-dev', source: { path: 'apps/bot-admin', helm: { releaseName: 'bot-admin', valueFiles: ['values-dev.yaml'] } } },
  { name: 'helm-bot-admin-prod', example: 'helm-envs', namespace: 'schedule-prod', source: { path: 'apps/bot-admin', helm: { releaseName: 'bot-admin', valueFiles: ['values-prod.yaml'] } } },
  { name: 'directory-applications', example: 'helm-envs', namespace: 'argocd', source: { path: 'argocd', directory: { recurse: true, exclude: 'bootstrap/*' } } },
];

test('example platforms render to the reviewed manifests', async (t) => {
  const bin = await ensureBinaries();
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'capstan-golden-'));
  const repos = new Map<string, TestRepo>();
  t.after(() => { rmSync(cacheDir, { recursive: true, force: true }); for (const r of repos.values()) r.remove(); });
  const services = { repositories: new RepositoryStore({ cacheDir }), binaries: bin, cacheDir, cache: new RenderCache<import('../../src/api/kube-object.ts').KubeObject[]>() };
  for (const c of cases) {
    let repo = repos.get(c.example);
    if (repo === undefined) {
      repo = new TestRepo();
      repo.copyFrom(path.resolve('examples', c.example));
      repo.commit({});
      repos.set(c.example, repo);
    }
    const out = await renderApplication({ appName: c.name, spec: { project: 'default', destination: { namespace: c.namespace },
      source: { repoURL: repo.dir, targetRevision: 'HEAD', ...c.source } } }, services);
    const text = out.objects.map((o) => stringify(o, { sortMapEntries: true })).join('---\n');
    const file = path.join(golden, `${c.name}.yaml`);
    if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(file)) {
      mkdirSync(golden, { recursive: true });
      writeFileSync(file, text);
    }
    assert.equal(text, readFileSync(file, 'utf8'), `${c.name} differs from ${file}`);
  }
});
