// Container images per environment: staging runs what dev has proven.
import type { EnvironmentName } from './environments.ts';

export const images: Record<EnvironmentName, { readonly backstage: string; readonly postgres: string }> = {
  dev: { backstage: 'ghcr.io/backstage/backstage:1.30.0', postgres: 'docker.io/library/postgres:16.4' },
  staging: { backstage: 'ghcr.io/backstage/backstage:1.29.2', postgres: 'docker.io/library/postgres:16.4' },
};
