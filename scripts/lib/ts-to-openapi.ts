// Turns exported TypeScript interfaces into structural OpenAPI v3 schemas for
// CRDs, so the Application, ApplicationSet and AppProject types in src/api are
// the one source of truth for both the code and the CRDs. Rules: string,
// boolean; number → integer (int64) unless tagged `@format double`; arrays;
// Record<string, T> → additionalProperties; interfaces and object literals →
// properties (+ required); `unknown` → x-kubernetes-preserve-unknown-fields;
// unions of string literals → string; number | string (IntOrString) →
// x-kubernetes-int-or-string.
// Property docs (the first JSDoc paragraph) become descriptions.
import ts from 'typescript';

export type Schema = Record<string, unknown>;

export interface ConvertOptions {
  /** Type names rendered as preserved unknown objects (e.g. ObjectMeta is left to the API server). */
  readonly opaque?: readonly string[];
}

export class SchemaConverter {
  private readonly checker: ts.TypeChecker;
  private readonly stack = new Set<ts.Type>();

  constructor(private readonly program: ts.Program, private readonly options: ConvertOptions = {}) {
    this.checker = program.getTypeChecker();
  }

  /** Schema of an exported interface or type alias named `name` in `file`. */
  schemaOf(file: string, name: string): Schema {
    const source = this.program.getSourceFile(file);
    if (source === undefined) throw new Error(`no source file ${file}`);
    const moduleSymbol = this.checker.getSymbolAtLocation(source);
    const symbol = moduleSymbol && this.checker.getExportsOfModule(moduleSymbol).find((s) => s.name === name);
    if (symbol === undefined) throw new Error(`${file} exports no ${name}`);
    return this.convert(this.checker.getDeclaredTypeOfSymbol(symbol));
  }

  private convert(type: ts.Type, tags: ReadonlyMap<string, string> = new Map()): Schema {
    const alias = type.aliasSymbol?.name ?? type.getSymbol()?.name;
    if (alias === 'IntOrString') return { 'x-kubernetes-int-or-string': true };
    if (alias !== undefined && this.options.opaque?.includes(alias)) return preserved();
    if (type.flags & ts.TypeFlags.Unknown || type.flags & ts.TypeFlags.Any) return preserved();
    if (type.flags & ts.TypeFlags.StringLike) return { type: 'string' };
    if (type.flags & ts.TypeFlags.BooleanLike) return { type: 'boolean' };
    if (type.flags & ts.TypeFlags.NumberLike) {
      return tags.get('format') === 'double' ? { type: 'number' } : { type: 'integer', format: 'int64' };
    }
    if (type.isUnion()) return this.convertUnion(type, tags);
    if (this.checker.isArrayType(type)) {
      const [item] = this.checker.getTypeArguments(type as ts.TypeReference);
      return { type: 'array', items: item ? this.convert(item) : preserved() };
    }
    return this.convertObject(type);
  }

  private convertUnion(type: ts.UnionType, tags: ReadonlyMap<string, string>): Schema {
    const parts = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
    if (parts.every((t) => t.flags & ts.TypeFlags.BooleanLike)) return { type: 'boolean' };
    if (parts.length === 1) return this.convert(parts[0]!, tags);
    if (parts.every((t) => t.flags & ts.TypeFlags.StringLike)) return { type: 'string' };
    if (parts.every((t) => t.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike))) {
      return { 'x-kubernetes-int-or-string': true };
    }
    throw new Error(`cannot express the union ${this.checker.typeToString(type)} in a structural schema`);
  }

  private convertObject(type: ts.Type): Schema {
    if (this.stack.has(type)) return preserved();
    this.stack.add(type);
    try {
      const index = this.checker.getIndexInfoOfType(type, ts.IndexKind.String);
      const properties: Record<string, Schema> = {};
      const required: string[] = [];
      for (const prop of this.checker.getPropertiesOfType(type)) {
        const decl = prop.valueDeclaration ?? prop.declarations?.[0];
        if (decl === undefined) continue;
        const propType = this.checker.getTypeOfSymbolAtLocation(prop, decl);
        const schema = this.convert(propType, jsDocTags(prop));
        const doc = ts.displayPartsToString(prop.getDocumentationComment(this.checker)).split('\n\n')[0]?.trim();
        properties[prop.name] = doc ? { description: doc, ...schema } : schema;
        if (!(prop.flags & ts.SymbolFlags.Optional)) required.push(prop.name);
      }
      const schema: Schema = { type: 'object' };
      if (Object.keys(properties).length > 0) schema['properties'] = properties;
      if (required.length > 0) schema['required'] = required.sort();
      if (index !== undefined) {
        if (Object.keys(properties).length > 0) schema['x-kubernetes-preserve-unknown-fields'] = true;
        else schema['additionalProperties'] = this.convert(index.type);
      }
      return schema;
    } finally {
      this.stack.delete(type);
    }
  }
}

function preserved(): Schema {
  return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
}

function jsDocTags(symbol: ts.Symbol): Map<string, string> {
  const tags = new Map<string, string>();
  for (const tag of symbol.getJsDocTags()) tags.set(tag.name, ts.displayPartsToString(tag.text));
  return tags;
}

export function createProgram(files: readonly string[]): ts.Program {
  return ts.createProgram([...files], {
    strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext, allowImportingTsExtensions: true, noEmit: true, types: [],
  });
}
