// Fake nodes for the local cluster. kwok manages nodes annotated
// kwok.x-k8s.io/node=fake: it marks them Ready, renews their leases and moves
// pods bound to them through Running/Ready, so Deployments become available
// without a kubelet.
export const kwokNodeAnnotation = 'kwok.x-k8s.io/node';

export function kwokNodeName(index: number): string {
  return `kwok-node-${index}`;
}

export function kwokNodeManifest(index: number): Record<string, unknown> {
  const name = kwokNodeName(index);
  const resources = { cpu: '32', memory: '256Gi', pods: '110', 'ephemeral-storage': '1Ti' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [kwokNodeAnnotation]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
        'node-role.kubernetes.io/agent': '', type: 'kwok',
      },
    },
    spec: {},
    status: { allocatable: resources, capacity: resources },
  };
}

interface NodeList { items?: Array<{ status?: { conditions?: Array<{ type: string; status: string }> } }> }

/** Number of nodes whose Ready condition is True in a NodeList JSON body. */
export function countReadyNodes(body: string): number {
  const list = JSON.parse(body) as NodeList;
  return (list.items ?? []).filter((n) =>
    (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')).length;
}
