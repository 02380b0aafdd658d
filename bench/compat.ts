// The compatibility engine: build check, module compile and instantiate
// time, Application templates rendered per second one per call and in
// batches (10,000 in one call), jq and Lua calls per second, and the
// WebAssembly engine against the same Go code built natively. Rates are
// given by process CPU time as well as wall time: on a shared machine the
// wall clock mostly measures the neighbours.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { ensureCompatArtifacts } from '../src/compat/compat-build.ts';
import { runNativeBatch } from '../src/compat/compat-native.ts';
import { createCompat, loadCompat, type Compat } from '../src/compat/load-compat.ts';
import { wasmApi } from '../src/compat/wasm-api.ts';
import type { TemplateRequest } from '../src/template/template-types.ts';
import type { JqRequest } from '../src/diff/jq-types.ts';
import type { LuaRequest } from '../src/health/lua-types.ts';

const out = (line: string): void => { process.stdout.write(`${line}\n`); };
let lastCpuMs = 0;
/** Runs f; returns its value and wall milliseconds, and leaves its CPU milliseconds in lastCpuMs. */
const time = <T>(f: () => T): [T, number] => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = f();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  lastCpuMs = (c.user + c.system) / 1000;
  return [r, wall];
};

const appTemplate = {
  metadata: { name: '{{ .cluster.name }}-{{ .path.basenameNormalized }}', labels: { team: '{{ .team | lower }}', env: '{{ .env }}' }, annotations: { 'capstan.io/source': '{{ .path.path }}' } },
  spec: {
    project: '{{ .project }}',
    source: { repoURL: 'https://git.example.com/platform.git', targetRevision: '{{ .revision }}', path: '{{ .path.path }}', helm: { valueFiles: ['values-{{ .env }}.yaml'] } },
    destination: { server: '{{ .cluster.server }}', namespace: '{{ .path.basename }}-{{ .env }}' },
    syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
  },
};

function appRequests(n: number): TemplateRequest[] {
  return Array.from({ length: n }, (_, i) => ({
    template: appTemplate, goTemplate: true, goTemplateOptions: ['missingkey=error'],
    params: {
      cluster: { name: `cluster-${i % 50}`, server: `https://10.0.${i % 50}.1:6443` }, env: ['dev', 'staging', 'prod'][i % 3], team: `Team-${i % 7}`,
      project: 'default', revision: 'HEAD', path: { path: `apps/app-${i}`, basename: `app-${i}`, basenameNormalized: `app-${i}` },
    },
  }));
}

function rate(label: string, n: number, wallMs: number, unit = 'renders'): void {
  const cpu = lastCpuMs;
  out(`${label.padEnd(50)} cpu ${(cpu / n * 1000).toFixed(1).padStart(7)} µs ${Math.round(n / cpu * 1000).toLocaleString('en-US').padStart(8)} ${unit}/s` +
    ` | wall ${(wallMs / n * 1000).toFixed(1).padStart(7)} µs`);
}

async function instantiateFigures(): Promise<void> {
  const [artifacts, buildMs] = await (async () => { const t0 = performance.now(); const a = await ensureCompatArtifacts(); return [a, performance.now() - t0] as const; })();
  out(`build check (cached)                         ${buildMs.toFixed(0)} ms`);
  const bytes = await readFile(artifacts.wasm);
  out(`module size                                  ${(bytes.length / 1e6).toFixed(1)} MB`);
  const [module, compileMs] = await (async () => { const t0 = performance.now(); const m = await wasmApi.compile(bytes); return [m, performance.now() - t0] as const; })();
  out(`compile                                      ${compileMs.toFixed(0)} ms`);
  const starts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const c = createCompat(module);
    const [, ms] = time(() => c.renderTemplates([{ template: 'x', params: { a: 1 }, goTemplate: true }]));
    starts.push(ms);
  }
  out(`instantiate + first call                     ${starts.map((ms) => ms.toFixed(0)).join(', ')} ms (5 fresh instances)`);
}

function templateFigures(compat: Compat): void {
  const warm = appRequests(2000);
  compat.renderTemplates(warm); // parse cache and JIT warm-up
  const single = appRequests(2000);
  const [, singleMs] = time(() => { for (const r of single) compat.renderTemplates([r]); });
  rate('Application template, one per call', single.length, singleMs);
  const singleCpu = lastCpuMs;
  for (const size of [100, 1000]) {
    const reqs = appRequests(10_000);
    const [, ms] = time(() => { for (let i = 0; i < reqs.length; i += size) compat.renderTemplates(reqs.slice(i, i + size)); });
    rate(`Application template, batches of ${size}`, reqs.length, ms);
  }
  const all = appRequests(10_000);
  const [results, batchMs] = time(() => compat.renderTemplates(all));
  const failed = results.find((r) => !r.ok);
  if (failed !== undefined) throw new Error(`a benchmark render failed: ${JSON.stringify(failed)}`);
  rate('10,000 Application templates in one call', all.length, batchMs);
  out(`  one-per-call / one-batch CPU cost ratio: ${((singleCpu / single.length) / (lastCpuMs / all.length)).toFixed(1)}x`);
  const fresh = appRequests(2000).map((r, i) => ({ ...r, template: { ...appTemplate, metadata: { ...appTemplate.metadata, name: `${appTemplate.metadata.name}-${i}` } } }));
  const [, freshMs] = time(() => compat.renderTemplates(fresh));
  rate('  with a never-seen template string each', fresh.length, freshMs);
  const fast = all.map((r) => ({ ...r, goTemplate: false, params: { 'cluster.name': 'c', env: 'dev', 'path.path': 'apps/x' } }));
  compat.renderTemplates(fast.slice(0, 2000));
  const [, fastMs] = time(() => compat.renderTemplates(fast));
  rate('fasttemplate, one call', fast.length, fastMs);
}

async function nativeFigures(compat: Compat): Promise<void> {
  const { native } = await ensureCompatArtifacts();
  const reqs = appRequests(10_000);
  const [, wasmMs] = time(() => compat.renderTemplates(reqs));
  const wasmCpu = lastCpuMs;
  const t0 = performance.now();
  await runNativeBatch(native, 'templates', reqs);
  const nativeMs = performance.now() - t0;
  out(`10,000 renders: WebAssembly ${wasmMs.toFixed(0)} ms wall (${wasmCpu.toFixed(0)} ms cpu), native process ${nativeMs.toFixed(0)} ms wall` +
    ` (spawn and JSON included) — wall ratio ${(wasmMs / nativeMs).toFixed(1)}x`);
}

function evalFigures(compat: Compat): void {
  const deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web', 'mesh.io/injected': 'true' } },
    spec: { replicas: 3, template: { spec: { initContainers: [{ name: 'mesh-init' }], containers: [{ name: 'app', image: 'app:1' }] } } },
  };
  const jq: JqRequest = { program: 'del(.spec.template.spec.initContainers[] | select(.name == "mesh-init"))', input: deployment };
  compat.evalJq(Array.from({ length: 200 }, () => jq));
  const [, jqOne] = time(() => { for (let i = 0; i < 2000; i++) compat.evalJqProgram(jq); });
  rate('jq deletion, one per call', 2000, jqOne, 'calls');
  const [, jqBatch] = time(() => compat.evalJq(Array.from({ length: 5000 }, () => jq)));
  rate('jq deletion, 5,000 in one call', 5000, jqBatch, 'calls');

  const script = `local hs = {}
if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Ready" then
      hs.status = c.status == "True" and "Healthy" or "Degraded"
      hs.message = c.message
      return hs
    end
  end
end
hs.status = "Progressing"
return hs`;
  const lua: LuaRequest = { script, obj: { kind: 'Certificate', metadata: { name: 'web' }, status: { conditions: [{ type: 'Issuing', status: 'False' }, { type: 'Ready', status: 'True', message: 'up to date' }] } } };
  compat.runLua(Array.from({ length: 200 }, () => lua));
  const [, luaOne] = time(() => { for (let i = 0; i < 2000; i++) compat.runLuaScript(lua); });
  rate('Lua health check, one per call', 2000, luaOne, 'calls');
  const [, luaBatch] = time(() => compat.runLua(Array.from({ length: 5000 }, () => lua)));
  rate('Lua health check, 5,000 in one call', 5000, luaBatch, 'calls');
  const [, openBatch] = time(() => compat.runLua(Array.from({ length: 5000 }, () => ({ ...lua, openLibs: true }))));
  rate('Lua health check with openLibs, 5,000 in one call', 5000, openBatch, 'calls');
}

export async function runCompatBench(): Promise<void> {
  await instantiateFigures();
  const compat = await loadCompat();
  templateFigures(compat);
  await nativeFigures(compat);
  evalFigures(compat);
  const s = compat.stats();
  out(`process compile ${s.compileMs.toFixed(0)} ms, instantiate ${s.instantiateMs.toFixed(0)} ms, restarts ${s.restarts}`);
}
