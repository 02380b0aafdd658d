// Git URLs as Argo CD compares them (util/git NormalizeGitURL): trimmed and
// lower-cased, an scp-like `user@host:path` turned into `user@host/path`, a
// trailing `.git` dropped, the `ssh://` scheme dropped. A URL Go's url.Parse
// rejects normalizes to the empty string — notably `ssh://user@host:path`
// with a path where the port should be — so, as in Argo CD, two such URLs
// compare equal. (Go also re-escapes characters such as `{` on the way out;
// that is not reproduced.)

/** Go's sshURLRegex: an optional ssh:// scheme, a user, `@`, and no second `@`. */
const sshUrl = /^(ssh:\/\/)?([^/:]*?)@[^@]+$/;

export function isSshUrl(url: string): boolean {
  return sshUrl.test(url);
}

/** What Go's url.Parse refuses among the URLs a project or an app names: an empty scheme, a port that is not a number. */
function parseFails(url: string): boolean {
  if (url.startsWith(':')) return true;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/.exec(url);
  if (scheme === null) return false;
  const authority = scheme[2]!;
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  const colon = host.lastIndexOf(':');
  if (colon < 0 || host.lastIndexOf(']') > colon) return false;
  return !/^[0-9]*$/.test(host.slice(colon + 1));
}

export function normalizeGitUrl(repo: string): string {
  let url = repo.trim().toLowerCase();
  if (isSshUrl(url) && !url.startsWith('ssh://')) url = `ssh://${url.replace(':', '/')}`;
  if (url.endsWith('.git')) url = url.slice(0, -'.git'.length);
  if (parseFails(url)) return '';
  return url.startsWith('ssh://') ? url.slice('ssh://'.length) : url;
}
