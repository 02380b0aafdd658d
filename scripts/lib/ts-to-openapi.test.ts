import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createProgram, SchemaConverter } from './ts-to-openapi.ts';

test('interfaces become structural schemas', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'schema-'));
  try {
    const file = path.join(dir, 'types.ts');
    writeFileSync(file, `
      export type IntOrString = number | string;
      export interface Inner {
        /**
         * The name.
         *
         * More text.
         */
        name: string;
        tags?: string[];
      }
      export interface Sample {
        title: string;
        count?: number;
        /** @format double */ ratio?: number;
        enabled?: boolean;
        mode?: 'a' | 'b';
        inner: Inner;
        list?: Inner[];
        labels?: Record<string, string>;
        anything?: unknown;
        port?: IntOrString;
      }`);
    const schema = new SchemaConverter(createProgram([file])).schemaOf(file, 'Sample');
    assert.deepEqual(schema, {
      type: 'object', required: ['inner', 'title'],
      properties: {
        title: { type: 'string' },
        count: { type: 'integer', format: 'int64' },
        ratio: { type: 'number' },
        enabled: { type: 'boolean' },
        mode: { type: 'string' },
        inner: { type: 'object', required: ['name'], properties: {
          name: { description: 'The name.', type: 'string' }, tags: { type: 'array', items: { type: 'string' } } } },
        list: { type: 'array', items: { type: 'object', required: ['name'], properties: {
          name: { description: 'The name.', type: 'string' }, tags: { type: 'array', items: { type: 'string' } } } } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        anything: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        port: { 'x-kubernetes-int-or-string': true },
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
