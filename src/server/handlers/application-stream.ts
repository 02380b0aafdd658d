// Argo CD's Watch (`GET /api/v1/stream/applications`): application changes
// as the watch of the control namespace delivers them, each one line
// `{"result":{"type":"ADDED|MODIFIED|DELETED","application":{…}}}` —
// newline-delimited JSON as grpc-gateway streams it, or, when the client asks
// for `text/event-stream` (the UI's EventSource), the same JSON as `data:`
// events. Without `?resourceVersion=` (or with `?name=`) the current apps
// come first as ADDED, sorted by name, as Argo CD does. Only apps the caller
// may `get` are sent, filtered by `?projects=`, `?selector=` and `?name=`.
// An event is serialized once for all clients; a client that stops reading
// is cut off rather than buffered without bound.
import type { Application } from '../../api/application.ts';
import type { ApiContext } from '../api-context.ts';
import type { AppEvent, WatchEventType } from '../state/control-plane-cache.ts';
import { jsonOf } from '../http/raw-json.ts';
import { rbacNameOf } from './app-access.ts';
import { appFilter } from './applications.ts';

const maxBufferedBytes = 16 << 20;
const encoded = new WeakMap<object, string>();

function encode(key: object, type: WatchEventType, app: Application): string {
  let line = encoded.get(key);
  if (line === undefined) {
    line = `{"result":{"type":"${type}","application":${jsonOf(app)}}}`;
    encoded.set(key, line);
  }
  return line;
}

export function streamApplications(ctx: ApiContext): undefined {
  const { res, deps } = ctx;
  const sse = (ctx.req.headers.accept ?? '').includes('text/event-stream');
  const filter = appFilter(ctx.query);
  const visible = (app: Application): boolean => filter(app) && ctx.can('applications', 'get', rbacNameOf(app));
  res.writeHead(200, {
    'Content-Type': sse ? 'text/event-stream' : 'application/json',
    'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no', Connection: 'keep-alive',
  });
  res.flushHeaders();
  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  const send = (line: string): void => {
    if (res.writableLength > maxBufferedBytes) { res.destroy(); return; }
    res.write(sse ? `data: ${line}\n\n` : `${line}\n`);
  };
  const unsubscribe = deps.cache.onAppEvent((event: AppEvent) => {
    if (visible(event.app)) send(encode(event, event.type, event.app));
  });
  if (!ctx.query.get('resourceVersion') || ctx.query.get('name')) {
    const apps = [...deps.cache.apps.items.values()].filter(visible).sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    for (const app of apps) send(encode(app, 'ADDED', app));
  }
  const end = (): void => { unsubscribe(); if (!res.writableEnded) res.end(); };
  ctx.signal.addEventListener('abort', end, { once: true });
  res.on('close', end);
  return undefined;
}
