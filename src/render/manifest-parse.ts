// Parsing manifest files as Argo CD's directory source does: multi-document
// YAML and JSON (objects, arrays, `kind: List`), errors naming the file and
// line; a YAML file that does not parse into Kubernetes objects and does not
// look like one (e.g. a values file) is not a manifest and is skipped.
import { parseAllDocuments } from 'yaml';
import { CapstanError } from '../errors.ts';
import type { KubeObject } from '../api/kube-object.ts';

export type ParseOutcome = { readonly objects: KubeObject[] } | { readonly skipped: true };

function isObject(value: unknown): value is KubeObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    && typeof (value as KubeObject).apiVersion === 'string' && typeof (value as KubeObject).kind === 'string';
}

/** Flattens `kind: List` (and *List kinds with items) into their items. */
function expandLists(obj: KubeObject): KubeObject[] {
  if (obj.kind.endsWith('List') && Array.isArray(obj['items'])) return (obj['items'] as KubeObject[]).filter(isObject);
  return [obj];
}

function withMetadata(obj: KubeObject): KubeObject {
  return obj.metadata === undefined || obj.metadata === null ? { ...obj, metadata: {} } : obj;
}

const looksLikeResource = (text: string): boolean =>
  text.includes('apiVersion:') && text.includes('kind:') && text.includes('metadata:');

/** Parses the text of one file; `file` is used in error messages. */
export function parseManifestFile(text: string, file: string): ParseOutcome {
  if (file.endsWith('.json')) return parseJson(text, file);
  const docs = parseAllDocuments(text, { uniqueKeys: false });
  const objects: KubeObject[] = [];
  let failure: string | undefined;
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      failure ??= `line ${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]}`;
      continue;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) continue;
    if (!isObject(value)) {
      failure ??= `line ${lineOf(text, doc.range[0])}: ${Array.isArray(value) ? 'a list' : 'a document'} that is not a Kubernetes object (no apiVersion and kind)`;
      continue;
    }
    objects.push(...expandLists(withMetadata(value)));
  }
  if (failure === undefined) return { objects };
  if (objects.length > 0 || looksLikeResource(text)) {
    throw new CapstanError('InvalidManifest', `failed to unmarshal ${file}: ${failure}`);
  }
  return { skipped: true };
}

function parseJson(text: string, file: string): ParseOutcome {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CapstanError('InvalidManifest', `failed to unmarshal ${file}: ${(err as Error).message}`);
  }
  const items = Array.isArray(value) ? value : [value];
  if (!items.every(isObject)) {
    if (looksLikeResource(text.replace(/"(\w+)":/g, '$1:'))) throw new CapstanError('InvalidManifest', `failed to unmarshal ${file}: not a Kubernetes object`);
    return { skipped: true };
  }
  return { objects: items.flatMap((o) => expandLists(withMetadata(o))) };
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

/** Parses a YAML stream produced by a tool (kustomize, helm); any error names the tool. */
export function parseToolOutput(text: string, tool: string): KubeObject[] {
  const outcome = parseManifestFile(text, `${tool} output`);
  return 'objects' in outcome ? outcome.objects : [];
}
