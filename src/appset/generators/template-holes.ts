// A template split into what is fixed and what must be rendered. A string (or
// map key) without "{{" renders to itself in both Go text/template and
// fasttemplate, so only the strings holding "{{" go to the template engine —
// as one list per parameter set — and the results are put back in place.
// The engine then walks a few strings instead of a whole Application, which
// is most of its cost. The holes are found once per template, not per set.

export interface CompiledTemplate {
  readonly skeleton: unknown;
  /** The strings to render, in traversal order (keys before their values). */
  readonly strings: readonly string[];
}

const marker = '{{';

export function compileTemplate(value: unknown): CompiledTemplate {
  const strings: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') { if (v.includes(marker)) strings.push(v); return; }
    if (Array.isArray(v)) { v.forEach(walk); return; }
    if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (k.includes(marker)) strings.push(k);
        walk(x);
      }
    }
  };
  walk(value);
  return { skeleton: value, strings };
}

/** A copy of the skeleton with the rendered strings in place (same traversal as compileTemplate). */
export function fillTemplate(compiled: CompiledTemplate, rendered: readonly unknown[]): unknown {
  let next = 0;
  const take = (): unknown => rendered[next++];
  const build = (v: unknown): unknown => {
    if (typeof v === 'string') return v.includes(marker) ? take() : v;
    if (Array.isArray(v)) return v.map(build);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const key = k.includes(marker) ? String(take()) : k;
        out[key] = build(x);
      }
      return out;
    }
    return v;
  };
  return build(compiled.skeleton);
}
