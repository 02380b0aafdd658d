// Argo CD's SessionService and AccountService for local accounts: login
// (`POST /api/v1/session` {username, password} → {token}, also set as the
// `argocd.token` cookie), logout (`DELETE`, the token refused from then on),
// userinfo (`{loggedIn, username, iss}`), the accounts list (no password or
// token values), `can-i`, and API keys (`POST/DELETE
// /api/v1/account/{name}/token`, recorded in argocd-secret
// `accounts.<name>.tokens` as Argo CD records them; an account may manage
// its own, `accounts, update` others').
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../api/kube-object.ts';
import type { ApiContext } from '../api-context.ts';
import type { AccountToken } from '../auth/accounts.ts';
import { argoCdSecretName } from '../auth/server-secrets.ts';
import { ApiError } from '../http/api-errors.ts';

export const tokenCookie = 'argocd.token';

function cookie(value: string, maxAgeSeconds: number | undefined, secure: boolean): string {
  return `${tokenCookie}=${value}; Path=/; SameSite=Lax; HttpOnly${secure ? '; Secure' : ''}${maxAgeSeconds !== undefined ? `; Max-Age=${maxAgeSeconds}` : ''}`;
}

export async function createSession(ctx: ApiContext): Promise<unknown> {
  const body = await ctx.body<{ username?: unknown; password?: unknown }>();
  const username = typeof body.username === 'string' ? body.username : '';
  const password = typeof body.password === 'string' ? body.password : '';
  const { token, claims } = await ctx.deps.sessions.login(username, password);
  const maxAge = typeof claims.exp === 'number' ? claims.exp - (claims.iat ?? 0) : undefined;
  ctx.res.setHeader('Set-Cookie', cookie(token, maxAge, isTls(ctx)));
  ctx.deps.log(`${username} logged in`);
  return { token };
}

const isTls = (ctx: ApiContext): boolean => (ctx.req.socket as { encrypted?: boolean }).encrypted === true;

export function deleteSession(ctx: ApiContext): unknown {
  if (ctx.claims !== undefined) ctx.deps.sessions.revoke(ctx.claims);
  ctx.res.setHeader('Set-Cookie', cookie('', 0, isTls(ctx)));
  return {};
}

export function userInfo(ctx: ApiContext): unknown {
  if (ctx.claims === undefined) return { loggedIn: false };
  return { loggedIn: true, username: ctx.claims.sub, iss: ctx.claims.iss ?? 'argocd', groups: [] };
}

export function listAccounts(ctx: ApiContext): unknown {
  const items = [...ctx.settings.auth.accounts.values()]
    .filter((a) => ctx.can('accounts', 'get', a.name))
    .map((a) => ({ name: a.name, enabled: a.enabled, capabilities: [...a.capabilities], tokens: a.tokens.map((t) => ({ ...t })) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { items };
}

export function getAccount(ctx: ApiContext): unknown {
  const name = ctx.params['name']!;
  const account = ctx.settings.auth.accounts.get(name);
  if (!isSelf(ctx, name)) ctx.enforce('accounts', 'get', name);
  if (account === undefined) throw new ApiError('NotFound', `account '${name}' does not exist`);
  return { name: account.name, enabled: account.enabled, capabilities: [...account.capabilities], tokens: account.tokens.map((t) => ({ ...t })) };
}

export function canI(ctx: ApiContext): unknown {
  const { resource, action, subresource } = ctx.params as { resource: string; action: string; subresource: string };
  return { value: ctx.can(resource, action, subresource) ? 'yes' : 'no' };
}

const isSelf = (ctx: ApiContext, name: string): boolean => ctx.claims?.sub === name;

async function writeTokens(ctx: ApiContext, name: string, change: (tokens: AccountToken[]) => AccountToken[]): Promise<void> {
  const key = `accounts.${name}.tokens`;
  for (let attempt = 0; attempt < 5; attempt++) {
    const secret = await ctx.deps.client.get('v1', 'Secret', ctx.deps.namespace, argoCdSecretName);
    if (secret === undefined) throw new ApiError('Unavailable', `${argoCdSecretName} does not exist`);
    const raw = (secret['data'] as Record<string, string> | undefined)?.[key];
    const tokens = raw === undefined ? [] : JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as AccountToken[];
    const next = change(tokens);
    try {
      await ctx.deps.client.patch(secret as KubeObject, { metadata: { resourceVersion: secret.metadata.resourceVersion },
        data: { [key]: Buffer.from(JSON.stringify(next)).toString('base64') } }, 'merge');
      return;
    } catch (err) {
      if ((err as { status?: number }).status !== 409) throw err;
    }
  }
  throw new ApiError('Aborted', `${argoCdSecretName} kept changing; try again`);
}

export async function createToken(ctx: ApiContext): Promise<unknown> {
  if (ctx.claims === undefined) throw new ApiError('Unauthenticated', 'no session information');
  const name = ctx.params['name']!;
  if (!isSelf(ctx, name)) ctx.enforce('accounts', 'update', name);
  const account = ctx.settings.auth.accounts.get(name);
  if (account === undefined) throw new ApiError('NotFound', `account '${name}' does not exist`);
  if (!account.capabilities.includes('apiKey')) throw new ApiError('InvalidArgument', `account '${name}' does not have apiKey capability`);
  const body = await ctx.body<{ expiresIn?: number | string; id?: string }>();
  const id = typeof body.id === 'string' && body.id !== '' ? body.id : randomUUID();
  if (account.tokens.some((t) => t.id === id)) throw new ApiError('InvalidArgument', `account already has token with id '${id}'`);
  const expiresIn = Number(body.expiresIn ?? 0);
  if (!Number.isFinite(expiresIn) || expiresIn < 0) throw new ApiError('InvalidArgument', 'expiresIn must be a number of seconds');
  const { token, claims } = ctx.deps.sessions.issue(`${name}:apiKey`, expiresIn, id);
  await writeTokens(ctx, name, (tokens) => [...tokens, { id, iat: claims.iat!, ...(claims.exp !== undefined ? { exp: claims.exp } : {}) }]);
  ctx.deps.log(`${ctx.claims.sub} created API key ${id} for ${name}`);
  return { token };
}

export async function deleteToken(ctx: ApiContext): Promise<unknown> {
  if (ctx.claims === undefined) throw new ApiError('Unauthenticated', 'no session information');
  const { name, id } = ctx.params as { name: string; id: string };
  if (!isSelf(ctx, name)) ctx.enforce('accounts', 'update', name);
  await writeTokens(ctx, name, (tokens) => tokens.filter((t) => t.id !== id));
  return {};
}
