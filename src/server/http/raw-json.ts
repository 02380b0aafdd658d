// Pre-serialized JSON: objects from the watch caches are serialized once per
// version (the cache replaces an object when it changes, so a WeakMap keyed
// by the object never serves a stale text), and lists are joined from those
// texts — a list of 500 apps is mostly string concatenation.

export class RawJson {
  constructor(readonly text: string) {}
}

const texts = new WeakMap<object, string>();

export function jsonOf(obj: object): string {
  let text = texts.get(obj);
  if (text === undefined) {
    text = JSON.stringify(obj);
    texts.set(obj, text);
  }
  return text;
}

/** `{"metadata":…,"items":[…]}` from cached item texts. */
export function listJson(metadata: Record<string, unknown>, items: readonly object[]): RawJson {
  return new RawJson(`{"metadata":${JSON.stringify(metadata)},"items":[${items.map(jsonOf).join(',')}]}`);
}
