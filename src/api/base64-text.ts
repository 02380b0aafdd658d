// Base64 (standard alphabet, padded) to UTF-8 text without Node's Buffer, for
// the pure core: Secret `data` values and the base64 byte fields of Argo CD's
// cluster config (Go encodes []byte in JSON this way). Like Go's
// base64.StdEncoding, line breaks are ignored and anything else off the
// alphabet, or wrong padding, is an error naming the byte — never the text.

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const values = new Map([...alphabet].map((c, i) => [c, i]));

export class Base64Error extends Error {
  override readonly name = 'Base64Error';

  constructor(readonly offset: number) {
    super(`illegal base64 data at input byte ${offset}`);
  }
}

function decodeBytes(input: string): number[] {
  const chars: Array<{ c: string; at: number }> = [];
  for (let i = 0; i < input.length; i++) if (input[i] !== '\n' && input[i] !== '\r') chars.push({ c: input[i]!, at: i });
  const bad = chars.find(({ c }) => c !== '=' && !values.has(c));
  if (bad !== undefined) throw new Base64Error(bad.at);
  if (chars.length % 4 !== 0) throw new Base64Error(chars.length === 0 ? 0 : chars[chars.length - (chars.length % 4)]!.at);
  const out: number[] = [];
  for (let q = 0; q < chars.length; q += 4) {
    const quad = chars.slice(q, q + 4);
    const last = q + 4 === chars.length;
    const pad = quad[3]!.c === '=' ? (quad[2]!.c === '=' ? 2 : 1) : 0;
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const { c, at } = quad[j]!;
      const v = j >= 4 - pad ? 0 : values.get(c);
      if (v === undefined || (c === '=' && (!last || j < 4 - pad))) throw new Base64Error(at);
      n = (n << 6) | v;
    }
    out.push((n >> 16) & 255);
    if (pad < 2) out.push((n >> 8) & 255);
    if (pad < 1) out.push(n & 255);
  }
  return out;
}

function utf8(bytes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    const extra = b < 0x80 ? 0 : b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : -1;
    if (extra < 0 || i + extra >= bytes.length) {
      out += '\ufffd';
      i++;
      continue;
    }
    let cp = extra === 0 ? b : b & (0x3f >> extra);
    for (let k = 1; k <= extra; k++) cp = (cp << 6) | ((bytes[i + k] ?? 0) & 0x3f);
    out += String.fromCodePoint(cp);
    i += extra + 1;
  }
  return out;
}

/** The text `input` encodes; throws Base64Error naming the first bad byte. */
export function decodeBase64Text(input: string): string {
  return utf8(decodeBytes(input));
}
