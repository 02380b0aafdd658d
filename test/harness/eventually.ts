// Polling for a condition in tests that drive real components: `probe`
// returns a value when the condition holds; the error names what was awaited
// (and, if given, what was seen last).
import { setTimeout as sleep } from 'node:timers/promises';

export async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 90_000, show?: () => unknown, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const seen = show === undefined ? '' : `: ${JSON.stringify(await show()).slice(0, 1500)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen}`);
    }
    await sleep(intervalMs);
  }
}
