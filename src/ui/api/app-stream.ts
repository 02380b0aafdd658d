// Live updates of the applications: `GET /api/v1/stream/applications` read as
// newline-delimited JSON (Argo CD's Watch: every app first as ADDED, then each
// change). A dropped stream is opened again after a growing pause (1 s up to
// 10 s); the server's first events after a reconnect bring the list up to date.
import { apiErrorOf, apiUrl, authHeaders } from './api-client.ts';
import type { ApplicationWatchEvent } from './api-types.ts';
import { LineBuffer, parseWatchLine } from '../lib/ndjson.ts';

export interface StreamHandlers {
  readonly onEvent: (event: ApplicationWatchEvent) => void;
  /** connected: events flow; retrying: the stream dropped (message says why) and will be opened again. */
  readonly onState?: (state: 'connected' | 'retrying', message?: string) => void;
  readonly onUnauthorized?: () => void;
}

export function watchApplications(handlers: StreamHandlers, query: { name?: string } = {}): () => void {
  const stop = new AbortController();
  let delay = 1000;
  const run = async (): Promise<void> => {
    while (!stop.signal.aborted) {
      let message: string | undefined;
      try {
        const res = await fetch(apiUrl('/api/v1/stream/applications', query), { headers: authHeaders(), credentials: 'same-origin', signal: stop.signal });
        if (res.status === 401) { handlers.onUnauthorized?.(); return; }
        if (!res.ok || res.body === null) throw await apiErrorOf(res);
        handlers.onState?.('connected');
        delay = 1000;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        const lines = new LineBuffer();
        for (;;) {
          const { done, value } = await reader.read();
          const batch = done ? lines.flush() : lines.push(value);
          for (const line of batch) {
            const parsed = parseWatchLine(line);
            if (parsed.kind === 'event') handlers.onEvent(parsed.event);
            else if (parsed.kind === 'error') message = parsed.message;
          }
          if (done) break;
        }
        message ??= 'the server closed the stream';
      } catch (err) {
        if (stop.signal.aborted) return;
        message = err instanceof Error ? err.message : String(err);
      }
      if (stop.signal.aborted) return;
      handlers.onState?.('retrying', message);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  };
  void run();
  return () => stop.abort();
}
