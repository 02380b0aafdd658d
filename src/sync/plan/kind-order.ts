// The order in which kinds are applied within one phase and wave, as Argo CD's
// sync engine orders them (a table it shares with Helm's kind sorter). Listed
// kinds get negative ranks; every other kind, custom resources included, ranks
// 0 and so comes after all of them.

const orderedKinds = [
  'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget',
  'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume',
  'PersistentVolumeClaim', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding',
  'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet', 'Pod',
  'ReplicationController', 'ReplicaSet', 'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob',
  'IngressClass', 'Ingress', 'APIService',
] as const;

const ranks = new Map<string, number>(orderedKinds.map((kind, i) => [kind, i - orderedKinds.length]));

/** Rank of a kind: -35 (Namespace) … -1 (APIService), 0 for anything else. */
export function kindRank(kind: string): number {
  return ranks.get(kind) ?? 0;
}
