// Argo CD's RBAC model (assets/model.conf) evaluated directly, without casbin:
//   request  r = sub, res, act, obj
//   policy   p = sub, res, act, obj, eft
//   matcher  g(r.sub, p.sub) && match(r.res, p.res) && match(r.act, p.act) && match(r.obj, p.obj)
//   effect   some(allow) && !some(deny)          — deny wins
// `g` is casbin's role manager: a subject has a role when a chain of `g` lines
// (at most 10 deep) leads from it to the role. `match` is Argo CD's
// globOrRegexMatch: gobwas globs without separators (so `*` crosses `/`), or
// with `policy.matchMode: regex` Go's unanchored regexp.MatchString.
// As Argo CD's enforce(): the default role is tried first and allows on its
// own (a deny cannot take back what policy.default grants), then the subject.
import { globMatch } from '../../project/glob.ts';
import { builtinPolicyCsv } from './builtin-policy.ts';
import { parsePolicyCsv, type ParsedPolicy, type PolicyProblem, type PolicyRule } from './policy-csv.ts';

export type MatchMode = 'glob' | 'regex';

export interface EnforcerOptions {
  /** argocd-rbac-cm policy.default, e.g. role:readonly ('' for none). */
  readonly defaultRole?: string;
  readonly matchMode?: MatchMode;
}

const maxHierarchy = 10;
const regexCache = new Map<string, RegExp | null>();

function regexMatch(value: string, pattern: string): boolean {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try { re = new RegExp(pattern); } catch { re = null; }
    if (regexCache.size > 4096) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re !== null && re.test(value);
}

/** Argo CD's globOrRegexMatch(value, pattern). */
export function policyMatch(value: string, pattern: string, mode: MatchMode = 'glob'): boolean {
  return mode === 'regex' ? regexMatch(value, pattern) : globMatch(pattern, value);
}

/** One compiled policy: rules indexed by subject, roles by member. */
class CompiledPolicy {
  readonly bySubject = new Map<string, PolicyRule[]>();
  readonly roles = new Map<string, string[]>();

  constructor(parts: readonly ParsedPolicy[]) {
    for (const part of parts) {
      for (const rule of part.rules) push(this.bySubject, rule.sub, rule);
      for (const [member, role] of part.groupings) push(this.roles, member, role);
    }
  }

  /** The subject itself and every role it reaches through `g` lines. */
  subjectsOf(subject: string): string[] {
    const seen = new Set([subject]);
    let frontier = [subject];
    for (let depth = 0; depth < maxHierarchy && frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const s of frontier) for (const r of this.roles.get(s) ?? []) if (!seen.has(r)) { seen.add(r); next.push(r); }
      frontier = next;
    }
    return [...seen];
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]); else list.push(value);
}

export class Enforcer {
  private readonly base: CompiledPolicy;
  private readonly parts: readonly ParsedPolicy[];
  private readonly runtimeCache = new Map<string, CompiledPolicy>();
  readonly problems: readonly PolicyProblem[];
  readonly defaultRole: string;
  readonly matchMode: MatchMode;

  /** The built-in policy plus the user's (argocd-rbac-cm policy.csv and policy.*.csv). */
  constructor(userPolicyCsv = '', options: EnforcerOptions = {}) {
    const builtin = parsePolicyCsv(builtinPolicyCsv);
    const user = parsePolicyCsv(userPolicyCsv);
    this.parts = [builtin, user];
    this.base = new CompiledPolicy(this.parts);
    this.problems = user.problems;
    this.defaultRole = options.defaultRole ?? '';
    this.matchMode = options.matchMode ?? 'glob';
  }

  /**
   * May `subject` do `act` on `res` `obj`? `runtimePolicy` (an AppProject's role
   * policies) augments the built-in and user policies for this one check, so
   * their denies still apply to it (Argo CD's EnforceRuntimePolicy).
   */
  enforce(subject: string | undefined, res: string, act: string, obj: string, runtimePolicy = ''): boolean {
    const policy = this.withRuntime(runtimePolicy);
    if (this.defaultRole !== '' && this.evaluate(policy, this.defaultRole, res, act, obj)) return true;
    return this.evaluate(policy, subject ?? '', res, act, obj);
  }

  private withRuntime(runtimePolicy: string): CompiledPolicy {
    if (runtimePolicy === '') return this.base;
    let compiled = this.runtimeCache.get(runtimePolicy);
    if (compiled === undefined) {
      compiled = new CompiledPolicy([...this.parts, parsePolicyCsv(runtimePolicy)]);
      if (this.runtimeCache.size > 256) this.runtimeCache.clear();
      this.runtimeCache.set(runtimePolicy, compiled);
    }
    return compiled;
  }

  private evaluate(policy: CompiledPolicy, subject: string, res: string, act: string, obj: string): boolean {
    let allowed = false;
    for (const s of policy.subjectsOf(subject)) {
      for (const rule of policy.bySubject.get(s) ?? []) {
        if (!policyMatch(res, rule.res, this.matchMode) || !policyMatch(act, rule.act, this.matchMode)
          || !policyMatch(obj, rule.obj, this.matchMode)) continue;
        if (rule.eft === 'deny') return false;
        if (rule.eft === 'allow') allowed = true;
      }
    }
    return allowed;
  }
}
