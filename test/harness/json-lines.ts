// Reads a newline-delimited JSON response (the API server's watch streams),
// calling `onValue` with each parsed line as it arrives.
import type { IncomingMessage } from 'node:http';

export function onJsonLines<T>(res: IncomingMessage, onValue: (value: T) => void): void {
  let buffer = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.trim() !== '') onValue(JSON.parse(line) as T);
    }
  });
}
