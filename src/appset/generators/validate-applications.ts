// Checks on the generated Applications before any is written
// (validateGeneratedApplications, made stricter): duplicate names, names and
// labels Kubernetes would reject, an Application outside the ApplicationSet's
// namespace, a project that does not exist, a destination with both name and
// server or naming an unknown cluster, and a spec that does not fit the
// Application schema. Argo CD skips the invalid Applications and applies the
// rest; Capstan applies nothing until all are valid, so one bad parameter
// set never half-applies a change.
import type { GeneratedApplication } from './generate-applications.ts';
import { checkSchema, type Schema } from './schema-check.ts';

export interface ValidationContext {
  readonly appSetName: string;
  readonly namespace: string;
  /** Names of the AppProjects (undefined: not checked, e.g. offline). */
  readonly projects?: ReadonlySet<string>;
  /** Names of the known clusters, the local one included (undefined: not checked). */
  readonly clusterNames?: ReadonlySet<string>;
  /** The Application spec schema (the CRD's). */
  readonly specSchema?: Schema;
}

const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const namePart = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function qualifiedNameProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (name.length === 0 || name.length > 63 || !namePart.test(name)) return `"${key}" is not a valid key (name part: up to 63 alphanumeric characters, '-', '_' or '.')`;
  if (prefix !== undefined && (prefix.length > 253 || !dnsSubdomain.test(prefix))) return `"${key}" is not a valid key (prefix: a DNS subdomain)`;
  return undefined;
}

function problemsOf(generated: GeneratedApplication, ctx: ValidationContext): string[] {
  const app = generated.app;
  const name = app.metadata.name ?? '';
  const problems: string[] = [];
  if (typeof name !== 'string' || name === '') problems.push('the Application has no name');
  else if (name.length > 253 || !dnsSubdomain.test(name)) problems.push(`"${name}" is not a valid Application name (lowercase alphanumeric characters, '-' and '.', at most 253)`);
  if (app.metadata.namespace !== ctx.namespace) {
    problems.push(`namespace "${app.metadata.namespace}" is not the ApplicationSet's (Applications are generated in ${ctx.namespace})`);
  }
  for (const [k, v] of Object.entries(app.metadata.labels ?? {})) {
    const keyProblem = qualifiedNameProblem(k);
    if (keyProblem) problems.push(`label ${keyProblem}`);
    else if (typeof v !== 'string' || v.length > 63 || !labelValue.test(v)) problems.push(`label ${k}: "${String(v)}" is not a valid label value`);
  }
  for (const k of Object.keys(app.metadata.annotations ?? {})) {
    const keyProblem = qualifiedNameProblem(k);
    if (keyProblem) problems.push(`annotation ${keyProblem}`);
  }
  const specProblem = ctx.specSchema ? checkSchema(app.spec, ctx.specSchema, 'spec') : undefined;
  if (specProblem) problems.push(specProblem);
  const project = app.spec?.project || 'default';
  if (ctx.projects && !ctx.projects.has(project)) problems.push(`application references project ${project} which does not exist`);
  const dest = app.spec?.destination ?? {};
  if (dest.name && dest.server) problems.push(`application destination can't have both name and server defined: ${dest.name} ${dest.server}`);
  else if (dest.name && ctx.clusterNames && !ctx.clusterNames.has(dest.name)) problems.push(`application references destination cluster ${dest.name} which does not exist`);
  return problems.map((p) => `Application "${name}" (${generated.generator}): ${p}`);
}

/** Every problem of the generated Applications (empty when they may be applied). */
export function validateApplications(apps: readonly GeneratedApplication[], ctx: ValidationContext): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const generated of apps) {
    const name = generated.app.metadata.name ?? '';
    if (seen.has(name)) problems.push(`ApplicationSet ${ctx.appSetName} contains applications with duplicate name: ${name}`);
    seen.add(name);
    problems.push(...problemsOf(generated, ctx));
  }
  return problems;
}

/** Argo CD's way to show many: the first, and how many more. */
export function summarizeProblems(problems: readonly string[]): string {
  return problems.length <= 1 ? problems[0] ?? '' : `${problems[0]} (and ${problems.length - 1} more)`;
}
