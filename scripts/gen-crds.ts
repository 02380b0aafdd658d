// Generates the CRD spec schemas from the TypeScript types in src/api (one
// source of truth): `npx tsx scripts/gen-crds.ts` rewrites
// src/api/generated/crd-schemas.json; a test checks it is current.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProgram, SchemaConverter, type Schema } from './lib/ts-to-openapi.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const generatedFile = path.join(root, 'src/api/generated/crd-schemas.json');

export function generateCrdSchemas(): Record<string, Schema> {
  const files = ['src/api/application.ts', 'src/api/app-project.ts', 'src/api/application-set.ts'].map((f) => path.join(root, f));
  // Nested matrix and merge generators are free-form JSON in Argo CD's CRD (CRDs cannot recurse).
  const converter = new SchemaConverter(createProgram(files), { opaque: ['NestedMatrixGenerator', 'NestedMergeGenerator'] });
  return {
    Application: converter.schemaOf(files[0]!, 'ApplicationSpec'),
    AppProject: converter.schemaOf(files[1]!, 'AppProjectSpec'),
    ApplicationSet: converter.schemaOf(files[2]!, 'ApplicationSetSpec'),
  };
}

export function renderCrdSchemas(): string {
  return `${JSON.stringify(generateCrdSchemas(), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(generatedFile, renderCrdSchemas());
  process.stdout.write(`wrote ${path.relative(root, generatedFile)}\n`);
}
