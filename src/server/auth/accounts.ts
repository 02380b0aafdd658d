// Local accounts as Argo CD reads them: `admin` (disabled by argocd-cm
// `admin.enabled: "false"`, login only, password in argocd-secret
// `admin.password` with `admin.passwordMtime`), and `accounts.<name>:
// <capabilities>` in argocd-cm (`apiKey`, `login`), `accounts.<name>.enabled`,
// with `accounts.<name>.password`, `.passwordMtime` and `.tokens` (the API keys
// issued, a JSON list of {id, iat, exp}) in argocd-secret. Secret data arrive
// base64-encoded, as the API server returns them.

export type AccountCapability = 'login' | 'apiKey';

export interface AccountToken {
  readonly id: string;
  readonly iat: number;
  readonly exp?: number;
}

export interface Account {
  readonly name: string;
  readonly enabled: boolean;
  readonly capabilities: readonly AccountCapability[];
  readonly passwordHash?: string;
  /** When the password last changed (tokens issued before are refused). */
  readonly passwordMtime?: Date;
  readonly tokens: readonly AccountToken[];
}

export interface AccountsResult {
  readonly accounts: ReadonlyMap<string, Account>;
  readonly problems: readonly string[];
}

function secretValue(secretData: Readonly<Record<string, string>>, key: string): string | undefined {
  const raw = secretData[key];
  return raw === undefined ? undefined : Buffer.from(raw, 'base64').toString('utf8');
}

function mtimeOf(raw: string | undefined): Date | undefined {
  if (raw === undefined || raw === '') return undefined;
  const t = new Date(raw);
  return Number.isNaN(t.getTime()) ? undefined : t;
}

export function parseAccounts(cmData: Readonly<Record<string, string>> | undefined, secretData: Readonly<Record<string, string>> | undefined): AccountsResult {
  const cm = cmData ?? {};
  const secret = secretData ?? {};
  const problems: string[] = [];
  const accounts = new Map<string, Account>();
  const common = (key: string): Pick<Account, 'passwordHash' | 'passwordMtime' | 'tokens'> => {
    const hash = secretValue(secret, `${key}.password`);
    const mtime = mtimeOf(secretValue(secret, `${key}.passwordMtime`));
    let tokens: AccountToken[] = [];
    const rawTokens = secretValue(secret, `${key}.tokens`);
    if (rawTokens !== undefined && rawTokens.trim() !== '') {
      try {
        const parsed = JSON.parse(rawTokens) as unknown;
        if (Array.isArray(parsed)) tokens = parsed.filter((t): t is AccountToken => typeof (t as AccountToken)?.id === 'string');
      } catch {
        problems.push(`argocd-secret ${key}.tokens is not a JSON list; the account's API keys are refused`);
      }
    }
    return { ...(hash ? { passwordHash: hash } : {}), ...(mtime ? { passwordMtime: mtime } : {}), tokens };
  };
  accounts.set('admin', { name: 'admin', enabled: cm['admin.enabled'] !== 'false', capabilities: ['login'], ...common('admin') });
  for (const [key, value] of Object.entries(cm)) {
    if (!key.startsWith('accounts.') || key.endsWith('.enabled')) continue;
    const name = key.slice('accounts.'.length);
    const capabilities: AccountCapability[] = [];
    let valid = true;
    for (const c of value.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
      if (c === 'login' || c === 'apiKey') capabilities.push(c);
      else { problems.push(`argocd-cm ${key}: not supported account capability '${c}'`); valid = false; }
    }
    if (!valid) continue;
    accounts.set(name, { name, enabled: cm[`${key}.enabled`] !== 'false', capabilities, ...common(`accounts.${name}`) });
  }
  return { accounts, problems };
}
