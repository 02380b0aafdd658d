// Small object builders shared by the planner's tests.
import type { KubeObject } from '../../api/kube-object.ts';

export function obj(apiVersion: string, kind: string, name: string, annotations: Record<string, string> = {},
  namespace?: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion, kind,
    metadata: { name, ...(namespace ? { namespace } : {}), ...(Object.keys(annotations).length ? { annotations } : {}) },
    ...extra,
  };
}

export const cm = (name: string, a: Record<string, string> = {}): KubeObject => obj('v1', 'ConfigMap', name, a, 'app');
export const deploy = (name: string, a: Record<string, string> = {}): KubeObject => obj('apps/v1', 'Deployment', name, a, 'app');
export const job = (name: string, a: Record<string, string> = {}): KubeObject => obj('batch/v1', 'Job', name, a, 'app');
