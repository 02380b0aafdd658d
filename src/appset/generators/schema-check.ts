// A structural check of a value against an OpenAPI v3 schema of the kind the
// CRDs use (src/api/generated/crd-schemas.json): types (integer, number,
// string, boolean, object, array, int-or-string), required properties, map
// values and list items. Unknown fields are not errors — the API server
// prunes them — but a wrong type or a missing required field would be
// rejected, so a generated Application that fails here is never sent.
export type Schema = Readonly<Record<string, unknown>>;

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** The first problem found, as `path: message`, or undefined. */
export function checkSchema(value: unknown, schema: Schema, path = ''): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (schema['x-kubernetes-int-or-string'] === true) {
    return typeof value === 'string' || Number.isInteger(value) ? undefined : `${path}: must be an integer or a string, not ${typeName(value)}`;
  }
  const type = schema['type'];
  const actual = typeName(value);
  if (type === 'integer' && actual !== 'integer') return `${path}: must be an integer, not ${actual}`;
  if (type === 'number' && actual !== 'integer' && actual !== 'number') return `${path}: must be a number, not ${actual}`;
  if ((type === 'string' || type === 'boolean') && actual !== type) return `${path}: must be a ${type}, not ${actual} ${JSON.stringify(value).slice(0, 60)}`;
  if (type === 'array') {
    if (actual !== 'array') return `${path}: must be a list, not ${actual}`;
    const items = schema['items'] as Schema | undefined;
    if (items === undefined) return undefined;
    for (const [i, item] of (value as unknown[]).entries()) {
      const problem = checkSchema(item, items, `${path}[${i}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (type === 'object') {
    if (actual !== 'object') return `${path}: must be a map, not ${actual}`;
    const obj = value as Record<string, unknown>;
    for (const key of (schema['required'] as string[] | undefined) ?? []) {
      if (obj[key] === undefined || obj[key] === null) return `${path === '' ? '' : `${path}.`}${key}: required`;
    }
    const properties = schema['properties'] as Record<string, Schema> | undefined;
    const additional = schema['additionalProperties'] as Schema | undefined;
    for (const [key, v] of Object.entries(obj)) {
      const sub = properties?.[key] ?? additional;
      if (sub === undefined) continue;
      const problem = checkSchema(v, sub, path === '' ? key : `${path}.${key}`);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}
