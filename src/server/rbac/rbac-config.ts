// argocd-rbac-cm as Argo CD reads it: `policy.csv`, then every other
// `policy.<name>.csv` key in key order appended below it; `policy.default`
// (the role every authenticated — and anonymous — request has);
// `policy.matchMode` (`glob`, the default, or `regex`); `scopes`, the JWT
// claims whose values are groups (default `[groups]`).
import { parse as parseYaml } from 'yaml';
import { Enforcer, type MatchMode } from './enforcer.ts';
import type { PolicyProblem } from './policy-csv.ts';

export const rbacConfigMapName = 'argocd-rbac-cm';

export interface RbacConfig {
  readonly enforcer: Enforcer;
  readonly scopes: readonly string[];
  readonly problems: readonly PolicyProblem[];
}

function parseScopes(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return ['groups'];
  try {
    const value = parseYaml(raw) as unknown;
    if (Array.isArray(value)) return value.map(String);
  } catch { /* fall through */ }
  return raw.replace(/^\s*\[|\]\s*$/g, '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export function parseRbacConfig(data: Readonly<Record<string, string>> | undefined): RbacConfig {
  const d = data ?? {};
  const extra = Object.keys(d).filter((k) => k.startsWith('policy.') && k.endsWith('.csv') && k !== 'policy.csv').sort();
  const csv = [d['policy.csv'] ?? '', ...extra.map((k) => d[k] ?? '')].join('\n');
  const mode = d['policy.matchMode'];
  const matchMode: MatchMode = mode === 'regex' ? 'regex' : 'glob';
  const enforcer = new Enforcer(csv, { defaultRole: d['policy.default'] ?? '', matchMode });
  const problems: PolicyProblem[] = [...enforcer.problems];
  if (mode !== undefined && mode !== '' && mode !== 'glob' && mode !== 'regex') {
    problems.push({ line: 0, message: `policy.matchMode "${mode}" is neither glob nor regex; glob is used` });
  }
  return { enforcer, scopes: parseScopes(d['scopes']), problems };
}
