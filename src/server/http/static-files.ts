// The web UI's files, from the directory its build writes (`uiDir`, by
// default dist/ui): a path that names a file is served with its content type
// (hashed assets cached for a year, index.html never), any other path that is
// not an API path gets index.html so the UI's own router handles it, and
// without a build a plain page says so and points at the API. Paths never
// leave the directory.
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.woff': 'font/woff', '.map': 'application/json', '.txt': 'text/plain; charset=utf-8',
};

const fallbackPage = `<!doctype html>
<html><head><meta charset="utf-8"><title>Capstan</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>Capstan</h1>
<p>The API server is running; the web UI is not built into this installation.</p>
<p>Try <a href="/api/version">/api/version</a>, log in with <code>POST /api/v1/session</code>
and list applications with <code>GET /api/v1/applications</code>.</p>
</body></html>
`;

function isFile(p: string): boolean {
  try { return statSync(p).isFile(); } catch { return false; }
}

export function serveStatic(uiDir: string | undefined, req: IncomingMessage, res: ServerResponse, pathname: string): void {
  const headers = { 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'sameorigin' };
  const index = uiDir === undefined ? undefined : path.join(uiDir, 'index.html');
  if (uiDir === undefined || index === undefined || !existsSync(index)) {
    res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : fallbackPage);
    return;
  }
  const root = path.resolve(uiDir);
  let decoded: string;
  try { decoded = decodeURIComponent(pathname); } catch { decoded = '/'; }
  const candidate = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  const inside = candidate === root || candidate.startsWith(`${root}${path.sep}`);
  const file = inside && isFile(candidate) ? candidate : index;
  const ext = path.extname(file);
  const cache = file === index ? 'no-cache' : /[.-][0-9a-zA-Z_-]{8,}\.[a-z0-9]+$/.test(file) ? 'public, max-age=31536000, immutable' : 'public, max-age=300';
  res.writeHead(200, { ...headers, 'Content-Type': types[ext] ?? 'application/octet-stream', 'Cache-Control': cache });
  if (req.method === 'HEAD') { res.end(); return; }
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}
