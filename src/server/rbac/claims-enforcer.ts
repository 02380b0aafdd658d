// Who may do what, for an API request: Argo CD's RBACPolicyEnforcer
// (server/rbacpolicy). The subject is the token's `sub`, then each group
// found in the claims named by `scopes`. For applications, applicationsets,
// logs and exec (objects `<project>/<name>`) and for projects (object
// `<project>`), the project's roles join the policy for that one check:
// each role gets `get` on its project, its `policies` and a `g` line per
// group — limited, as Argo CD validates them, to rules of that role about
// that project's objects, so a role never reaches another project.
// Anonymous requests (no claims) have only the default role.
import type { AppProject } from '../../api/app-project.ts';
import { splitCsvLine } from './policy-csv.ts';
import type { RbacConfig } from './rbac-config.ts';

export interface Claims {
  readonly sub: string;
  readonly iss?: string;
  readonly iat?: number;
  readonly exp?: number;
  readonly jti?: string;
  readonly [claim: string]: unknown;
}

const projectScoped = new Set(['applications', 'applicationsets', 'logs', 'exec']);

/** The values of the scope claims (strings or lists of strings), in order, de-duplicated. */
export function scopeValues(claims: Claims, scopes: readonly string[]): string[] {
  const out = new Set<string>();
  for (const scope of scopes) {
    const v = claims[scope];
    if (typeof v === 'string') out.add(v);
    else if (Array.isArray(v)) for (const g of v) if (typeof g === 'string') out.add(g);
  }
  return [...out];
}

/** The project an RBAC object belongs to, for the resources that have one. */
export function projectOfObject(res: string, obj: string): string | undefined {
  if (res === 'projects') return obj;
  if (!projectScoped.has(res)) return undefined;
  const parts = obj.split('/');
  return parts.length === 2 || parts.length === 3 ? parts[0] : undefined;
}

/** Argo CD's AppProject.ProjectPoliciesString, keeping only the lines a valid project may hold. */
export function projectPolicy(project: AppProject): string {
  const name = project.metadata.name ?? '';
  const lines: string[] = [];
  for (const role of project.spec.roles ?? []) {
    const subject = `proj:${name}:${role.name}`;
    lines.push(`p, ${subject}, projects, get, ${name}, allow`);
    for (const line of role.policies ?? []) {
      const t = splitCsvLine(line.trim());
      if (t === undefined || t.length !== 6 || t[0] !== 'p' || t[1] !== subject) continue;
      const [, , res, , obj] = t as [string, string, string, string, string, string];
      if (projectScoped.has(res) ? !obj.startsWith(`${name}/`) : !(res === 'projects' && obj === name)) continue;
      lines.push(line.trim());
    }
    for (const group of role.groups ?? []) lines.push(`g, ${group}, ${subject}`);
  }
  return lines.join('\n');
}

export class ClaimsEnforcer {
  constructor(private readonly config: RbacConfig, private readonly projectOf: (name: string) => AppProject | undefined) {}

  enforce(claims: Claims | undefined, res: string, act: string, obj: string): boolean {
    const projectName = projectOfObject(res, obj);
    const project = projectName === undefined ? undefined : this.projectOf(projectName);
    const runtime = project === undefined ? '' : projectPolicy(project);
    const enforcer = this.config.enforcer;
    if (claims === undefined) return enforcer.enforce(undefined, res, act, obj, runtime);
    // Project tokens (proj:<project>:<role>) are not issued by Capstan; such a subject only has its project's roles.
    if (claims.sub.startsWith('proj:') && (project === undefined || !claims.sub.startsWith(`proj:${project.metadata.name}:`))) {
      return enforcer.enforce(undefined, res, act, obj, runtime);
    }
    if (enforcer.enforce(claims.sub, res, act, obj, runtime)) return true;
    return scopeValues(claims, this.config.scopes).some((group) => enforcer.enforce(group, res, act, obj, runtime));
  }
}
