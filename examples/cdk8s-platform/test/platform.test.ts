// Unit tests of the platform program, as a team writes them with Capstan's
// Testing helper: what each environment gets, and the order packages sync in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Testing } from 'capstan/authoring';
import { applicationConfigs } from '../config/applications.ts';
import { buildPlatform } from '../lib/build-platform.ts';

interface Container { image: string; resources: { requests: Record<string, string> }; livenessProbe?: unknown; readinessProbe?: unknown }
const deployment = (app: string, name: string): { spec: { replicas: number; template: { spec: { containers: Container[] } } } } => {
  const found = Testing.package(buildPlatform(Testing.platform()), app).manifests.find((o) => o.kind === 'Deployment' && o.metadata.name === name);
  assert.ok(found, `${app} has a Deployment ${name}`);
  return found as never;
};

test('each environment gets its resources, replicas and image; probes everywhere but dev', () => {
  const cases = [
    { app: 'backstage-dev', replicas: 1, cpu: '100m', memory: '256Mi', probes: false, image: 'ghcr.io/backstage/backstage:1.30.0' },
    { app: 'backstage-staging', replicas: 2, cpu: '500m', memory: '1Gi', probes: true, image: 'ghcr.io/backstage/backstage:1.29.2' },
  ];
  for (const c of cases) {
    const d = deployment(c.app, 'backstage');
    const container = d.spec.template.spec.containers[0]!;
    assert.equal(d.spec.replicas, c.replicas, c.app);
    assert.deepEqual(container.resources.requests, { cpu: c.cpu, memory: c.memory }, c.app);
    assert.equal(container.image, c.image, c.app);
    assert.equal(container.livenessProbe !== undefined && container.readinessProbe !== undefined, c.probes, c.app);
  }
});

test('the team project comes first, each database before its Backstage, each environment on its cluster', () => {
  const packages = Testing.packages(buildPlatform(Testing.platform()));
  assert.deepEqual(packages.map((p) => [p.name, p.wave, (p.application['spec'] as { destination: unknown }).destination]), [
    ['portal-project', 0, { server: 'https://kubernetes.default.svc', namespace: 'argocd' }],
    ['postgres-dev', 10, { name: 'dev-vcluster', namespace: 'database' }],
    ['postgres-staging', 10, { name: 'staging-vcluster', namespace: 'database' }],
    ['backstage-dev', 20, { name: 'dev-vcluster', namespace: 'backstage' }],
    ['backstage-staging', 20, { name: 'staging-vcluster', namespace: 'backstage' }],
  ]);
});

test('a dependency on an application the config does not have fails the synth, naming both', () => {
  const broken = applicationConfigs.map((c) => (c.name === 'backstage-dev' ? { ...c, dependencies: { database: 'postgres-qa' } } : c));
  assert.throws(() => buildPlatform(Testing.platform(), broken).synthFiles(),
    /application "backstage-dev" depends on "postgres-qa", which is not an application of this platform/);
});
