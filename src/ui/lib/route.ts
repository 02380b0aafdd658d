// The UI's addresses, kept in the URL's fragment so the server needs to serve
// only index.html and its assets: #/applications (query: the list filters),
// #/applications/NAME?tab=…&node=…, #/applicationsets, #/login?next=….
export type Route =
  | { readonly page: 'login'; readonly next?: string }
  | { readonly page: 'applications'; readonly query: URLSearchParams }
  | { readonly page: 'application'; readonly name: string; readonly query: URLSearchParams }
  | { readonly page: 'applicationsets' };

export const appTabs = ['summary', 'tree', 'diff', 'history'] as const;
export type AppTab = (typeof appTabs)[number];

export function parseRoute(hash: string): Route {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const q = raw.indexOf('?');
  const path = (q < 0 ? raw : raw.slice(0, q)).replace(/\/+$/, '');
  const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  const parts = path.split('/').filter((p) => p !== '').map((p) => decodeURIComponent(p));
  if (parts[0] === 'login') {
    const next = query.get('next');
    return next !== null && next.startsWith('/') ? { page: 'login', next } : { page: 'login' };
  }
  if (parts[0] === 'applicationsets') return { page: 'applicationsets' };
  if (parts[0] === 'applications' && parts[1] !== undefined) return { page: 'application', name: parts[1], query };
  return { page: 'applications', query };
}

export function href(path: string, query: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, v);
  const qs = params.toString();
  return `#${path}${qs === '' ? '' : `?${qs}`}`;
}

export function appHref(name: string, query: Record<string, string | undefined> = {}): string {
  return href(`/applications/${encodeURIComponent(name)}`, query);
}

export function tabOf(query: URLSearchParams): AppTab {
  const tab = query.get('tab');
  return (appTabs as readonly string[]).includes(tab ?? '') ? (tab as AppTab) : 'summary';
}
