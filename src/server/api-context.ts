// One API request as handlers see it: path parameters, query, the JSON body
// (read on demand, size-limited), who is asking (claims from a verified token,
// or none for an anonymous request), the settings in force, and RBAC checks
// that throw Argo CD's `permission denied`. What the server is built from
// (`ServerDeps`) travels with it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeClient } from '../kube/kube-client.ts';
import type { SessionManager } from './auth/session-manager.ts';
import { ApiError, permissionDenied } from './http/api-errors.ts';
import { readJsonBody } from './http/request-body.ts';
import type { Claims } from './rbac/claims-enforcer.ts';
import type { ControlPlaneCache } from './state/control-plane-cache.ts';
import type { LiveSource } from './state/live-source.ts';
import type { ManagedResourcesSource } from './state/managed-resources-source.ts';
import type { ServerSettings, ServerSettingsSnapshot } from './state/server-settings.ts';

export interface VersionInfo {
  readonly Version: string;
  readonly [field: string]: string;
}

export interface ServerDeps {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly cache: ControlPlaneCache;
  readonly settings: ServerSettings;
  readonly sessions: SessionManager;
  readonly live: LiveSource;
  /** Renders and diffs an app for managed-resources; without it that endpoint is Unimplemented. */
  readonly diff?: ManagedResourcesSource;
  readonly version: VersionInfo;
  readonly log: (line: string) => void;
  /** Limit of a request body (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** How long an application GET with ?refresh= waits for the controller (default 60 s). */
  readonly refreshWaitMs?: number;
}

export class ApiContext {
  constructor(
    readonly deps: ServerDeps,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly url: URL,
    readonly params: Readonly<Record<string, string>>,
    readonly claims: Claims | undefined,
    readonly settings: ServerSettingsSnapshot,
    /** An AbortSignal that fires when the client goes away or the server closes. */
    readonly signal: AbortSignal,
  ) {}

  get query(): URLSearchParams {
    return this.url.searchParams;
  }

  /** The name a change is recorded under: the account, or "anonymous". */
  get username(): string {
    return this.claims?.sub ?? 'anonymous';
  }

  body<T = Record<string, unknown>>(): Promise<T> {
    return readJsonBody(this.req, this.deps.maxBodyBytes).then((b) => {
      if (b === null || typeof b !== 'object' || Array.isArray(b)) throw new ApiError('InvalidArgument', 'request body must be a JSON object');
      return b as T;
    });
  }

  can(resource: string, action: string, object: string): boolean {
    return this.settings.enforcer.enforce(this.claims, resource, action, object);
  }

  enforce(resource: string, action: string, object: string): void {
    if (!this.can(resource, action, object)) throw permissionDenied();
  }
}
