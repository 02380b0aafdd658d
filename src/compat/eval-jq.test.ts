// evalJq through the WebAssembly engine: gojq as Argo CD runs it for
// ignoreDifferences jqPathExpressions (docs user-guide/diffing.md), with the
// time limit of ignore.normalizer.jq.timeout.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EvalJq } from '../diff/jq.ts';
import type { JqRequest, JqResult } from '../diff/jq-types.ts';
import { loadCompat, type Compat } from './load-compat.ts';

let compat: Compat;
before(async () => { compat = await loadCompat(); });

const deployment = {
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'guestbook', labels: { app: 'guestbook', 'app.kubernetes.io/managed-by': 'mesh' } },
  spec: {
    replicas: 3,
    template: { spec: {
      initContainers: [{ name: 'injected-init-container', image: 'mesh:1' }, { name: 'migrate', image: 'app:1' }],
      containers: [{ name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }] }],
    } },
  },
};

test('deletions as Argo CD writes them: del(<jqPathExpression>)', () => {
  const cases: Array<{ name: string; req: JqRequest; want: JqResult }> = [
    {
      name: 'select an injected init container',
      req: { program: 'del(.spec.template.spec.initContainers[] | select(.name == "injected-init-container"))', input: deployment },
      want: { ok: true, outputs: [{ ...deployment, spec: { ...deployment.spec, template: { spec: { ...deployment.spec.template.spec, initContainers: [{ name: 'migrate', image: 'app:1' }] } } } }] },
    },
    {
      name: 'a label with dots and slashes',
      req: { program: 'del(.metadata.labels."app.kubernetes.io/managed-by")', input: deployment },
      want: { ok: true, outputs: [{ ...deployment, metadata: { name: 'guestbook', labels: { app: 'guestbook' } } }] },
    },
    {
      name: 'a field that is absent leaves the object alone',
      req: { program: 'del(.spec.template.spec.volumes[]?)', input: { spec: { template: { spec: {} } } } },
      want: { ok: true, outputs: [{ spec: { template: { spec: {} } } }] },
    },
    {
      name: 'a nested env entry',
      req: { program: 'del(.spec.template.spec.containers[].env[] | select(.name == "A"))', input: deployment },
      want: { ok: true, outputs: [{ ...deployment, spec: { ...deployment.spec, template: { spec: { ...deployment.spec.template.spec, containers: [{ name: 'app', image: 'app:1', env: [] }] } } } }] },
    },
  ];
  const results = compat.evalJq(cases.map((c) => c.req));
  cases.forEach((c, i) => assert.deepEqual(results[i], c.want, c.name));
});

test('outputs, errors and the sandbox', () => {
  const cases: Array<{ name: string; req: JqRequest; want: JqResult }> = [
    { name: 'every output', req: { program: '.items[] | .n', input: { items: [{ n: 1 }, { n: 2 }] } }, want: { ok: true, outputs: [1, 2] } },
    { name: 'no output', req: { program: 'empty', input: {} }, want: { ok: true, outputs: [] } },
    { name: 'a raised error', req: { program: 'error("x")', input: {} }, want: { ok: false, error: 'error: x', errorClass: 'runtime', outputs: [] } },
    { name: 'an error after an output keeps that output', req: { program: '1, error("later")', input: {} }, want: { ok: false, error: 'error: later', errorClass: 'runtime', outputs: [1] } },
    { name: 'a type error', req: { program: '.a.b', input: { a: 5 } }, want: { ok: false, error: 'expected an object but got: number (5)', errorClass: 'runtime', outputs: [] } },
    { name: 'a syntax error', req: { program: 'del(.a', input: {} }, want: { ok: false, error: 'unexpected EOF', errorClass: 'parse', outputs: [] } },
    { name: 'input is not available', req: { program: 'input', input: {} }, want: { ok: false, error: 'input(s)/0 is not allowed', errorClass: 'compile', outputs: [] } },
    { name: 'NaN has no JSON form', req: { program: 'nan', input: {} }, want: { ok: false, error: 'json: unsupported value: NaN', errorClass: 'runtime', outputs: [] } },
    { name: 'the environment is empty', req: { program: '$ENV, env', input: {} }, want: { ok: true, outputs: [{}, {}] } },
  ];
  const results = compat.evalJq(cases.map((c) => c.req));
  cases.forEach((c, i) => assert.deepEqual(results[i], c.want, c.name));
});

test('a runaway program is stopped at its time limit', () => {
  const t0 = Date.now();
  const [result] = compat.evalJq([{ program: '[range(1e12)] | length', input: null, timeoutMs: 100 }]);
  assert.deepEqual(result, { ok: false, error: 'context deadline exceeded', errorClass: 'timeout', outputs: [] });
  assert.ok(Date.now() - t0 < 5000, 'stopped long before it could finish');
  assert.deepEqual(compat.evalJqProgram({ program: '.a', input: { a: 1 } }), { ok: true, outputs: [1] });
});

test('evalJqProgram is the per-request EvalJq the diff is handed', () => {
  const evalJq: EvalJq = compat.evalJqProgram;
  assert.deepEqual(evalJq({ program: 'del(.b)', input: { a: 1, b: 2 } }), { ok: true, outputs: [{ a: 1 }] });
});
