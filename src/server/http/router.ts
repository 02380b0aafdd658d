// A small router: routes are a method and a path pattern of literal and
// `{param}` segments (the grpc-gateway paths Argo CD declares), matched
// segment by segment; parameters are URL-decoded. An unknown path is 404,
// a known path with another method 405 — both in Argo CD's error shape.

export interface RouteMatch<H> {
  readonly handler: H;
  readonly params: Readonly<Record<string, string>>;
}

interface Route<H> {
  readonly method: string;
  readonly segments: readonly string[];
  readonly handler: H;
}

export class Router<H> {
  private readonly routes: Array<Route<H>> = [];

  add(method: string, pattern: string, handler: H): this {
    this.routes.push({ method, segments: pattern.split('/').filter((s) => s !== ''), handler });
    return this;
  }

  /** The handler for a method and path, 'method' when only other methods serve the path, or undefined. */
  match(method: string, pathname: string): RouteMatch<H> | 'method' | undefined {
    const parts = pathname.split('/').filter((s) => s !== '');
    let otherMethod = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (params === undefined) continue;
      if (route.method !== method) { otherMethod = true; continue; }
      return { handler: route.handler, params };
    }
    return otherMethod ? 'method' : undefined;
  }
}

function matchSegments(pattern: readonly string[], parts: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    let value: string;
    try { value = decodeURIComponent(parts[i]!); } catch { return undefined; }
    if (p.startsWith('{') && p.endsWith('}')) params[p.slice(1, -1)] = value;
    else if (p !== value) return undefined;
  }
  return params;
}
