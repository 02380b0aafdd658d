// The git generator (applicationset/generators/git.go). `directories`: every
// directory of the repository, in walk order, that some non-exclude item
// matches (Go path.Match) and no `exclude: true` item matches, giving `path`,
// `path.basename`, `path.basenameNormalized` and `path[N]` (fasttemplate) or
// a `path` map with `segments` (Go templates). `files`: the files the include
// patterns select minus those the exclude patterns select, in sorted order;
// each is a YAML/JSON object (one parameter set) or a list of objects (one
// each), flattened to dotted string keys in fasttemplate mode, plus the
// file's `path` (its directory), `path.basename`, `path.filename` and the
// normalized forms. `pathParamPrefix` nests all of them under a prefix.
import type { GitGenerator } from '../../api/application-set.ts';
import { AppSetGeneratorError, type GenerateContext } from './generator-context.ts';
import { BadPatternError, goPathBase, goPathDir, goPathMatch } from './go-path.ts';
import { compareGoStrings, flattenParams, sanitizeName } from './go-values.ts';
import { describeJsonType, isPlainObject, parseGoYaml } from './go-yaml.ts';
import type { ParamSet } from './param-merge.ts';
import { appendTemplatedValues } from './templated-values.ts';

/** Argo CD's default requeue for git generators: 3 minutes. */
export const defaultGitRequeueSeconds = 180;

function matchesAny(items: NonNullable<GitGenerator['directories']>, dir: string, exclude: boolean): boolean {
  return items.some((item) => {
    if ((item.exclude === true) !== exclude) return false;
    try {
      return goPathMatch(item.path, dir);
    } catch (err) {
      if (err instanceof BadPatternError) return false; // Argo CD logs it and skips the item
      throw err;
    }
  });
}

function directoryParams(dir: string, gen: GitGenerator, goTemplate: boolean): ParamSet {
  const prefix = gen.pathParamPrefix ?? '';
  if (goTemplate) {
    const p = { path: dir, basename: goPathBase(dir), basenameNormalized: sanitizeName(goPathBase(dir)), segments: dir.split('/') };
    return prefix !== '' ? { [prefix]: { path: p } } : { path: p };
  }
  const name = prefix !== '' ? `${prefix}.path` : 'path';
  const params: ParamSet = { [name]: dir, [`${name}.basename`]: goPathBase(dir), [`${name}.basenameNormalized`]: sanitizeName(goPathBase(dir)) };
  dir.split('/').forEach((segment, i) => { if (segment !== '') params[`${name}[${i}]`] = segment; });
  return params;
}

export async function gitDirectoryParams(gen: GitGenerator, ctx: GenerateContext, path: string): Promise<ParamSet[]> {
  const all = await ctx.sources.git.directories(gen.repoURL, gen.revision);
  const items = gen.directories ?? [];
  const res = all.filter((dir) => matchesAny(items, dir, false) && !matchesAny(items, dir, true))
    .map((dir) => directoryParams(dir, gen, ctx.goTemplate));
  appendTemplatedValues(ctx, path, gen.values, res);
  return res;
}

function fileObjects(file: string, content: string): Array<Record<string, unknown>> {
  let doc: unknown;
  try {
    doc = parseGoYaml(content);
  } catch (err) {
    throw new Error(`unable to process file '${file}': unable to parse file: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (doc === null || doc === undefined) return [{}];
  if (isPlainObject(doc)) return [doc];
  if (Array.isArray(doc)) {
    return doc.map((item, i) => {
      if (item === null) return {};
      if (!isPlainObject(item)) throw new Error(`unable to process file '${file}': item ${i} of the list is ${describeJsonType(item)}, not a map`);
      return item;
    });
  }
  throw new Error(`unable to process file '${file}': unable to parse file: the file holds ${describeJsonType(doc)}, not a map or a list of maps`);
}

function fileParams(file: string, object: Record<string, unknown>, gen: GitGenerator, goTemplate: boolean): ParamSet {
  const prefix = gen.pathParamPrefix ?? '';
  const dir = goPathDir(file);
  const filename = goPathBase(file);
  if (goTemplate) {
    const params: ParamSet = { ...object };
    const p = { path: dir, basename: goPathBase(dir), filename, basenameNormalized: sanitizeName(goPathBase(dir)),
      filenameNormalized: sanitizeName(filename), segments: dir.split('/') };
    if (prefix !== '') params[prefix] = { path: p };
    else params['path'] = p;
    return params;
  }
  const params: ParamSet = flattenParams(object);
  const name = prefix !== '' ? `${prefix}.path` : 'path';
  params[name] = dir;
  params[`${name}.basename`] = goPathBase(dir);
  params[`${name}.filename`] = filename;
  params[`${name}.basenameNormalized`] = sanitizeName(goPathBase(dir));
  params[`${name}.filenameNormalized`] = sanitizeName(filename);
  dir.split('/').forEach((segment, i) => { if (segment !== '') params[`${name}[${i}]`] = segment; });
  return params;
}

export async function gitFileParams(gen: GitGenerator, ctx: GenerateContext, path: string): Promise<ParamSet[]> {
  const selected = new Map<string, string>();
  const items = gen.files ?? [];
  for (const item of items.filter((i) => !i.exclude)) {
    for (const [file, content] of await ctx.sources.git.files(gen.repoURL, gen.revision, item.path)) selected.set(file, content);
  }
  for (const item of items.filter((i) => i.exclude)) {
    for (const file of (await ctx.sources.git.files(gen.repoURL, gen.revision, item.path)).keys()) selected.delete(file);
  }
  const res: ParamSet[] = [];
  for (const file of [...selected.keys()].sort(compareGoStrings)) {
    for (const object of fileObjects(file, selected.get(file)!)) res.push(fileParams(file, object, gen, ctx.goTemplate));
  }
  appendTemplatedValues(ctx, path, gen.values, res);
  return res;
}

export async function gitParams(gen: GitGenerator, ctx: GenerateContext, path: string): Promise<ParamSet[]> {
  if ((gen.directories?.length ?? 0) > 0) return gitDirectoryParams(gen, ctx, path);
  if ((gen.files?.length ?? 0) > 0) return gitFileParams(gen, ctx, path);
  throw new AppSetGeneratorError(ctx.appSetName, path, 'a git generator needs directories or files');
}
