// Running the git CLI: bounded in time, never prompting, credentials passed
// through the environment (an askpass helper or an SSH command) so they never
// appear in arguments, logs or error messages.
import { execFile } from 'node:child_process';
import { CapstanError } from '../errors.ts';

export interface GitCredentials {
  readonly username?: string;
  readonly password?: string;
  /** Path of a private key file for SSH URLs. */
  readonly sshPrivateKeyPath?: string;
  readonly insecureIgnoreHostKey?: boolean;
  /** Sent as `Authorization: Bearer` (Bitbucket Data Center access tokens). */
  readonly bearerToken?: string;
  /** HTTPS: do not verify the server's certificate. */
  readonly insecureSkipTlsVerify?: boolean;
}

export interface GitRunOptions {
  readonly cwd?: string;
  readonly timeoutMs?: number;
  readonly credentials?: GitCredentials;
  /** Environment for askpass helpers, set by the caller. */
  readonly env?: Record<string, string>;
  readonly maxBuffer?: number;
}

/** Removes anything that looks like a secret from git's output before it is shown. */
export function redact(text: string, credentials?: GitCredentials): string {
  let out = text.replace(/(https?:\/\/)[^/@\s]+@/g, '$1***@');
  for (const secret of [credentials?.password, credentials?.bearerToken]) {
    if (secret) out = out.split(secret).join('***');
  }
  return out;
}

export function runGit(args: readonly string[], options: GitRunOptions = {}): Promise<string> {
  const env: Record<string, string> = {
    ...process.env as Record<string, string>,
    GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'echo', LC_ALL: 'C',
    ...options.env,
  };
  if (options.credentials?.bearerToken) {
    // Through git's environment config (git ≥ 2.31), never on the command line.
    Object.assign(env, { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Bearer ${options.credentials.bearerToken}` });
  }
  if (options.credentials?.insecureSkipTlsVerify) env['GIT_SSL_NO_VERIFY'] = 'true';
  if (options.credentials?.sshPrivateKeyPath) {
    const hostKey = options.credentials.insecureIgnoreHostKey ? ' -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null' : '';
    env['GIT_SSH_COMMAND'] = `ssh -i ${JSON.stringify(options.credentials.sshPrivateKeyPath)} -o IdentitiesOnly=yes -o BatchMode=yes${hostKey}`;
  }
  return new Promise((resolve, reject) => {
    execFile('git', [...args], { cwd: options.cwd, env, timeout: options.timeoutMs ?? 120_000,
      maxBuffer: options.maxBuffer ?? 256 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err === null) { resolve(stdout); return; }
      const timedOut = (err as { killed?: boolean }).killed === true;
      const detail = redact((stderr || err.message).trim().split('\n').slice(-5).join('\n'), options.credentials);
      reject(new CapstanError(timedOut ? 'GitTimeout' : 'GitFailed',
        `git ${args[0]} ${timedOut ? `timed out after ${options.timeoutMs ?? 120_000} ms` : `failed: ${detail}`}`,
        { retry: timedOut ? 'transient' : 'wait' }));
    });
  });
}
