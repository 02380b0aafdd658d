// A deterministic generator of Go template and fasttemplate cases for the
// differential tests: actions, pipelines, variables, if/else if/range/with/
// define/template/block, trim markers, comparisons, every text/template
// builtin, fmt verbs, sprig and Argo CD functions, missing keys under each
// missingkey option, syntax errors, nested parameters, unicode, and whole
// JSON templates. Functions whose output depends on the clock, randomness,
// map order or the time zone database are left out: both engines would
// disagree with themselves. So are numbers beyond the int64 range: Go's
// float64 to int64 conversion (sprig's int, add, max...) is platform
// defined there (amd64 gives the minimum, WebAssembly and arm64 saturate).
import type { TemplateRequest } from '../template/template-types.ts';

export interface TemplateCase {
  readonly id: number;
  /** The feature the case exercises, for coverage counts. */
  readonly feature: string;
  readonly request: TemplateRequest;
}

/** mulberry32: a small seeded generator, so a seed names a case set. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const words = ['guestbook', 'api', 'Web-Frontend', 'data_store', 'a b c', 'ünïcödé', '日本語', 'emoji 🚀', 'Ελληνικά',
  'x', '', '  padded  ', 'line\nbreak', 'quote"d', "it's", 'back\\slash', '<b>&amp;</b>', '1.2.3', '42', 'v1.10.0-rc.1', 'a-b-c'];
const stringFields = ['.name', '.env', '.labels.app', '.labels.tier', '.nested.a.b.c', '.path.basename', '.path.path', '.unicode', '.html', '.empty', '.version'];
const numberFields = ['.replicas', '.ratio', '.zero', '.negative', '.big'];
const listFields = ['.list', '.nums', '.path.segments', '.nested.items', '.emptyList'];
const mapFields = ['.labels', '.nested', '.nested.a', '.emptyMap', '.path'];
const otherFields = ['.enabled', '.disabled', '.nothing', '.', '$', '.missing', '.missing.deeper', '.labels.missing', '.name.nope'];
const literals = ['"text"', '`raw\\n`', '42', '-3', '3.5', '1e3', 'true', 'false', "'a'", '0x1F', '""'];
const verbs = ['%v', '%+v', '%#v', '%T', '%d', '%5d', '%-5d|', '%05d', '%+d', '%x', '%X', '%o', '%b', '%c', '%U', '%e', '%E', '%f', '%.2f',
  '%8.3f', '%g', '%G', '%s', '%10s|', '%-10s|', '%.3s', '%q', '%t', '%%', '%!', '%d %d', '%[2]v %[1]v', '%*d', '%x % x'];
const options: ReadonlyArray<readonly string[]> = [[], [], [], ['missingkey=error'], ['missingkey=zero'], ['missingkey=default'], ['missingkey=invalid']];

// Sprig and Argo CD function calls; S a string, N a number, L a list, M a map, X anything.
const sprigCalls = [
  'upper S', 'lower S', 'title S', 'untitle S', 'trim S', 'trimAll "-" S', 'trimPrefix "a" S', 'trimSuffix "e" S', 'replace "a" "4" S',
  'repeat 3 S', 'substr 1 4 S', 'trunc 5 S', 'trunc -3 S', 'abbrev 6 S', 'abbrevboth 2 8 S', 'nospace S', 'initials S', 'quote S', 'squote S',
  'cat S S', 'indent 2 S', 'nindent 2 S', 'contains "a" S', 'hasPrefix "a" S', 'hasSuffix "s" S', 'wrap 5 S', 'wrapWith 4 "|" S',
  'kebabcase S', 'snakecase S', 'camelcase S', 'swapcase S', 'plural "one" "many" N', 'toString X', 'toStrings L', 'toJson X', 'toPrettyJson X',
  'toRawJson X', 'toYaml X', 'fromYaml S', 'fromYamlArray S', 'fromJson S', 'mustFromJson S', 'default "fallback" X', 'empty X', 'coalesce X X "z"',
  'ternary "yes" "no" (empty X)', 'list S N', 'dict "k" S "n" N', 'first L', 'last L', 'rest L', 'initial L', 'append L S', 'prepend L S',
  'concat L L', 'reverse L', 'uniq L', 'compact L', 'sortAlpha L', 'join "-" L', 'split "-" S', 'splitList "-" S', 'chunk 2 L', 'has S L',
  'without L S', 'mustFirst L', 'atoi S', 'int N', 'int64 N', 'float64 N', 'float64 S', 'add N N', 'add1 N', 'sub N N', 'mul N N', 'div N N',
  'mod N N', 'max N N N', 'min N N', 'floor N', 'ceil N', 'round N 2', 'addf N N', 'divf N N', 'b64enc S', 'b64dec S', 'b32enc S', 'sha1sum S',
  'sha256sum S', 'sha512sum S', 'adler32sum S', 'regexMatch "^[a-z]+$" S', 'regexFind "[0-9]+" S', 'regexFindAll "[a-z]" S 3',
  'regexReplaceAll "[aeiou]" S "_"', 'regexSplit "-" S -1', 'mustRegexMatch "[" S', 'semverCompare "^1.2" S', 'semverCompare ">=1.0.0" "1.2.3"',
  '(semver "1.2.3").Minor', 'until N', 'untilStep 0 N 2', 'seq 1 3', 'typeOf X', 'kindOf X', 'typeIs "string" X', 'deepEqual X X',
  'normalize S', 'slugify S', 'slugify 8 false S', 'hasKey M "app"', 'get M "app"', 'set (dict) "a" S', 'unset (dict "a" 1) "a"', 'pick M "app"',
  'omit M "app"', 'keys M | sortAlpha', 'merge (dict "a" 1) (dict "a" 2 "b" 3)', 'mergeOverwrite (dict "a" 1) (dict "a" 2)',
  'dig "a" "b" "c" "none" .nested', 'pluck "name" (dict "name" S) (dict "name" "two")', 'required "value needed" X', 'fail "stop"',
  'dateInZone "2006-01-02T15:04" 0 "UTC"', 'urlParse "https://user@host:8080/p?q=1#f"', 'urlJoin (dict "scheme" "https" "host" "h" "path" "/x")',
  'toDecimal "0777"', 'toOctal 8', 'shellQuote S', 'quote N', 'env "HOME"', 'expandenv "$HOME"', 'getHostByName "localhost"', 'nope S',
];

const builtinCalls = [
  'and X X', 'and X X X', 'or X X', 'or X X X', 'not X', 'len X', 'index L 0', 'index L 1 0', 'index M "app"', 'index L 99', 'index X "k"',
  'slice L 1', 'slice L 0 2', 'slice S 1 2', 'print X', 'print X X', 'print S N', 'println X X', 'printf "%v-%v" X X', 'eq X X', 'eq X S S',
  'ne X X', 'lt N N', 'lt S S', 'le N N', 'gt N N', 'ge N N', 'lt X X', 'eq N 3', 'html X', 'js X', 'urlquery X', 'urlquery S S', 'call X',
  'call X S', 'len N',
];

export function generateTemplateCases(seed: number, count: number): TemplateCase[] {
  const rnd = random(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const chance = (p: number): boolean => rnd() < p;

  const word = (): string => pick(words);
  const params = (): Record<string, unknown> => ({
    name: word(), env: pick(['dev', 'prod', 'staging']), version: pick(['1.2.3', '1.3.0', '0.9', 'v2.0.0', 'bad']),
    replicas: int(0, 9), ratio: pick([0.5, 1.25, -2.75, 1e15, 3]), zero: 0, negative: -int(1, 99), big: pick([2 ** 53 + 2, 2 ** 40, -(2 ** 53)]),
    enabled: true, disabled: false, nothing: null, empty: '', emptyList: [], emptyMap: {},
    labels: { app: word(), tier: pick(['web', 'db']), 'team-name': word() },
    list: Array.from({ length: int(0, 4) }, word), nums: Array.from({ length: int(1, 4) }, () => int(-5, 20)),
    nested: { a: { b: { c: word() } }, items: [{ name: word(), port: int(1, 9000) }, { name: word(), port: int(1, 9000) }] },
    path: { basename: word(), path: 'apps/' + word(), segments: ['apps', word()] },
    unicode: pick(['ünïcödé', '日本語', 'emoji 🚀', 'Ελληνικά', 'ﬁ ligature']), html: '<b>&"\'</b>',
    ...(chance(0.3) ? { [word()]: word() } : {}),
  });

  const stringOperand = (): string => chance(0.8) ? pick(stringFields) : pick(['"a-b"', '"Hello World"', '"ünï"', '"1.2.4"', '"a1b22"', '`- x`', '"{\\"a\\":1}"']);
  const numberOperand = (): string => chance(0.6) ? pick(numberFields) : pick(['0', '1', '2', '-7', '3.5', '1e3', '"4"']);
  const listOperand = (): string => chance(0.8) ? pick(listFields) : pick(['(list 1 "b" 2)', '(list)', '(splitList "," "c,a,b")']);
  const mapOperand = (): string => chance(0.85) ? pick(mapFields) : '(dict "app" "x")';
  const anyOperand = (): string => {
    const r = rnd();
    if (r < 0.3) return stringOperand();
    if (r < 0.45) return numberOperand();
    if (r < 0.55) return listOperand();
    if (r < 0.62) return mapOperand();
    if (r < 0.82) return pick(otherFields);
    return pick(literals);
  };
  const fill = (call: string): string => call
    .replace(/\bS\b/g, () => stringOperand()).replace(/\bN\b/g, () => numberOperand())
    .replace(/\bL\b/g, () => listOperand()).replace(/\bM\b/g, () => mapOperand()).replace(/\bX\b/g, () => anyOperand());
  const text = (): string => pick(['', ' ', 'app-', ' / ', '\n', '  ', 'ü', '{', '}', ':', '日本']);
  const action = (inner: string): string => {
    const open = chance(0.15) ? '{{- ' : '{{ ';
    const close = chance(0.15) ? ' -}}' : ' }}';
    return `${text()}${open}${inner}${close}${text()}`;
  };
  const condition = (): string => pick([anyOperand(), `eq ${stringOperand()} ${stringOperand()}`, `gt ${numberOperand()} ${numberOperand()}`,
    `and ${anyOperand()} ${anyOperand()}`, `not ${anyOperand()}`, `hasKey ${mapOperand()} "app"`, `empty ${anyOperand()}`]);

  const features: Array<[string, number, () => string]> = [
    ['field', 8, () => action(anyOperand())],
    ['pipeline', 8, () => action(`${anyOperand()} | ${pick(['upper', 'lower', 'quote', 'trim', 'toString', 'toJson', 'len', 'title', 'b64enc', 'default "d"', 'printf "%q"', 'print', 'html', 'js', 'urlquery'])}${chance(0.5) ? ` | ${pick(['quote', 'upper', 'len', 'print', 'toJson'])}` : ''}`)],
    ['builtin', 12, () => action(fill(pick(builtinCalls)))],
    ['printf', 10, () => action(`printf "${pick(verbs)}" ${anyOperand()}${chance(0.3) ? ` ${anyOperand()}` : ''}`)],
    ['sprig', 22, () => action(fill(pick(sprigCalls)))],
    ['if', 6, () => `{{ if ${condition()} }}${text()}A{{ ${chance(0.5) ? `else if ${condition()} }}B{{ ` : ''}else }}C{{ end }}`],
    ['range', 6, () => pick([
      `{{ range $i, $v := ${listOperand()} }}{{ $i }}={{ $v }},{{ else }}none{{ end }}`,
      `{{ range ${mapOperand()} }}[{{ . }}]{{ end }}`,
      `{{ range $k, $v := ${mapOperand()} }}{{ $k }}:{{ $v }};{{ end }}`,
      `{{ range ${listOperand()} }}{{ if eq (toString .) "x" }}{{ break }}{{ end }}{{ . }}{{ end }}`,
      `{{ range $i, $v := ${listOperand()} }}{{ if eq $i 1 }}{{ continue }}{{ end }}{{ $v }}{{ end }}`,
      `{{ range ${pick(['3', '0', '.replicas', '"abc"'])} }}{{ . }}{{ end }}`,
      `{{ range .nested.items }}{{ .name }}:{{ .port }} {{ end }}`,
    ])],
    ['with', 4, () => pick([
      `{{ with ${anyOperand()} }}<{{ . }}>{{ else }}empty{{ end }}`,
      `{{ with ${anyOperand()} }}a{{ else with ${anyOperand()} }}b{{ else }}c{{ end }}`,
      `{{ with .labels }}{{ .app }}-{{ $.env }}{{ end }}`,
    ])],
    ['define', 4, () => pick([
      `{{ define "t" }}[{{ . }}]{{ end }}{{ template "t" ${anyOperand()} }}`,
      `{{ block "b" ${anyOperand()} }}default {{ . }}{{ end }}`,
      `{{ define "x" }}{{ .name | upper }}{{ end }}{{ template "x" . }}-{{ template "x" $ }}`,
      `{{ template "missing" . }}`,
      `{{ define "a" }}A{{ template "b" }}{{ end }}{{ define "b" }}B{{ end }}{{ template "a" }}`,
    ])],
    ['variables', 4, () => pick([
      `{{ $x := ${anyOperand()} }}{{ $x }}`,
      `{{ $x := 1 }}{{ $x = ${anyOperand()} }}{{ $x }}`,
      `{{ $n := .name }}{{ range .list }}{{ $n }}{{ . }}{{ end }}`,
      `{{ $undefined }}`,
      `{{ $x := .labels }}{{ $x.app }}`,
    ])],
    ['trim', 4, () => `${text()}  {{- ${anyOperand()} -}}  \n ${text()}{{ "y" -}}\n\t z {{- /* comment */ -}} end`],
    ['comparison', 5, () => action(`${pick(['eq', 'ne', 'lt', 'le', 'gt', 'ge'])} ${anyOperand()} ${anyOperand()}`)],
    ['missingkey', 6, () => action(pick(['.missing', '.missing.deeper', '.labels.missing', '.nested.a.nope', '.name.nope', 'index .labels "missing"', '.nothing.x']))],
    ['syntax-error', 4, () => pick(['{{ .name', '{{ end }}', '{{ else }}', '{{ if }}{{ end }}', '{{ .name | }}', '{{ range }}', '{{ nil }}',
      '{{ .a..b }}', '{{ "unterminated }}', '{{ define "x" }}', '{{ template }}', '{{ 1 2 }}', '{{ (.name }}', '{{ .name ) }}', '{{/* open'])],
    ['unicode', 3, () => `ｕｎｉ ${action(pick(['.unicode | upper', 'len .unicode', 'trunc 3 .unicode', 'substr 0 2 .unicode', 'printf "%q" .unicode', 'toJson .unicode']))} ✓`],
  ];
  const total = features.reduce((n, [, w]) => n + w, 0);
  const pickFeature = (): [string, () => string] => {
    let r = rnd() * total;
    for (const [name, weight, make] of features) {
      r -= weight;
      if (r < 0) return [name, make];
    }
    const last = features[features.length - 1]!;
    return [last[0], last[2]];
  };

  const flat = (p: Record<string, unknown>): Record<string, unknown> => ({
    name: p['name'], env: p['env'], 'path.basename': (p['path'] as { basename: string }).basename, 'path[0]': 'apps',
    replicas: p['replicas'], 'labels.app': (p['labels'] as { app: string }).app, ' spaced ': 'kept',
  });
  const fastTemplate = (): string => pick(['{{name}}-{{env}}', '{{ name }}', '{{path.basename}}/{{path[0]}}', '{{replicas}}', '{{ missing }}',
    '{{}}', '{{ }}', 'plain', '{{name', 'a}}b{{', '{{labels.app}}{{ labels.app }}', '{{ spaced }}', '{{{{name}}}}', 'multi\n{{name}}\nline', '{{.name}}']);

  const cases: TemplateCase[] = [];
  for (let id = 0; id < count; id++) {
    const p = params();
    const r = rnd();
    if (r < 0.1) {
      cases.push({ id, feature: 'fasttemplate', request: { template: chance(0.3) ? { metadata: { name: fastTemplate() }, list: [fastTemplate()] } : fastTemplate(), params: flat(p), goTemplate: false } });
      continue;
    }
    const goTemplateOptions = chance(0.02) ? [pick(['missingkey=bogus', '', 'nokey'])] : pick(options);
    if (r < 0.18) {
      const [, make] = pickFeature();
      const template = { metadata: { name: make(), labels: { [chance(0.5) ? '{{ .env }}' : 'static']: make() } }, spec: { list: [make(), 3, true, null], nothing: null } };
      cases.push({ id, feature: 'json', request: { template, params: p, goTemplate: true, goTemplateOptions } });
      continue;
    }
    const [feature, make] = pickFeature();
    const template = chance(0.2) ? make() + make() : make();
    cases.push({ id, feature: goTemplateOptions.length === 1 && !goTemplateOptions[0]!.startsWith('missingkey=') || goTemplateOptions[0] === 'missingkey=bogus' ? 'option' : feature, request: { template, params: p, goTemplate: true, goTemplateOptions } });
  }
  return cases;
}
