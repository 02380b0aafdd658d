// Kubernetes label selectors (metav1.LabelSelector) as Argo CD evaluates them
// on generated parameters and on cluster Secrets: matchLabels are equalities,
// matchExpressions use In, NotIn, Exists and DoesNotExist, and all of them
// must hold. Like Argo CD's copy of LabelSelectorAsSelector, values are not
// validated (so they may be URLs); keys and operators are.
import type { LabelSelector, LabelSelectorRequirement } from '../../api/application-set.ts';

export type LabelMatcher = (labels: Readonly<Record<string, string>>) => boolean;

const namePart = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function validateKey(key: string): void {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (name.length === 0 || name.length > 63 || !namePart.test(name)) {
    throw new Error(`key: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
  }
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !dnsSubdomain.test(prefix))) {
    throw new Error(`key: Invalid value: "${key}": prefix part must be a lowercase RFC 1123 subdomain`);
  }
}

function requirement(r: LabelSelectorRequirement): LabelMatcher {
  validateKey(r.key);
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
    case 'NotIn': {
      if (values.length === 0) throw new Error(`values: Invalid value: for 'in', 'notin' operators, values set can't be empty`);
      const set = new Set(values);
      return r.operator === 'In'
        ? (labels) => Object.hasOwn(labels, r.key) && set.has(labels[r.key]!)
        : (labels) => !Object.hasOwn(labels, r.key) || !set.has(labels[r.key]!);
    }
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) throw new Error(`values: Invalid value: values set must be empty for exists and does not exist`);
      return r.operator === 'Exists' ? (labels) => Object.hasOwn(labels, r.key) : (labels) => !Object.hasOwn(labels, r.key);
    default:
      throw new Error(`"${r.operator}" is not a valid label selector operator`);
  }
}

/** A matcher for `selector`; throws on an invalid selector (the message says what is wrong). */
export function compileSelector(selector: LabelSelector): LabelMatcher {
  const parts: LabelMatcher[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    validateKey(key);
    parts.push((labels) => Object.hasOwn(labels, key) && labels[key] === value);
  }
  for (const r of selector.matchExpressions ?? []) parts.push(requirement(r));
  return (labels) => parts.every((p) => p(labels));
}

/** True when the selector selects on something (an empty selector selects everything). */
export function isEmptySelector(selector: LabelSelector | undefined): boolean {
  return (selector?.matchExpressions?.length ?? 0) === 0 && Object.keys(selector?.matchLabels ?? {}).length === 0;
}
