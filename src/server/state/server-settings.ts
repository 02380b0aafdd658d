// The API server's settings, parsed from the cached argocd-cm, argocd-rbac-cm
// and argocd-secret each time one of them changes (so an edited policy or a
// new account applies to the next request): the local accounts, the signing
// key, users.session.duration (default 24h), users.anonymous.enabled, the
// RBAC policy and the enforcer that consults the AppProjects' roles. A
// malformed entry is logged once by key, never with a value, and left out.
import { argoCdConfigMapName, parseGoDuration } from '../../settings/argocd-cm.ts';
import { parseAccounts } from '../auth/accounts.ts';
import { argoCdSecretName } from '../auth/server-secrets.ts';
import type { AuthSettings } from '../auth/session-manager.ts';
import { ClaimsEnforcer } from '../rbac/claims-enforcer.ts';
import { parseRbacConfig, rbacConfigMapName, type RbacConfig } from '../rbac/rbac-config.ts';
import type { ControlPlaneCache } from './control-plane-cache.ts';

const defaultSessionMs = 24 * 3600_000;

export interface ServerSettingsSnapshot {
  readonly auth: AuthSettings;
  readonly rbac: RbacConfig;
  readonly enforcer: ClaimsEnforcer;
}

export class ServerSettings {
  private snapshot: ServerSettingsSnapshot | undefined;
  private readonly reported = new Set<string>();

  constructor(private readonly cache: ControlPlaneCache, private readonly log: (line: string) => void = () => undefined) {
    cache.onSettingsChange(() => { this.snapshot = undefined; });
  }

  current(): ServerSettingsSnapshot {
    return this.snapshot ??= this.parse();
  }

  private report(problem: string): void {
    if (this.reported.has(problem)) return;
    this.reported.add(problem);
    this.log(problem);
  }

  private parse(): ServerSettingsSnapshot {
    const cm = this.cache.configMapData(argoCdConfigMapName) ?? {};
    const secret = this.cache.secretData(argoCdSecretName) ?? {};
    const { accounts, problems } = parseAccounts(cm, secret);
    for (const p of problems) this.report(p);
    let sessionDurationMs = defaultSessionMs;
    const rawDuration = cm['users.session.duration'];
    if (rawDuration !== undefined && rawDuration !== '') {
      try { sessionDurationMs = parseGoDuration(rawDuration); } catch { this.report(`argocd-cm users.session.duration "${rawDuration}" is not a duration; 24h is used`); }
    }
    const key = secret['server.secretkey'];
    const rbac = parseRbacConfig(this.cache.configMapData(rbacConfigMapName));
    for (const p of rbac.problems) this.report(`${rbacConfigMapName}: ${p.line > 0 ? `line ${p.line}: ` : ''}${p.message}`);
    const projects = this.cache.projects.items;
    return {
      auth: { accounts, signingKey: key ? Buffer.from(key, 'base64') : undefined, sessionDurationMs,
        anonymousEnabled: cm['users.anonymous.enabled'] === 'true' },
      rbac, enforcer: new ClaimsEnforcer(rbac, (name) => projects.get(name)),
    };
  }
}
