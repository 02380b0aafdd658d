// Tokens, passwords, accounts and sessions as Argo CD's session manager
// handles them, table-driven where the cases are many.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { parseAccounts } from './accounts.ts';
import { signJwt, verifyJwt } from './jwt.ts';
import { LoginAttempts } from './login-attempts.ts';
import { bcryptCost, generatePassword, hashPassword, verifyPassword } from './password.ts';
import { SessionManager, subjectAccount, type AuthSettings } from './session-manager.ts';

const key = Buffer.from('0123456789abcdef0123456789abcdef');
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const b64url = (s: string): string => Buffer.from(s).toString('base64url');

test('JWT: HS256 round trip, and every forgery or expiry refused', () => {
  const token = signJwt({ sub: 'admin:login', iss: 'argocd', iat: 100, nbf: 100, exp: 200, jti: 'x' }, key);
  assert.deepEqual(verifyJwt(token, key, 150), { sub: 'admin:login', iss: 'argocd', iat: 100, nbf: 100, exp: 200, jti: 'x' });
  const [h, b] = token.split('.') as [string, string, string];
  const none = `${b64url('{"alg":"none","typ":"JWT"}')}.${b}.`;
  const otherAlg = `${b64url('{"alg":"HS512"}')}.${b}.${createHmac('sha256', key).update(`${b64url('{"alg":"HS512"}')}.${b}`).digest('base64url')}`;
  const tampered = `${h}.${b64url('{"sub":"admin:login","iss":"argocd","exp":9999999999,"jti":"x"}')}.${token.split('.')[2]}`;
  const cases: Array<[string, string, number, RegExp]> = [
    ['expired', token, 200, /expired/],
    ['not yet valid', token, 99, /not valid yet/],
    ['alg none', none, 150, /signing method/],
    ['another algorithm', otherAlg, 150, /signing method/],
    ['tampered claims', tampered, 150, /signature/],
    ['another key', signJwt({ sub: 'a' }, Buffer.from('other')), 150, /signature/],
    ['garbage', 'abc', 150, /segments/],
    ['bad json', 'a.b.c', 150, /malformed/],
  ];
  for (const [name, t, now, want] of cases) {
    assert.throws(() => verifyJwt(t, key, now), (err: Error & { code?: string }) => err.code === 'Unauthenticated' && want.test(err.message) && !err.message.includes(t), name);
  }
});

test('passwords: bcrypt at cost 10, blank refused, generated ones are 16 letters and digits', async () => {
  const hash = await hashPassword('s3cret');
  assert.match(hash, new RegExp(`^\\$2[aby]\\$${bcryptCost}\\$`));
  assert.equal(await verifyPassword('s3cret', hash), true);
  assert.equal(await verifyPassword('wrong', hash), false);
  assert.equal(await verifyPassword('', hash), false);
  assert.equal(await verifyPassword('s3cret', 'not-a-hash'), false);
  assert.equal(await verifyPassword('s3cret', undefined), false);
  // Go's bcrypt writes $2a$; the same hash under $2y$ (htpasswd) verifies too.
  assert.equal(await verifyPassword('s3cret', hash.replace(/^\$2[ab]\$/, '$2y$')), true);
  const p = generatePassword();
  assert.match(p, /^[A-Za-z0-9]{16}$/);
  assert.notEqual(p, generatePassword());
});

test('accounts from argocd-cm and argocd-secret', () => {
  const { accounts, problems } = parseAccounts(
    { 'accounts.alice': 'apiKey, login', 'accounts.alice.enabled': 'true', 'accounts.bob': 'login', 'accounts.bob.enabled': 'false',
      'accounts.ci': 'apiKey', 'accounts.bad': 'login, sudo', 'admin.enabled': 'true' },
    { 'admin.password': b64('$2a$10$x'), 'admin.passwordMtime': b64('2024-01-01T00:00:00Z'),
      'accounts.alice.password': b64('$2a$10$y'), 'accounts.ci.tokens': b64('[{"id":"t1","iat":1}]'), 'accounts.bob.tokens': b64('nope') });
  assert.deepEqual([...accounts.keys()].sort(), ['admin', 'alice', 'bob', 'ci']);
  assert.deepEqual(accounts.get('alice')!.capabilities, ['apiKey', 'login']);
  assert.equal(accounts.get('alice')!.passwordHash, '$2a$10$y');
  assert.equal(accounts.get('bob')!.enabled, false);
  assert.deepEqual(accounts.get('ci')!.tokens, [{ id: 't1', iat: 1 }]);
  assert.equal(accounts.get('admin')!.passwordMtime?.toISOString(), '2024-01-01T00:00:00.000Z');
  assert.equal(problems.length, 2, problems.join('; '));
  assert.equal(parseAccounts({ 'admin.enabled': 'false' }, {}).accounts.get('admin')!.enabled, false);
});

test('login attempts: five failures in the window block that user only, success forgets', () => {
  let now = 0;
  const a = new LoginAttempts({ now: () => now });
  for (let i = 0; i < 4; i++) a.failed('alice');
  assert.equal(a.blocked('alice'), false);
  a.failed('alice');
  assert.equal(a.blocked('alice'), true);
  assert.equal(a.blocked('bob'), false);
  now = 301_000;
  assert.equal(a.blocked('alice'), false, 'the window passed');
  a.failed('bob');
  assert.equal(a.size, 1, 'alice expired when bob failed');
  a.succeeded('bob');
  assert.equal(a.size, 0);
  const small = new LoginAttempts({ maxEntries: 3, now: () => now });
  for (let i = 0; i < 10; i++) small.failed(`user${i}`);
  assert.equal(small.size, 3, 'a flood of names is bounded');
});

test('sessions: login, capabilities, revocation, password change, API keys, rate limit', async () => {
  let now = 1_700_000_000_000;
  const hash = await hashPassword('pw');
  let settings: AuthSettings = {
    signingKey: key, sessionDurationMs: 3600_000, anonymousEnabled: false,
    accounts: new Map([
      ['admin', { name: 'admin', enabled: true, capabilities: ['login'], passwordHash: hash, tokens: [] }],
      ['ci', { name: 'ci', enabled: true, capabilities: ['apiKey'], passwordHash: hash, tokens: [{ id: 'k1', iat: 0 }] }],
      ['off', { name: 'off', enabled: false, capabilities: ['login'], passwordHash: hash, tokens: [] }],
    ]),
  };
  const sessions = new SessionManager({ settings: () => settings, verifyDelayMs: [0, 0], now: () => now });
  const { token, claims } = await sessions.login('admin', 'pw');
  assert.equal(claims.sub, 'admin:login');
  assert.equal(claims.iss, 'argocd');
  assert.equal(claims.exp, claims.iat! + 3600);
  assert.equal(sessions.authenticate(token).sub, 'admin');
  const refusals: Array<[string, string, string, RegExp]> = [
    ['wrong password', 'admin', 'nope', /Invalid username or password/],
    ['no such user', 'mallory', 'pw', /Invalid username or password/],
    ['blank password', 'admin', '', /Blank passwords/],
    ['disabled account', 'off', 'pw', /disabled/],
    ['no login capability', 'ci', 'pw', /does not have login capability/],
    ['too long a name', 'x'.repeat(33), 'pw', /too long/],
  ];
  for (const [name, user, password, want] of refusals) await assert.rejects(sessions.login(user, password), want, name);
  // API keys must be listed on the account.
  assert.equal(sessions.authenticate(sessions.issue('ci:apiKey', 0, 'k1').token).sub, 'ci');
  assert.throws(() => sessions.authenticate(sessions.issue('ci:apiKey', 0, 'k2').token), /does not have token with id k2/);
  assert.throws(() => sessions.authenticate(sessions.issue('ci:login', 0, 'k1').token), /does not have 'login' capability/);
  assert.deepEqual(subjectAccount('alice'), ['alice', 'apiKey']);
  // Logout revokes; expiry refuses.
  sessions.revoke(sessions.authenticate(token));
  assert.throws(() => sessions.authenticate(token), /revoked/);
  const second = (await sessions.login('admin', 'pw')).token;
  now += 3601_000;
  assert.throws(() => sessions.authenticate(second), /expired/);
  // A password changed after the token was issued.
  const third = (await sessions.login('admin', 'pw')).token;
  settings = { ...settings, accounts: new Map([...settings.accounts, ['admin', { ...settings.accounts.get('admin')!, passwordMtime: new Date(now + 1000) }]]) };
  assert.throws(() => sessions.authenticate(third), /password has changed/);
  // Five failures lock the user out, even with the right password.
  for (let i = 0; i < 5; i++) await assert.rejects(sessions.login('ci', 'wrong'));
  await assert.rejects(sessions.login('ci', 'pw'), /Invalid username or password/);
  // Without a signing key nothing is issued.
  settings = { ...settings, signingKey: undefined };
  assert.throws(() => sessions.issue('admin:login', 0, 'x'), /server.secretkey/);
});
