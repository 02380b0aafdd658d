// YAML as Argo CD's generators read it (sigs.k8s.io/yaml over go-yaml v2):
// the first document only, YAML 1.1 scalars (yes/no/on/off are booleans),
// values converted through JSON — numbers are plain numbers (Go float64),
// map keys are strings, timestamps become RFC 3339 strings.
import { parseAllDocuments } from 'yaml';

function toJsonValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString().replace('.000Z', 'Z');
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = toJsonValue(x);
    return out;
  }
  if (typeof v === 'bigint') return Number(v);
  return v;
}

/** Parses the first YAML document (empty text is null); throws with the line of a syntax error. */
export function parseGoYaml(text: string): unknown {
  const docs = parseAllDocuments(text, { version: '1.1', merge: true, uniqueKeys: true, prettyErrors: true });
  if (!Array.isArray(docs)) return null; // an empty stream
  const first = docs[0];
  if (first === undefined) return null;
  const error = first.errors[0];
  if (error !== undefined) throw new Error(error.message.split('\n')[0]);
  return toJsonValue(first.toJS({ maxAliasCount: 1000 }));
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** What `yaml.Unmarshal(text, &[]map[string]any)` accepts: a list of maps (null items are empty maps), or null. */
export function parseYamlObjectList(text: string, what: string): Array<Record<string, unknown>> {
  const doc = parseGoYaml(text);
  if (doc === null || doc === undefined) return [];
  if (!Array.isArray(doc)) throw new Error(`${what} is not a list (it is ${describeJsonType(doc)})`);
  return doc.map((item, i) => {
    if (item === null) return {};
    if (!isPlainObject(item)) throw new Error(`${what}: item ${i} is not a map (it is ${describeJsonType(item)})`);
    return item;
  });
}

export function describeJsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return `a ${typeof v}`;
}
