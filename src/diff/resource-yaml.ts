// One resource as YAML for people: map keys in a stable (sorted) order so
// equal objects print equally and a diff shows only real changes.
import { stringify } from 'yaml';

export function resourceYaml(obj: unknown): string {
  if (obj === undefined || obj === null) return '';
  return stringify(obj, { sortMapEntries: true, lineWidth: 0 });
}
