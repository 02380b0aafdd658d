// Argo CD's RBAC policy text (argocd-rbac-cm `policy.csv`, AppProject role
// policies): one casbin line per row, `p, subject, resource, action, object,
// effect` or `g, subject, role`, read with a CSV reader so quoted fields may
// hold commas (Argo CD's loadPolicyLine); `#` starts a comment line. A line
// that is not one of those two shapes is reported and left out — casbin
// would refuse the whole policy, which denies everything.

export interface PolicyRule {
  readonly sub: string;
  readonly res: string;
  readonly act: string;
  readonly obj: string;
  /** `allow` or `deny`; anything else neither allows nor denies (casbin's Indeterminate). */
  readonly eft: string;
}

export interface PolicyProblem {
  readonly line: number;
  readonly message: string;
}

export interface ParsedPolicy {
  readonly rules: readonly PolicyRule[];
  /** `g` lines: [member, role]. */
  readonly groupings: ReadonlyArray<readonly [string, string]>;
  readonly problems: readonly PolicyProblem[];
}

/** One CSV record as Go's encoding/csv reads it with TrimLeadingSpace (quotes, doubled quotes). */
export function splitCsvLine(line: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return undefined;
        if (line[i] === '"') {
          if (line[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        field += line[i++];
      }
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (i < line.length && line[i] !== ',') return undefined;
    } else {
      const end = line.indexOf(',', i);
      field = end < 0 ? line.slice(i) : line.slice(i, end);
      if (field.includes('"')) return undefined;
      i = end < 0 ? line.length : end;
    }
    out.push(field.trim());
    if (i >= line.length) return out;
    i++; // the comma
  }
}

export function parsePolicyCsv(text: string): ParsedPolicy {
  const rules: PolicyRule[] = [];
  const groupings: Array<readonly [string, string]> = [];
  const problems: PolicyProblem[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const tokens = splitCsvLine(line);
    const problem = (message: string): void => { problems.push({ line: index + 1, message: `${message}: ${line}` }); };
    if (tokens === undefined) return problem('malformed CSV');
    const [kind, ...fields] = tokens;
    if (kind === 'p') {
      if (fields.length !== 5) return problem(`a policy line needs subject, resource, action, object and effect, got ${fields.length} fields`);
      const [sub, res, act, obj, eft] = fields as [string, string, string, string, string];
      rules.push({ sub, res, act, obj, eft });
    } else if (kind === 'g') {
      if (fields.length !== 2) return problem(`a role line needs a subject and a role, got ${fields.length} fields`);
      groupings.push([fields[0]!, fields[1]!]);
    } else {
      problem(`unknown policy type "${kind ?? ''}"`);
    }
  });
  return { rules, groupings, problems };
}
