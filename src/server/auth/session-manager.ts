// Sessions as Argo CD's session manager makes them (util/session): a login
// checks the local account's bcrypt password and capability and returns an
// HS256 JWT signed with `server.secretkey` — `iss: argocd`, `sub:
// <name>:login`, `iat`, `nbf`, a random `jti`, and `exp` after
// `users.session.duration` (argocd-cm, default 24h); API keys are `sub:
// <name>:apiKey` tokens whose `jti` the account's `tokens` list must hold.
// A token is refused when its account is gone, disabled or lacks the
// capability, when it was revoked (logout), or issued before the password
// changed. Failed logins are limited per user (login-attempts.ts), every
// verification is padded to a random 0.5–1 s so timing does not tell whether
// a user exists, and a missing user costs a bcrypt round like a wrong
// password. Tokens and passwords are never logged or put in messages.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CapstanError } from '../../errors.ts';
import type { Claims } from '../rbac/claims-enforcer.ts';
import type { Account, AccountCapability } from './accounts.ts';
import { signJwt, verifyJwt } from './jwt.ts';
import { LoginAttempts } from './login-attempts.ts';
import { hashPassword, verifyPassword } from './password.ts';

export const tokenIssuer = 'argocd';
const maxUsernameLength = 32;

export interface AuthSettings {
  readonly accounts: ReadonlyMap<string, Account>;
  /** argocd-secret server.secretkey; undefined until it exists. */
  readonly signingKey: Buffer | undefined;
  /** argocd-cm users.session.duration (0: tokens never expire). */
  readonly sessionDurationMs: number;
  /** argocd-cm users.anonymous.enabled. */
  readonly anonymousEnabled: boolean;
}

export interface SessionManagerOptions {
  readonly settings: () => AuthSettings;
  readonly attempts?: LoginAttempts;
  /** The random padding of every password verification, ms (default [500, 1000]). */
  readonly verifyDelayMs?: readonly [number, number];
  readonly now?: () => number;
}

const unauthenticated = (message: string): CapstanError => new CapstanError('Unauthenticated', message);
const invalidLogin = (): CapstanError => unauthenticated('Invalid username or password');

/** `alice:login` → ['alice', 'login']; a bare name is an API key, as in Argo CD. */
export function subjectAccount(sub: string): [string, AccountCapability] {
  const parts = sub.split(':');
  if (parts.length > 1 && (parts[1] === 'login' || parts[1] === 'apiKey')) return [parts[0]!, parts[1]];
  return [parts.length > 1 ? parts[0]! : sub, 'apiKey'];
}

export class SessionManager {
  readonly attempts: LoginAttempts;
  private readonly revoked = new Map<string, number>();
  private readonly now: () => number;
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly options: SessionManagerOptions) {
    this.now = options.now ?? Date.now;
    this.attempts = options.attempts ?? new LoginAttempts({ now: this.now });
  }

  /** Checks the password and returns a session token and its claims. */
  async login(username: string, password: string): Promise<{ token: string; claims: Claims }> {
    if (password === '') throw unauthenticated('Blank passwords are not allowed');
    if (Buffer.byteLength(username) > maxUsernameLength) {
      throw new CapstanError('InvalidArgument', `Username is too long (${maxUsernameLength} bytes max)`);
    }
    const started = this.now();
    try {
      await this.verify(username, password);
    } finally {
      const [min, max] = this.options.verifyDelayMs ?? [500, 1000];
      const wait = min + Math.random() * (max - min) - (this.now() - started);
      if (wait > 0) await sleep(wait);
    }
    const settings = this.options.settings();
    return this.issue(`${username}:login`, settings.sessionDurationMs / 1000, randomUUID());
  }

  private async verify(username: string, password: string): Promise<void> {
    if (this.attempts.blocked(username)) throw invalidLogin();
    const account = this.options.settings().accounts.get(username);
    if (account === undefined) {
      this.attempts.failed(username);
      // As costly as a wrong password, so a missing user is not told apart by timing.
      await verifyPassword(password, await (this.dummyHash ??= hashPassword('for_consistent_response_time')));
      throw invalidLogin();
    }
    if (!(await verifyPassword(password, account.passwordHash))) {
      this.attempts.failed(username);
      throw invalidLogin();
    }
    if (!account.enabled) throw unauthenticated(`Account ${username} is disabled`);
    if (!account.capabilities.includes('login')) throw unauthenticated(`Account ${username} does not have login capability`);
    this.attempts.succeeded(username);
  }

  /** A signed token for `sub` ('' key → Unavailable); expiresInSeconds 0 never expires. */
  issue(sub: string, expiresInSeconds: number, id: string): { token: string; claims: Claims } {
    const key = this.options.settings().signingKey;
    if (key === undefined) throw new CapstanError('Unavailable', 'server.secretkey is missing from argocd-secret');
    const now = Math.floor(this.now() / 1000);
    const claims: Claims = { iat: now, iss: tokenIssuer, nbf: now, sub, jti: id,
      ...(expiresInSeconds > 0 ? { exp: now + Math.floor(expiresInSeconds) } : {}) };
    return { token: signJwt(claims, key), claims };
  }

  /** The claims of a valid token, `sub` being the account name. */
  authenticate(token: string): Claims {
    const settings = this.options.settings();
    if (settings.signingKey === undefined) throw unauthenticated('invalid session: server.secretkey is missing');
    const claims = verifyJwt(token, settings.signingKey, Math.floor(this.now() / 1000));
    if (claims.iss !== tokenIssuer) throw unauthenticated('invalid session: unsupported token issuer');
    if (claims.sub.startsWith('proj:')) throw unauthenticated('invalid session: project tokens are not supported');
    const [name, capability] = subjectAccount(claims.sub);
    const account = settings.accounts.get(name);
    if (account === undefined) throw unauthenticated(`invalid session: account '${name}' does not exist`);
    if (!account.enabled) throw unauthenticated(`invalid session: account ${name} is disabled`);
    if (!account.capabilities.includes(capability)) throw unauthenticated(`invalid session: account ${name} does not have '${capability}' capability`);
    if (claims.jti === undefined || claims.jti === '' || this.isRevoked(claims.jti)) throw unauthenticated('invalid session: token is revoked, please re-login');
    if (capability === 'apiKey' && !account.tokens.some((t) => t.id === claims.jti)) {
      throw unauthenticated(`invalid session: account ${name} does not have token with id ${claims.jti}`);
    }
    if (account.passwordMtime !== undefined && typeof claims.iat === 'number' && claims.iat * 1000 < Math.floor(account.passwordMtime.getTime() / 1000) * 1000) {
      throw unauthenticated('invalid session: Account password has changed since token issued');
    }
    return { ...claims, sub: name };
  }

  /** Logout: the token is refused from now on (kept in memory until it expires). */
  revoke(claims: Claims): void {
    if (claims.jti === undefined) return;
    const now = this.now();
    for (const [id, until] of this.revoked) if (until <= now) this.revoked.delete(id);
    this.revoked.set(claims.jti, typeof claims.exp === 'number' ? claims.exp * 1000 : Number.MAX_SAFE_INTEGER);
  }

  private isRevoked(id: string): boolean {
    const until = this.revoked.get(id);
    return until !== undefined && until > this.now();
  }
}
