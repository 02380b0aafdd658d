// Newline-delimited JSON as Argo CD's streaming endpoints send it (grpc-gateway:
// one `{"result": …}` or `{"error": …}` object per line). The buffer takes text
// chunks as they arrive and gives back whole lines; the parser reads one line.
import type { ApplicationWatchEvent } from '../api/api-types.ts';

export class LineBuffer {
  private rest = '';

  /** The complete lines in what has arrived so far; a partial last line is kept for the next chunk. */
  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    return lines.map((l) => l.trim()).filter((l) => l !== '');
  }

  /** What is left when the stream ends (a last line without a newline). */
  flush(): string[] {
    const last = this.rest.trim();
    this.rest = '';
    return last === '' ? [] : [last];
  }
}

export type StreamLine =
  | { readonly kind: 'event'; readonly event: ApplicationWatchEvent }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'invalid'; readonly line: string };

export function parseWatchLine(line: string): StreamLine {
  let value: unknown;
  try { value = JSON.parse(line); } catch { return { kind: 'invalid', line }; }
  if (typeof value !== 'object' || value === null) return { kind: 'invalid', line };
  const obj = value as { result?: Partial<ApplicationWatchEvent>; error?: { message?: string; error?: string } | string };
  if (obj.error !== undefined) {
    const message = typeof obj.error === 'string' ? obj.error : obj.error.message ?? obj.error.error ?? 'stream error';
    return { kind: 'error', message };
  }
  const result = obj.result;
  if (result?.type === undefined || result.application?.metadata?.name === undefined) return { kind: 'invalid', line };
  return { kind: 'event', event: result as ApplicationWatchEvent };
}
