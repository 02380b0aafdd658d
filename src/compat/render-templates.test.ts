// renderTemplates through the WebAssembly engine, against Argo CD's documented
// ApplicationSet behaviour (Template.md, GoTemplate.md) and the expectations
// of Argo CD's own renderer tests (applicationset/utils/utils_test.go).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TemplateRequest, TemplateResult } from '../template/template-types.ts';
import { loadCompat, type Compat } from './load-compat.ts';

let compat: Compat;
before(async () => { compat = await loadCompat(); });

const render = (req: TemplateRequest): TemplateResult => {
  const [result] = compat.renderTemplates([req]);
  assert.ok(result !== undefined);
  return result;
};
const go = (template: unknown, params: Record<string, unknown>, goTemplateOptions?: string[]): TemplateRequest =>
  ({ template, params, goTemplate: true, ...(goTemplateOptions === undefined ? {} : { goTemplateOptions }) });

interface Case { readonly name: string; readonly req: TemplateRequest; readonly want?: unknown; readonly error?: string | RegExp; readonly errorClass?: string }

function check(cases: readonly Case[]): void {
  const results = compat.renderTemplates(cases.map((c) => c.req));
  cases.forEach((c, i) => {
    const r = results[i];
    if (c.error === undefined && c.errorClass === undefined) {
      assert.deepEqual(r, { ok: true, value: c.want }, c.name);
      return;
    }
    assert.equal(r?.ok, false, `${c.name}: expected an error, got ${JSON.stringify(r)}`);
    if (r?.ok !== false) return;
    if (typeof c.error === 'string') assert.equal(r.error, c.error, c.name);
    else if (c.error !== undefined) assert.match(r.error, c.error, c.name);
    if (c.errorClass !== undefined) assert.equal(r.errorClass, c.errorClass, c.name);
  });
}

describe('Go templates', () => {
  test('fields, pipelines and control structures', () => {
    const hpa = (enabled: boolean) => ({ replicas: 3, hpa: { enabled, minReplicas: 1, maxReplicas: 5 } });
    check([
      { name: 'substitution', req: go('{{ .one }}', { one: 'two' }), want: 'two' },
      { name: 'a value that looks like a template stays literal', req: go('{{ .one }}', { one: '{{two}}' }), want: '{{two}}' },
      { name: 'several on a line', req: go('{{.one}} {{.three}}', { one: '"hello" world', three: 'four' }), want: '"hello" world four' },
      { name: 'nested fields', req: go('{{ .image.name }}:{{ .image.version }}', { image: { name: 'busybox', version: 'latest' } }), want: 'busybox:latest' },
      { name: 'if', req: go('{{ if .hpa.enabled }}{{ .hpa.maxReplicas }}{{ else }}{{ .replicas }}{{ end }}', hpa(true)), want: '5' },
      { name: 'else', req: go('{{ if .hpa.enabled }}{{ .hpa.maxReplicas }}{{ else }}{{ .replicas }}{{ end }}', hpa(false)), want: '3' },
      { name: 'range', req: go('{{ range .volumes }}[{{ .name }}]{{ end }}', { volumes: [{ name: 'volume-one' }, { name: 'volume-two' }] }), want: '[volume-one][volume-two]' },
      { name: 'index with a dashed key', req: go('{{ index .admin "admin-ca" }}, {{ index .admin "admin-jks" }}', { admin: { 'admin-ca': 'value admin ca', 'admin-jks': 'value admin jks' } }), want: 'value admin ca, value admin jks' },
      { name: 'index into a list', req: go('{{ index .path.segments 1 }}', { path: { segments: ['apps', 'guestbook'] } }), want: 'guestbook' },
      { name: 'trim markers', req: go('a  {{- .x -}}  b', { x: 1 }), want: 'a1b' },
      { name: 'trim across newlines', req: go('{{ .x }}\n  {{- " y" }}', { x: 'v' }), want: 'v y' },
      { name: 'variables and with', req: go('{{ $n := .name }}{{ with .env }}{{ $n }}-{{ . }}{{ end }}', { name: 'app', env: 'prod' }), want: 'app-prod' },
      { name: 'define and template', req: go('{{ define "x" }}<{{ . }}>{{ end }}{{ template "x" .name }}', { name: 'n' }), want: '<n>' },
      { name: 'numbers from JSON are float64', req: go('{{ .replicas }} {{ printf "%v %T" .replicas .replicas }}', { replicas: 3 }), want: '3 3 float64' },
      { name: 'printf verbs', req: go('{{ printf "%s-%03d-%.2f-%q-%x" "a" 7 3.14159 "q" 255 }}', { x: 1 }), want: 'a-007-3.14-"q"-ff' },
      { name: 'comparisons', req: go('{{ eq .a "x" }} {{ ne .a "y" }} {{ lt 1 2 }} {{ ge 2.5 2.5 }} {{ and true .b }} {{ or false "" }} {{ not .b }}', { a: 'x', b: false }), want: 'true true true true false  true' },
      { name: 'len, slice, print', req: go('{{ len .l }} {{ slice .l 1 3 }} {{ print 1 "a" }} {{ println "z" }}', { l: [1, 2, 3] }), want: '3 [2 3] 1a z\n' },
      // sprig's list `slice` replaces the text/template builtin, as in Argo CD.
      { name: 'slice of a string is an error', req: go('{{ slice .s 1 3 }}', { s: 'hello' }), errorClass: 'exec' },
      { name: 'html, js, urlquery', req: go('{{ html "<a>" }} {{ js "it\'s" }} {{ urlquery "a b&c" }}', { x: 1 }), want: '&lt;a&gt; it\\\'s a+b%26c' },
      { name: 'unicode', req: go('{{ .name | upper }} {{ len .name }}', { name: 'ünï' }), want: 'ÜNÏ 5' },
    ]);
  });

  test('missing keys under each missingkey option', () => {
    const missing = '--> {{.doesnotexist}} <--';
    const params = { unused: 'this is not used' };
    check([
      { name: 'default prints <no value>', req: go(missing, params), want: '--> <no value> <--' },
      { name: 'missingkey=default', req: go(missing, params, ['missingkey=default']), want: '--> <no value> <--' },
      { name: 'missingkey=invalid', req: go(missing, params, ['missingkey=invalid']), want: '--> <no value> <--' },
      { name: 'missingkey=zero on a map of any is still <no value>', req: go(missing, params, ['missingkey=zero']), want: '--> <no value> <--' },
      {
        name: 'missingkey=error', req: go(missing, params, ['missingkey=error']), errorClass: 'missingKey',
        error: 'failed to execute go template --> {{.doesnotexist}} <--: template: base:1:6: executing "base" at <.doesnotexist>: map has no entry for key "doesnotexist"',
      },
      {
        name: 'a field of a string', req: go('{{.data.test}}', { data: 'a data string' }), errorClass: 'missingKey',
        error: 'failed to execute go template {{.data.test}}: template: base:1:7: executing "base" at <.data.test>: can\'t evaluate field test in type interface {}',
      },
      { name: 'an unknown option', req: go('{{ .a }}', { a: 1 }, ['missingkey=nope']), errorClass: 'option', error: 'unrecognized option: missingkey=nope' },
    ]);
  });

  test('parse and execution errors carry Argo CD\'s messages', () => {
    check([
      {
        name: 'unknown function', req: go('{{functiondoesnotexist}}', { data: 'a data string' }), errorClass: 'parse',
        error: 'failed to parse template {{functiondoesnotexist}}: template: base:1: function "functiondoesnotexist" not defined',
      },
      { name: 'env is removed', req: go('{{ env "HOME" }}', { a: 1 }), errorClass: 'parse', error: 'failed to parse template {{ env "HOME" }}: template: base:1: function "env" not defined' },
      { name: 'expandenv is removed', req: go('{{ expandenv "$HOME" }}', { a: 1 }), errorClass: 'parse' },
      { name: 'getHostByName is removed', req: go('{{ getHostByName "localhost" }}', { a: 1 }), errorClass: 'parse' },
      { name: 'unclosed action', req: go('{{ .a', { a: 1 }), errorClass: 'parse', error: 'failed to parse template {{ .a: template: base:1: unclosed action' },
      { name: 'a failing function', req: go('{{ fail "stop" }}', { a: 1 }), errorClass: 'exec', error: 'failed to execute go template {{ fail "stop" }}: template: base:1:3: executing "base" at <fail "stop">: error calling fail: stop' },
      {
        name: 'fromYaml of bad YAML', req: go('{{ get (fromYaml .value) "hello" }}', { value: 'non\n compliant\n yaml' }), errorClass: 'exec',
        error: 'failed to execute go template {{ get (fromYaml .value) "hello" }}: template: base:1:8: executing "base" at <fromYaml .value>: error calling fromYaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type map[string]interface {}',
      },
    ]);
  });

  test('sprig and Argo CD functions', () => {
    check([
      { name: 'toYaml', req: go('{{ toYaml . | indent 2 }}', { foo: { bar: { bool: true, number: 2, str: 'Hello world' } } }), want: '  foo:\n    bar:\n      bool: true\n      number: 2\n      str: Hello world' },
      { name: 'fromYaml', req: go('{{ get (fromYaml .value) "hello" }}', { value: 'hello: world' }), want: 'world' },
      { name: 'fromYamlArray', req: go('{{ fromYamlArray .value | last }}', { value: '- hello world\n- bonjour tout le monde' }), want: 'bonjour tout le monde' },
      { name: 'toJson sorts keys and escapes HTML', req: go('{{ toJson .m }}', { m: { b: '<2>', a: 1 } }), want: '{"a":1,"b":"\\u003c2\\u003e"}' },
      { name: 'toRawJson does not escape', req: go('{{ toRawJson .m }}', { m: { b: '<2>' } }), want: '{"b":"<2>"}' },
      { name: 'toPrettyJson', req: go('{{ toPrettyJson .m }}', { m: { a: [1] } }), want: '{\n  "a": [\n    1\n  ]\n}' },
      { name: 'fromJson', req: go('{{ (fromJson .s).a }}', { s: '{"a":"b"}' }), want: 'b' },
      { name: 'normalize', req: go('{{ normalize .n }}', { n: '-My_App.Name!-' }), want: 'my-app.name' },
      { name: 'slugify', req: go('{{ slugify .n }}', { n: 'Hello World, Again!' }), want: 'hello-world-again' },
      { name: 'slugify with a length', req: go('{{ slugify 12 false .n }}', { n: 'Hello World, Again!' }), want: 'hello-world' },
      { name: 'string functions', req: go('{{ .s | trim | lower | replace " " "-" | trunc 8 }}', { s: '  Hello Big World ' }), want: 'hello-bi' },
      { name: 'default and empty', req: go('{{ .missing | default "fallback" }} {{ empty .e }} {{ coalesce "" .x "z" }}', { e: '', x: '' }), want: 'fallback true z' },
      { name: 'lists and dicts', req: go('{{ list 3 1 2 | sortAlpha | join "," }} {{ (dict "k" "v").k }} {{ keys .m | sortAlpha | join "+" }}', { m: { b: 1, a: 2 } }), want: '1,2,3 v a+b' },
      { name: 'encodings and hashes', req: go('{{ b64enc "hi" }} {{ b64dec "aGk=" }} {{ sha256sum "a" | trunc 12 }}', { x: 1 }), want: 'aGk= hi ca978112ca1b' },
      { name: 'semver', req: go('{{ semverCompare ">=1.2.0" .v }} {{ (semver .v).Minor }}', { v: '1.3.5' }), want: 'true 3' },
      { name: 'regex', req: go('{{ regexReplaceAll "[0-9]+" .s "N" }} {{ regexMatch "^a" .s }}', { s: 'a1b22' }), want: 'aNbN true' },
      { name: 'math on float64 params', req: go('{{ add .n 1 }} {{ mul .n 2 }} {{ div 7 2 }} {{ max 1 .n }}', { n: 3 }), want: '4 6 3 3' },
      { name: 'ternary, quote, squote', req: go('{{ ternary "a" "b" .t }} {{ quote .s }} {{ squote .s }}', { t: true, s: 'x' }), want: 'a "x" \'x\'' },
    ]);
  });
});

describe('the JSON walk', () => {
  test('renders every string, keys included, and drops null map entries', () => {
    const template = {
      metadata: { name: '{{.name}}-app', labels: { '{{.key}}': '{{.value}}' } },
      spec: { source: { path: '{{.path}}' }, list: ['{{.name}}', 3, true, null], nothing: null, n: 1.5 },
    };
    check([{
      name: 'application',
      req: go(template, { name: 'guestbook', key: 'team', value: 'core', path: 'apps/guestbook' }),
      want: { metadata: { name: 'guestbook-app', labels: { team: 'core' } }, spec: { source: { path: 'apps/guestbook' }, list: ['guestbook', 3, true, null], n: 1.5 } },
    }]);
  });

  test('with no parameters the template is returned untouched', () => {
    check([{ name: 'no params', req: go({ a: '{{.data}}', b: null }, {}, ['missingkey=error']), want: { a: '{{.data}}', b: null } }]);
  });

  test('the first failing string fails the whole value', () => {
    check([{ name: 'error inside', req: go({ a: 'ok', b: ['{{ .x.y }}'] }, { x: 'str' }), errorClass: 'missingKey' }]);
  });

  test('generator specs resolve values with missingkey=error and keep unknown ones', () => {
    const gen = {
      clusters: { values: { env: '{{.path.basename}}', clusterName: '{{.name}}', static: 'fixed' } },
      git: { repoURL: 'https://git.example.com/{{.path.basename}}', values: { basename: '{{.path.basename}}' } },
    };
    check([
      {
        name: 'values', req: { ...go(gen, { path: { basename: 'guestbook' } }), target: 'generator' },
        want: {
          clusters: { values: { env: 'guestbook', clusterName: '{{.name}}', static: 'fixed' } },
          git: { repoURL: 'https://git.example.com/guestbook', values: { basename: 'guestbook' } },
        },
      },
      {
        name: 'a malformed value', req: { ...go({ clusters: { values: { bad: '{{.path.basename' } } }, { path: { basename: 'x' } }), target: 'generator' },
        errorClass: 'parse',
        error: 'failed to replace parameters in generator: failed to pre-resolve Values key "bad": failed to parse template {{.path.basename: template: base:1: unclosed action',
      },
      {
        name: 'fasttemplate keeps an unknown value', req: { template: { clusters: { values: { clusterName: '{{name}}', env: '{{path.basename}}' } } }, params: { 'path.basename': 'guestbook' }, goTemplate: false, target: 'generator' },
        want: { clusters: { values: { clusterName: '{{name}}', env: 'guestbook' } } },
      },
    ]);
  });
});

describe('templatePatch', () => {
  const app = {
    metadata: { name: '{{.cluster}}-guestbook', namespace: 'namespace', finalizers: ['resources-finalizer.argocd.argoproj.io'] },
    spec: {
      project: 'default',
      source: { repoURL: 'https://github.com/argoproj/argocd-example-apps.git', targetRevision: 'HEAD', path: 'guestbook' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' },
    },
  };
  const patched = (extra: Record<string, unknown> = {}) => ({
    metadata: { name: 'my-cluster-guestbook', namespace: 'namespace', finalizers: ['resources-finalizer.argocd.argoproj.io'], annotations: { 'annotation-some-key': 'annotation-some-value' } },
    spec: {
      ...app.spec,
      source: { ...app.spec.source, helm: { valueFiles: ['values.test.yaml', 'values.big.yaml'] } },
      syncPolicy: { automated: { prune: true } },
      ...extra,
    },
  });
  const yamlPatch = `
metadata:
  annotations:
    annotation-some-key: annotation-some-value
spec:
  source:
    helm:
      valueFiles:
        - values.test.yaml
        - values.big.yaml
{{- if .autoSync }}
  syncPolicy:
    automated:
      prune: {{ .prune }}
{{- end }}`;
  const params = { cluster: 'my-cluster', autoSync: true, prune: true };
  const patch = (templatePatch: string, template: unknown = app, p: Record<string, unknown> = params): TemplateRequest => ({ ...go(template, p), templatePatch });

  test('YAML and JSON patches merge into the rendered Application', () => {
    const jsonPatch = JSON.stringify({
      metadata: { annotations: { 'annotation-some-key': 'annotation-some-value' } },
      spec: { source: { helm: { valueFiles: ['values.test.yaml', 'values.big.yaml'] } }, syncPolicy: { automated: { prune: true } } },
    });
    check([
      { name: 'YAML, rendered with the parameters', req: patch(yamlPatch), want: patched() },
      { name: 'JSON', req: patch(jsonPatch), want: patched() },
    ]);
  });

  test('strategic merge semantics of the Application type', () => {
    const base = { metadata: { name: 'x', labels: { a: '1', b: '2' }, finalizers: ['first'] }, spec: { project: 'p', source: { repoURL: 'r', helm: { valueFiles: ['a.yaml', 'b.yaml'] } }, destination: {} } };
    check([
      { name: 'null deletes a key', req: patch('metadata:\n  labels:\n    a: null\n    c: "3"', base), want: { ...base, metadata: { ...base.metadata, labels: { b: '2', c: '3' } } } },
      { name: 'lists are replaced', req: patch('spec:\n  source:\n    helm:\n      valueFiles: [c.yaml]', base), want: { ...base, spec: { ...base.spec, source: { repoURL: 'r', helm: { valueFiles: ['c.yaml'] } } } } },
      { name: 'finalizers merge (a merge list in ObjectMeta)', req: patch('metadata:\n  finalizers: [second]', base), want: { ...base, metadata: { ...base.metadata, finalizers: ['second', 'first'] } } },
      { name: '$patch: replace replaces a map', req: patch('metadata:\n  labels:\n    $patch: replace\n    z: "9"', base), want: { ...base, metadata: { ...base.metadata, labels: { z: '9' } } } },
      { name: 'the project cannot change', req: patch('spec:\n  project: other', base), want: base },
      { name: 'fields the Application type does not declare are dropped', req: patch('spec:\n  unknownField: 1\n  info: [{name: a, value: b}]', base), want: { ...base, spec: { ...base.spec, info: [{ name: 'a', value: 'b' }] } } },
    ]);
  });

  test('errors carry Argo CD\'s messages', () => {
    check([
      { name: 'not an object', req: patch('hello world'), errorClass: 'patch', error: 'invalid templatePatch "\\"hello world\\"": json: cannot unmarshal string into Go value of type v1alpha1.Application' },
      {
        name: 'a wrong type', req: patch('{"spec": {"revisionHistoryLimit": "ten"}}'), errorClass: 'patch',
        error: 'invalid templatePatch "{\\"spec\\": {\\"revisionHistoryLimit\\": \\"ten\\"}}": json: cannot unmarshal string into Go struct field ApplicationSpec.spec.revisionHistoryLimit of type int64',
      },
      { name: 'bad YAML', req: patch('a: [b'), errorClass: 'patch', error: /^error while converting template to json "a: \[b": / },
      {
        name: 'a template error in the patch', req: { ...go(app, params, ['missingkey=error']), templatePatch: 'spec: {{ .nope }}' }, errorClass: 'missingKey',
        error: 'error replacing values in templatePatch: failed to execute go template spec: {{ .nope }}: template: base:1:9: executing "base" at <.nope>: map has no entry for key "nope"',
      },
      {
        name: 'merging into helm valuesObject fails as in Argo CD',
        req: patch('spec:\n  source:\n    helm:\n      valuesObject:\n        a:\n          c: 2', { metadata: { name: 'x' }, spec: { project: 'p', source: { repoURL: 'r', helm: { valuesObject: { a: { b: 1 } } } } } }),
        errorClass: 'patch', error: 'error while applying templatePatch template to json "{\\"spec\\":{\\"source\\":{\\"helm\\":{\\"valuesObject\\":{\\"a\\":{\\"c\\":2}}}}}}": unable to find api field in struct RawExtension for the json field "a"',
      },
    ]);
  });

  test('default finalizers are set before the patch, only on an Application without any', () => {
    const bare = { metadata: { name: 'x' }, spec: { project: 'p', destination: {} } };
    const finalizer = 'resources-finalizer.argocd.argoproj.io';
    check([
      { name: 'added, then merged with the patch', req: { ...patch('metadata:\n  finalizers: [mine]', bare), defaultFinalizers: [finalizer] }, want: { ...bare, metadata: { name: 'x', finalizers: ['mine', finalizer] } } },
      { name: 'kept when the template has finalizers', req: { ...go({ metadata: { name: 'x', finalizers: ['own'] } }, { a: 1 }), defaultFinalizers: [finalizer] }, want: { metadata: { name: 'x', finalizers: ['own'] } } },
      { name: 'not with empty parameters', req: { ...go({ metadata: { name: 'x' } }, {}), defaultFinalizers: [finalizer] }, want: { metadata: { name: 'x' } } },
    ]);
  });
});

describe('fasttemplate (goTemplate: false)', () => {
  const fast = (template: unknown, params: Record<string, unknown>): TemplateRequest => ({ template, params, goTemplate: false });
  test('substitutes string parameters by their trimmed name', () => {
    check([
      { name: 'simple', req: fast('{{one}}', { one: 'two' }), want: 'two' },
      { name: 'whitespace', req: fast('{{ one }}', { one: 'two' }), want: 'two' },
      { name: 'not a template', req: fast('}} {{', { one: 'two' }), want: '}} {{' },
      { name: 'nested braces', req: fast('{{ {{ }}', { one: 'two' }), want: '{{ {{ }}' },
      { name: 'empty tag', req: fast('{{ }}', { one: 'two' }), want: '{{ }}' },
      { name: 'unknown parameter is left as written', req: fast('{{ one }}-{{ nope }}', { one: 'two' }), want: 'two-{{ nope }}' },
      { name: 'case sensitive', req: fast('{{ONE}}', { one: 'two' }), want: '{{ONE}}' },
      { name: 'a value is not re-rendered', req: fast('{{one}}', { one: '{{one}}' }), want: '{{one}}' },
      { name: 'flattened keys', req: fast('{{path.basename}}/{{path[0]}}', { 'path.basename': 'guestbook', 'path[0]': 'apps' }), want: 'guestbook/apps' },
      { name: 'non-string parameters do not substitute', req: fast('{{n}} {{b}}', { n: 3, b: true }), want: '{{n}} {{b}}' },
      { name: 'several', req: fast('{{one}}{{three}}', { one: 'two', three: 'four' }), want: 'twofour' },
      { name: 'Go template syntax is just a name', req: fast('{{ .one }}', { one: 'two' }), want: '{{ .one }}' },
      { name: 'an unclosed tag after a closed one', req: fast('{{one}} {{two', { one: 'x' }), errorClass: 'parse' },
    ]);
  });
});

test('a batch keeps request order and isolates errors', () => {
  const reqs: TemplateRequest[] = Array.from({ length: 500 }, (_, i) => go(i % 7 === 3 ? '{{ .x' : '{{ .x }}', { x: i }));
  const results = compat.renderTemplates(reqs);
  assert.equal(results.length, 500);
  results.forEach((r, i) => {
    if (i % 7 === 3) assert.equal(r.ok, false);
    else assert.deepEqual(r, { ok: true, value: String(i) });
  });
  assert.deepEqual(compat.renderTemplates([]), []);
});

test('one template object shared by many requests renders per parameter set', () => {
  const template = { metadata: { name: '{{ .name }}' }, spec: { n: 1 } };
  const results = compat.renderTemplates(['a', 'b', 'c'].map((name) => go(template, { name })));
  assert.deepEqual(results.map((r) => (r.ok ? r.value : r.error)), ['a', 'b', 'c'].map((name) => ({ metadata: { name }, spec: { n: 1 } })));
  assert.deepEqual(template, { metadata: { name: '{{ .name }}' }, spec: { n: 1 } }, 'the template is not modified');
});

test('a request that exhausts memory fails alone', () => {
  const results = compat.renderTemplates([
    go('a{{ .x }}', { x: 1 }),
    go('{{ repeat 1073741824 "xyzw" }}', { x: 1 }),
    go('b{{ .x }}', { x: 2 }),
  ]);
  assert.deepEqual(results[0], { ok: true, value: 'a1' });
  assert.equal(results[1]?.ok, false);
  assert.deepEqual(results[2], { ok: true, value: 'b2' });
  assert.deepEqual(render(go('{{ .x }}', { x: 'still works' })), { ok: true, value: 'still works' });
});

test('the engine links the versions Argo CD 3.5 pins', () => {
  const { modules } = compat.versions();
  assert.equal(modules['github.com/Masterminds/sprig/v3'], 'v3.3.0');
  assert.equal(modules['github.com/valyala/fasttemplate'], 'v1.2.2');
  assert.equal(modules['github.com/itchyny/gojq'], 'v0.12.19');
  assert.equal(modules['github.com/yuin/gopher-lua'], 'v1.1.2');
});
