// JSON Web Tokens signed with HMAC-SHA256, as Argo CD signs its session and
// API-key tokens with `server.secretkey` (golang-jwt SigningMethodHS256).
// Verification accepts HS256 only (never `none` or another algorithm a
// forged header names), compares the signature in constant time, and checks
// `exp` and `nbf` against the clock it is given.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { CapstanError } from '../../errors.ts';
import type { Claims } from '../rbac/claims-enforcer.ts';

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export function signJwt(claims: Claims, key: Buffer): string {
  const head = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  return `${head}.${createHmac('sha256', key).update(head).digest('base64url')}`;
}

const invalid = (why: string): CapstanError => new CapstanError('Unauthenticated', `invalid session: ${why}`);

/** The claims of a token this key signed, or an Unauthenticated error saying why not (never echoing the token). */
export function verifyJwt(token: string, key: Buffer, nowSeconds: number): Claims {
  const parts = token.split('.');
  if (parts.length !== 3) throw invalid('token contains an invalid number of segments');
  const [head, body, signature] = parts as [string, string, string];
  let header: { alg?: unknown };
  let claims: Claims;
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { alg?: unknown };
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Claims;
  } catch {
    throw invalid('token is malformed');
  }
  if (header.alg !== 'HS256') throw invalid('unexpected signing method');
  const want = createHmac('sha256', key).update(`${head}.${body}`).digest();
  const got = Buffer.from(signature, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) throw invalid('signature is invalid');
  if (claims === null || typeof claims !== 'object' || typeof claims.sub !== 'string') throw invalid('token has no subject');
  if (typeof claims.exp === 'number' && nowSeconds >= claims.exp) throw invalid('token is expired');
  if (typeof claims['nbf'] === 'number' && nowSeconds < (claims['nbf'] as number)) throw invalid('token is not valid yet');
  return claims;
}
