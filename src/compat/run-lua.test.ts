// runLua through the WebAssembly engine: gopher-lua in Argo CD's environment
// (docs operator-manual/health.md and resource_actions.md, util/lua): the
// safe library subset by default, everything with openLibs, the object as
// `obj`, the value converted to JSON as Argo CD converts it, and a sandbox
// that stops runaway scripts.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunLua } from '../health/lua.ts';
import type { LuaRequest, LuaResult } from '../health/lua-types.ts';
import { loadCompat, type Compat } from './load-compat.ts';

let compat: Compat;
before(async () => { compat = await loadCompat(); });

interface Case { readonly name: string; readonly req: LuaRequest; readonly want?: LuaResult; readonly errorClass?: string; readonly error?: RegExp }

function check(cases: readonly Case[]): void {
  const results = compat.runLua(cases.map((c) => c.req));
  cases.forEach((c, i) => {
    const r = results[i];
    if (c.want !== undefined) {
      assert.deepEqual(r, c.want, c.name);
      return;
    }
    assert.equal(r?.ok, false, `${c.name}: expected an error, got ${JSON.stringify(r)}`);
    if (r?.ok !== false) return;
    if (c.errorClass !== undefined) assert.equal(r.errorClass, c.errorClass, c.name);
    if (c.error !== undefined) assert.match(r.error, c.error, c.name);
  });
}
const safe = (script: string, obj: unknown = {}): LuaRequest => ({ script, obj });
const open = (script: string, obj: unknown = {}): LuaRequest => ({ script, obj, openLibs: true });

// A health check in the shape of the documented cert-manager Certificate example.
const certificateHealth = `
local hs = {}
if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Ready" and c.status == "False" then
      hs.status = "Degraded"
      hs.message = c.message
      return hs
    end
    if c.type == "Ready" and c.status == "True" then
      hs.status = "Healthy"
      hs.message = c.message
      return hs
    end
  end
end
hs.status = "Progressing"
hs.message = "Waiting for certificate"
return hs`;

// The app-of-apps health check the docs give for argoproj.io/Application.
const applicationHealth = `
hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs`;

const cert = (conditions: unknown[]): unknown => ({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'web' }, status: { conditions } });

describe('health scripts from the docs', () => {
  test('cert-manager Certificate', () => {
    check([
      { name: 'ready', req: safe(certificateHealth, cert([{ type: 'Ready', status: 'True', message: 'Certificate is up to date and has not expired' }])), want: { ok: true, luaType: 'table', value: { status: 'Healthy', message: 'Certificate is up to date and has not expired' } } },
      { name: 'failed', req: safe(certificateHealth, cert([{ type: 'Issuing', status: 'True' }, { type: 'Ready', status: 'False', message: 'Issuing certificate as Secret does not exist' }])), want: { ok: true, luaType: 'table', value: { status: 'Degraded', message: 'Issuing certificate as Secret does not exist' } } },
      { name: 'no status yet', req: safe(certificateHealth, { kind: 'Certificate', metadata: { name: 'web' } }), want: { ok: true, luaType: 'table', value: { status: 'Progressing', message: 'Waiting for certificate' } } },
    ]);
  });

  test('Application (app of apps)', () => {
    check([
      { name: 'child health', req: safe(applicationHealth, { status: { health: { status: 'Degraded', message: 'one pod failed' } } }), want: { ok: true, luaType: 'table', value: { status: 'Degraded', message: 'one pod failed' } } },
      { name: 'no status', req: safe(applicationHealth, {}), want: { ok: true, luaType: 'table', value: { status: 'Progressing', message: '' } } },
    ]);
  });

  test('an action returns the modified object, with actionParams', () => {
    const obj = { kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1 } };
    check([{
      name: 'scale', req: { script: 'obj.spec.replicas = tonumber(actionParams["replicas"]) return obj', obj, globals: { actionParams: { replicas: '4' } } },
      want: { ok: true, luaType: 'table', value: { kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 4 } } },
    }]);
  });
});

describe('the language and its libraries', () => {
  test('Lua 5.1 numbers and tables', () => {
    check([
      { name: 'division is floating', req: safe('return 7/2'), want: { ok: true, luaType: 'number', value: 3.5 } },
      { name: 'table.getn', req: safe('return table.getn({1,2,3})'), want: { ok: true, luaType: 'number', value: 3 } },
      { name: 'length of a JSON array', req: safe('return #obj.items', { items: [1, 2, 3, 4] }), want: { ok: true, luaType: 'number', value: 4 } },
      { name: 'JSON numbers are Lua numbers', req: safe('return obj.n + 1', { n: 41 }), want: { ok: true, luaType: 'number', value: 42 } },
      // gopher-lua prints integral numbers in full where C Lua's %.14g gives 1e+15.
      { name: 'tostring', req: safe('return tostring(nil) .. " " .. tostring(1e15) .. " " .. tostring(0.1)'), want: { ok: true, luaType: 'string', value: 'nil 1000000000000000 0.1' } },
      { name: 'the last returned value', req: safe('return 1, 2'), want: { ok: true, luaType: 'number', value: 2 } },
      { name: 'nothing returned', req: safe('local x = 1'), want: { ok: true, luaType: 'nil', value: null } },
      { name: 'an empty table is an array', req: safe('return {}'), want: { ok: true, luaType: 'table', value: [] } },
      { name: 'a sequence is an array', req: safe('return {"a", "b"}'), want: { ok: true, luaType: 'table', value: ['a', 'b'] } },
      { name: 'a function has no JSON value', req: safe('return print'), want: { ok: true, luaType: 'function', value: null } },
      { name: 'actionParams is an empty table by default', req: safe('return type(actionParams)'), want: { ok: true, luaType: 'string', value: 'table' } },
    ]);
  });

  test('values JSON cannot hold', () => {
    check([
      { name: 'a sparse array', req: safe('return {1, 2, nil, 4}'), errorClass: 'encode', error: /cannot encode sparse array/ },
      { name: 'mixed keys', req: safe('return {1, a = 2}'), errorClass: 'encode', error: /cannot encode mixed or invalid key types/ },
      { name: 'infinity', req: safe('return {n = 1/0}'), errorClass: 'encode', error: /unsupported value: \+Inf/ },
      { name: 'a self reference', req: safe('local t = {} t.self = t return t'), errorClass: 'encode', error: /recursively nested tables/ },
    ]);
  });

  test('the default environment: base, table, package and the safe os only', () => {
    check([
      { name: 'no string library', req: safe('return string == nil and math == nil and io == nil'), want: { ok: true, luaType: 'boolean', value: true } },
      { name: 'no string methods either', req: safe('return ("x"):upper()'), errorClass: 'runtime', error: /attempt to index a non-table object\(string\) with key 'upper'/ },
      { name: 'no math', req: safe('return math.floor(7/2)'), errorClass: 'runtime', error: /with key 'floor'/ },
      { name: 'os has time and date only', req: safe('return os.exit == nil and os.getenv == nil and type(os.time()) == "number"'), want: { ok: true, luaType: 'boolean', value: true } },
      { name: 'require("os") is the safe os', req: safe('local o = require("os") return o.date ~= nil and o.execute == nil'), want: { ok: true, luaType: 'boolean', value: true } },
      { name: 'os.date formats', req: safe('return os.date("!%Y-%m-%d %H:%M:%S %w %%", 86400)'), want: { ok: true, luaType: 'string', value: '1970-01-02 00:00:00 5 %' } },
      { name: 'os.time of a table', req: safe('return os.time({year = 2024, month = 1, day = 2, hour = 0})'), want: { ok: true, luaType: 'number', value: 1704153600 } },
    ]);
  });

  test('openLibs: the whole standard library, still without files or processes', () => {
    check([
      { name: 'string and math', req: open('return string.format("%d-%s-%5.2f", math.floor(7/2), ("x"):upper(), 3.14159)'), want: { ok: true, luaType: 'string', value: '3-X- 3.14' } },
      { name: 'string.find', req: open('return ("a,b"):find(",")'), want: { ok: true, luaType: 'number', value: 2 } },
      { name: 'files cannot be opened', req: open('local f = io.open("/etc/hostname") return f == nil'), want: { ok: true, luaType: 'boolean', value: true } },
      { name: 'no environment', req: open('return os.getenv("HOME") == nil'), want: { ok: true, luaType: 'boolean', value: true } },
      { name: 'os.exit is refused', req: open('os.exit(1)'), errorClass: 'runtime', error: /os\.exit is not available/ },
      { name: 'a huge string.rep is refused', req: open('return #string.rep("x", 2^31)'), errorClass: 'runtime', error: /string\.rep: the result would exceed/ },
    ]);
  });
});

describe('failures', () => {
  test('errors and runaways come back as errors', () => {
    const t0 = Date.now();
    check([
      { name: 'error()', req: safe('error("boom")'), errorClass: 'runtime', error: /^<string>:1: boom$/ },
      { name: 'a syntax error', req: safe('local x = '), errorClass: 'syntax', error: /^<string>/ },
      { name: 'indexing nil', req: safe('return obj.status.phase'), errorClass: 'runtime', error: /attempt to index a non-table object\(nil\) with key 'phase'/ },
      { name: 'unbounded recursion', req: safe('local function f() return 1 + f() end return f()'), errorClass: 'runtime', error: /stack overflow/ },
      { name: 'while true do end', req: { script: 'while true do end', obj: {}, timeoutMs: 200 }, errorClass: 'timeout', error: /context deadline exceeded/ },
      { name: 'a busy coroutine', req: { script: 'local co = coroutine.wrap(function() while true do end end) co()', obj: {}, openLibs: true, timeoutMs: 200 }, errorClass: 'timeout' },
      { name: 'a growing table', req: { script: 'local t = {} local i = 0 while true do i = i + 1 t[i] = {i} end', obj: {}, timeoutMs: 500 } },
      { name: 'the runtime is still fine', req: safe('return 1'), want: { ok: true, luaType: 'number', value: 1 } },
    ]);
    assert.ok(Date.now() - t0 < 10_000, 'the runaways were stopped');
  });
});

test('runLuaScript is the per-request RunLua health is handed', () => {
  const runLua: RunLua = compat.runLuaScript;
  assert.deepEqual(runLua({ script: 'return {status = "Healthy"}', obj: {} }), { ok: true, luaType: 'table', value: { status: 'Healthy' } });
});
