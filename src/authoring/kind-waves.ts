// The sync wave each manifest of a package gets from its kind, the ordering
// the idpbuilder package layout uses so that namespaces, accounts, secrets and
// config exist before the workloads that read them, and services and ingresses
// come after (Argo CD applies lower waves first and waits for them to be
// healthy: user-guide/sync-waves.md). An object's own sync-wave annotation wins.

/** Wave per kind; kinds not listed get no annotation (Argo CD's default wave 0). */
export const defaultKindWaves: Readonly<Record<string, number>> = {
  Namespace: -100,
  ServiceAccount: -90,
  Secret: -80,
  ConfigMap: -70,
  Deployment: 0,
  Service: 10,
  Ingress: 20,
};

/** The wave of a kind under `waves`, or undefined when the kind is not listed. */
export function kindWaveOf(kind: string, waves: Readonly<Record<string, number>> = defaultKindWaves): number | undefined {
  return Object.hasOwn(waves, kind) ? waves[kind] : undefined;
}
