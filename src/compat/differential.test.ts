// The differential suite: thousands of generated template cases rendered by
// compat-native (the engine built for this machine) and by the WebAssembly
// module through the TypeScript bridge must give identical results: the same
// output, or the same error class and message. Seeded, so a failure names a
// reproducible case.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TemplateResult } from '../template/template-types.ts';
import { ensureCompatArtifacts, type CompatArtifacts } from './compat-build.ts';
import { runNativeBatch } from './compat-native.ts';
import { loadCompat, type Compat } from './load-compat.ts';
import { generateTemplateCases, type TemplateCase } from './template-cases.ts';
import { jqCases, luaCases } from './eval-cases.ts';

const seed = 20240601;
const count = 2400;
const builtins = ['and', 'or', 'not', 'len', 'index', 'slice', 'print', 'printf', 'println', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'html', 'js', 'urlquery', 'call'];

let compat: Compat;
let artifacts: CompatArtifacts;
let cases: TemplateCase[];
before(async () => {
  [compat, artifacts] = await Promise.all([loadCompat(), ensureCompatArtifacts()]);
  cases = generateTemplateCases(seed, count);
});

type ErrorClass = Extract<TemplateResult, { ok: false }>['errorClass'];
const normalize = (raw: unknown): TemplateResult => {
  const r = raw as { ok: boolean; value?: unknown; error?: string; errorClass?: ErrorClass };
  return r.ok ? { ok: true, value: r.value ?? null } : { ok: false, error: r.error ?? '', errorClass: r.errorClass ?? 'exec' };
};

test('the generator is deterministic and covers the language', () => {
  assert.deepEqual(generateTemplateCases(seed, 50), cases.slice(0, 50));
  assert.ok(cases.length >= 2000);
  const features = new Set(cases.map((c) => c.feature));
  for (const f of ['field', 'pipeline', 'builtin', 'printf', 'sprig', 'if', 'range', 'with', 'define', 'variables', 'trim', 'comparison',
    'missingkey', 'syntax-error', 'unicode', 'fasttemplate', 'json', 'option']) assert.ok(features.has(f), `feature ${f}`);
  const text = cases.map((c) => JSON.stringify(c.request.template)).join('\n');
  for (const b of builtins) assert.match(text, new RegExp(`\\{\\{-? [^}]*\\b${b}\\b`), `builtin ${b}`);
  for (const k of ['else if', 'block', 'define', 'template', 'range', 'with', '{{-', '-}}', '$x :=', 'break', 'continue']) assert.ok(text.includes(k), k);
  for (const o of ['missingkey=error', 'missingkey=zero', 'missingkey=default', 'missingkey=invalid']) {
    assert.ok(cases.some((c) => c.request.goTemplateOptions?.includes(o)), o);
  }
});

test(`${count} generated cases render identically natively and in WebAssembly`, async () => {
  const requests = cases.map((c) => c.request);
  const native = (await runNativeBatch(artifacts.native, 'templates', requests)).map(normalize);
  // Batches of 400: one boundary crossing each.
  const wasm: TemplateResult[] = [];
  for (let i = 0; i < requests.length; i += 400) wasm.push(...compat.renderTemplates(requests.slice(i, i + 400)));
  assert.equal(native.length, cases.length);
  assert.equal(wasm.length, cases.length);

  const mismatches = cases.filter((_, i) => JSON.stringify(native[i]) !== JSON.stringify(wasm[i]));
  const show = mismatches.slice(0, 5).map((c) => `case ${c.id} (${c.feature}) ${JSON.stringify(c.request.template)}\n  native ${JSON.stringify(native[c.id])}\n  wasm   ${JSON.stringify(wasm[c.id])}`);
  assert.deepEqual(show, [], `${mismatches.length} of ${cases.length} cases differ (seed ${seed})`);

  // The suite is only as good as its mix: most cases render, every error class occurs.
  const classes = new Map<string, number>();
  for (const r of wasm) classes.set(r.ok ? 'ok' : r.errorClass, (classes.get(r.ok ? 'ok' : r.errorClass) ?? 0) + 1);
  assert.ok((classes.get('ok') ?? 0) > cases.length / 2, `rendered: ${classes.get('ok')}`);
  for (const cls of ['parse', 'exec', 'missingKey', 'option']) assert.ok((classes.get(cls) ?? 0) > 0, `class ${cls}`);
});

// Both sides in one shape: the bridge's (outputs default to [], value to null).
interface Raw { ok: boolean; outputs?: unknown[] | null; value?: unknown; luaType?: string; error?: string; errorClass?: string }
const shape = (raw: unknown): string => {
  const r = raw as Raw;
  return JSON.stringify({ ok: r.ok, outputs: r.outputs ?? [], value: r.value ?? null, luaType: r.luaType, error: r.error, errorClass: r.errorClass });
};

async function assertSameAsNative(method: 'jq' | 'lua', requests: readonly unknown[], wasm: readonly unknown[]): Promise<void> {
  const native = await runNativeBatch(artifacts.native, method, requests);
  const differ = requests.map((req, i) => ({ req, native: shape(native[i]), wasm: shape(wasm[i]) })).filter((d) => d.native !== d.wasm);
  assert.deepEqual(differ.slice(0, 5), [], `${differ.length} of ${requests.length} ${method} requests differ`);
}

test('jq programs evaluate identically natively and in WebAssembly', async () => {
  const requests = jqCases();
  assert.ok(requests.length >= 300);
  await assertSameAsNative('jq', requests, compat.evalJq(requests));
});

test('Lua scripts run identically natively and in WebAssembly', async () => {
  const requests = luaCases();
  assert.ok(requests.length >= 150);
  await assertSameAsNative('lua', requests, compat.runLua(requests));
});
