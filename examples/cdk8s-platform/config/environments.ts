// The platform's environments: each is a cluster of its own (the seed's
// vclusters, registered with Argo CD under these names) with its sync policy.
import type { EnvironmentProps } from 'capstan/authoring';

export const environments = {
  dev: { cluster: 'dev-vcluster', sync: 'automated', labels: { env: 'dev' } },
  staging: { cluster: 'staging-vcluster', sync: 'automated', labels: { env: 'staging' } },
} as const satisfies Record<string, EnvironmentProps>;

export type EnvironmentName = keyof typeof environments;
