// Start-up of the control namespace: create it if missing, install Capstan's
// CRDs for Application, ApplicationSet and AppProject with server-side apply
// — unless Argo CD's own CRDs are there, which are left alone — wait until
// they are Established, and make sure the `default` AppProject exists.
import { setTimeout as sleep } from 'node:timers/promises';
import { argoCrds, capstanCrdLabel } from '../api/crds.ts';
import specSchemas from '../api/generated/crd-schemas.json' with { type: 'json' };
import { defaultAppProject } from '../api/app-project.ts';
import type { KubeObject } from '../api/kube-object.ts';
import { CapstanError } from '../errors.ts';
import type { KubeClient } from '../kube/kube-client.ts';

export const fieldManager = 'capstan';

export interface InstallReport {
  readonly installed: string[];
  /** CRDs that belong to an Argo CD installation and were kept as they are. */
  readonly foreign: string[];
}

export async function installControlPlane(client: KubeClient, namespace: string, timeoutMs = 30_000): Promise<InstallReport> {
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }, { fieldManager });
  const installed: string[] = [];
  const foreign: string[] = [];
  // Spec schemas generated from src/api's types (scripts/gen-crds.ts).
  for (const crd of argoCrds(specSchemas)) {
    const name = crd.metadata.name!;
    const existing = await client.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, name);
    const ours = existing === undefined || existing.metadata.labels?.['app.kubernetes.io/part-of'] === capstanCrdLabel['app.kubernetes.io/part-of'];
    if (!ours) { foreign.push(name); continue; }
    await client.apply(crd, { fieldManager, force: true });
    installed.push(name);
  }
  await waitEstablished(client, [...installed, ...foreign], timeoutMs);
  await waitServed(client, ['Application', 'ApplicationSet', 'AppProject'], timeoutMs);
  const project = defaultAppProject(namespace) as unknown as KubeObject;
  if (await client.get('argoproj.io/v1alpha1', 'AppProject', namespace, 'default') === undefined) {
    await client.create(project, { fieldManager });
  }
  return { installed, foreign };
}

/** An Established CRD is not always in discovery yet: wait until the API server serves the kinds. */
async function waitServed(client: KubeClient, kinds: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const kind of kinds) {
    for (;;) {
      client.discovery.invalidate();
      if (await client.discovery.tryResourceFor('argoproj.io/v1alpha1', kind).catch(() => undefined)) break;
      if (Date.now() > deadline) throw new CapstanError('CrdNotServed', `kind ${kind} not served ${timeoutMs} ms after its CRD was Established`, { retry: 'transient' });
      await sleep(100);
    }
  }
}

async function waitEstablished(client: KubeClient, names: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const name of names) {
    for (;;) {
      const crd = await client.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, name);
      const conditions = (crd?.['status'] as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
      if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new CapstanError('CrdNotEstablished', `CRD ${name} not Established after ${timeoutMs} ms`, { retry: 'transient' });
      await sleep(100);
    }
  }
}
