// RFC 6901 JSON pointers over plain JSON values, as the `remove` operation of
// a JSON patch uses them for `ignoreDifferences.jsonPointers`: `~1` is `/`,
// `~0` is `~`, array elements by index. Removing a path that does not exist
// is a no-op reported as false (Argo CD skips such a patch silently).

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`JSON pointer "${pointer}" must start with "/"`);
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

const isContainer = (v: unknown): v is Container => v !== null && typeof v === 'object';

function child(container: Container, token: string): unknown {
  if (Array.isArray(container)) {
    if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
    return container[Number(token)];
  }
  return Object.prototype.hasOwnProperty.call(container, token) ? container[token] : undefined;
}

/** Removes the value at `pointer` from `doc` in place; false when there is nothing there. */
export function removeAtPointer(doc: unknown, pointer: string): boolean {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return false;
  let at: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (!isContainer(at)) return false;
    at = child(at, t);
  }
  const last = tokens[tokens.length - 1]!;
  if (!isContainer(at) || child(at, last) === undefined) return false;
  if (Array.isArray(at)) at.splice(Number(last), 1);
  else delete at[last];
  return true;
}
