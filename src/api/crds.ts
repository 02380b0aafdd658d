// The CustomResourceDefinitions Capstan installs for Argo CD's kinds when the
// cluster has none: Application, ApplicationSet and AppProject in
// argoproj.io/v1alpha1, with Argo CD's names, short names and printer
// columns. `status` and `operation` keep unknown fields, so whatever Argo
// CD's tools write is preserved.
import type { KubeObject } from './kube-object.ts';

export const argoGroup = 'argoproj.io';
export const capstanCrdLabel = { 'app.kubernetes.io/part-of': 'capstan' } as const;

interface CrdNames {
  readonly kind: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
}

type Schema = Record<string, unknown>;
const preserved: Schema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

function crd(names: CrdNames, specSchema: Schema, columns: ReadonlyArray<Record<string, unknown>>, extra: Record<string, Schema> = {},
  statusSubresource = false): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${names.plural}.${argoGroup}`, labels: { ...capstanCrdLabel } },
    spec: {
      group: argoGroup,
      scope: 'Namespaced',
      names: { kind: names.kind, listKind: `${names.kind}List`, plural: names.plural, singular: names.singular, shortNames: [...names.shortNames] },
      versions: [{
        name: 'v1alpha1', served: true, storage: true,
        ...(columns.length > 0 ? { additionalPrinterColumns: columns } : {}),
        ...(statusSubresource ? { subresources: { status: {} } } : {}),
        schema: { openAPIV3Schema: {
          type: 'object', required: ['metadata', 'spec'],
          properties: {
            apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' },
            spec: specSchema, status: preserved, ...extra,
          },
        } },
      }],
    },
  };
}

/** The three CRDs; spec schemas are given by the caller (generated from src/api types) or preserved. */
export function argoCrds(specSchemas: Partial<Record<'Application' | 'ApplicationSet' | 'AppProject', Schema>> = {}): KubeObject[] {
  return [
    crd({ kind: 'Application', plural: 'applications', singular: 'application', shortNames: ['app', 'apps'] },
      specSchemas.Application ?? preserved, [
        { name: 'Sync Status', type: 'string', jsonPath: '.status.sync.status' },
        { name: 'Health Status', type: 'string', jsonPath: '.status.health.status' },
        { name: 'Revision', type: 'string', jsonPath: '.status.sync.revision', priority: 10 },
        { name: 'Project', type: 'string', jsonPath: '.spec.project', priority: 10 },
      ], { operation: preserved }),
    crd({ kind: 'ApplicationSet', plural: 'applicationsets', singular: 'applicationset', shortNames: ['appset', 'appsets'] },
      // As in Argo CD's CRD, an ApplicationSet's status is a subresource (Applications keep it inline).
      specSchemas.ApplicationSet ?? preserved, [], {}, true),
    crd({ kind: 'AppProject', plural: 'appprojects', singular: 'appproject', shortNames: ['appproj', 'appprojs'] },
      specSchemas.AppProject ?? preserved, []),
  ];
}
