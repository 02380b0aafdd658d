// Cases for the jq and Lua differential tests: programs crossed with inputs,
// covering paths, filters, deletions, builtins, errors, and Lua tables,
// strings, numbers, control flow and conversion. Nothing reads the clock
// or runs into a time limit, so both builds must agree exactly.
import type { JqRequest } from '../diff/jq-types.ts';
import type { LuaRequest } from '../health/lua-types.ts';

const jqPrograms = [
  '.', '.metadata.name', '.spec.replicas + 1', 'del(.metadata.labels)', 'del(.spec.template.spec.containers[] | select(.name == "sidecar"))',
  'del(.metadata.annotations."kubectl.kubernetes.io/last-applied-configuration")', 'del(.spec.template.spec.containers[].env[]? | select(.name == "A"))',
  '.spec.template.spec.containers | map(.name)', '[.. | numbers]', 'keys', 'to_entries', 'paths | join("/")?', '[paths(type == "string")]',
  '.spec.replicas // 1', '.items[]?', '.metadata.labels | with_entries(.value |= ascii_upcase)', 'tostream', '[splits("-")]?',
  '.metadata.name | test("^[a-z]")', '.metadata.name | sub("-"; "_")', '.metadata.name | ascii_downcase | ltrimstr("web")', 'length',
  '[.spec.template.spec.containers[].image | split(":")[1]]', 'if .spec.replicas > 2 then "big" else "small" end', 'reduce .nums[]? as $n (0; . + $n)',
  '.nums | sort | unique', '.nums | add / length', '.nums | min, max', '[limit(3; .nums[]?)]', 'first(.nums[]?)', '@base64', '@json', '@text',
  'tojson | fromjson', '.missing.deeper', '.metadata[0]', '.nums.x', 'error("custom")', 'try error("x") catch .', '.[] |= 1', 'env | length', '$__loc__',
  'getpath(["spec", "replicas"])', 'setpath(["spec", "paused"]; true) | .spec', 'delpaths([["metadata"], ["spec"]])', 'to_entries | from_entries',
  'splits("("', '.spec.replicas | tostring | tonumber', '1e1000', '[range(5)]', 'input_line_number?', '.nums | group_by(. % 2)', 'ascii',
  'del(.spec.template)', 'del(.)', 'del(.metadata.labels[])', 'walk(if type == "number" then . * 2 else . end)',
];

const jqInputs: unknown[] = [
  {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web-frontend', labels: { app: 'web', tier: 'front' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
    spec: { replicas: 3, template: { spec: { containers: [{ name: 'app', image: 'nginx:1.25', env: [{ name: 'A', value: '1' }] }, { name: 'sidecar', image: 'envoy:1.30' }] } } },
  },
  { metadata: { name: 'empty' }, spec: {} },
  { metadata: { name: 'ünïcödé-日本' }, nums: [3, 1, 2, 3, 10, -4.5], items: [{ a: 1 }, { a: null }] },
  { metadata: { name: 'x', labels: {} }, spec: { replicas: 0 }, nums: [] },
  [], 'plain', 42, null,
];

export function jqCases(): JqRequest[] {
  return jqPrograms.flatMap((program) => jqInputs.map((input) => ({ program, input })));
}

const luaScripts = [
  'return obj', 'return obj.metadata.name', 'return #obj.items', 'return obj.spec.replicas * 2', 'return obj.spec.replicas / 4',
  'return obj.spec.replicas % 2', 'return 2^10', 'return 7 // 2', 'return -obj.spec.replicas', 'return obj.metadata.name .. "-suffix"',
  'return tostring(obj.spec.replicas)', 'return tonumber("0x10")', 'return tonumber("1e2")', 'return type(obj.status)',
  'local hs = {} if obj.status ~= nil and obj.status.phase == "Running" then hs.status = "Healthy" else hs.status = "Progressing" end return hs',
  'local n = 0 for i, item in ipairs(obj.items) do n = n + item.n end return n',
  'local keys = {} for k, _ in pairs(obj.metadata) do table.insert(keys, k) end table.sort(keys) return keys',
  'local t = {} for i = 1, 5 do t[i] = i * i end return t', 'return {}', 'return {a = {}, b = {1, 2}}', 'return {1, 2, nil, 4}', 'return {1, a = 2}',
  'return table.concat({"a", "b", "c"}, ",")', 'return table.getn(obj.items)', 'local t = {3, 1, 2} table.sort(t) return t',
  'local t = {1, 2, 3} table.remove(t, 1) return t', 'return select("#", 1, 2, 3)', 'return unpack({1, 2, 3})', 'return pcall(error, "x")',
  'return select(2, pcall(error, {code = 1}))', 'error("failed: " .. obj.metadata.name)', 'return obj.missing.deeper', 'return nil',
  'return math.floor(3.7)', 'return string.format("%05.1f|%-4s|%x", 3.14159, "ab", 255)', 'return ("Hello"):upper():rep(2)',
  'return string.gsub("hello world", "o", "0")', 'return string.find("a.b", ".", 1, true)', 'return ("k=v"):match("(%w+)=(%w+)")',
  'return string.byte("A") + string.len("abc")', 'return os.date("!%Y-%m-%d", 0)', 'return os.time({year = 2020, month = 1, day = 1, hour = 0})',
  'local x = 0 while x < 1000 do x = x + 1 end return x', 'local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end return fib(15)',
  'return 1/0', 'return 0/0 ~= 0/0', 'return 9007199254740993', 'return obj.spec.replicas == 3 and "three" or "other"', 'goto x', 'return obj[',
];

const luaObjs: unknown[] = [
  { metadata: { name: 'web', namespace: 'prod' }, spec: { replicas: 3 }, status: { phase: 'Running' }, items: [{ n: 1 }, { n: 2.5 }] },
  { metadata: { name: 'ünïcödé' }, spec: { replicas: 0 }, items: [] },
  { metadata: { name: 'big' }, spec: { replicas: 1e15 }, items: [{ n: -1 }], status: { phase: 'Pending' } },
];

export function luaCases(): LuaRequest[] {
  return luaScripts.flatMap((script) => luaObjs.flatMap((obj) => [{ script, obj }, { script, obj, openLibs: true }]));
}
