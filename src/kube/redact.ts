// Keeps credentials and Secret values out of error messages. Messages from
// the API server, the network stack and kubeconfig credential plugins can
// echo what they were given; before such text goes into a KubeApiError it
// passes through here. Bearer/Basic credentials and token-like JSON fields are
// masked everywhere; for Secrets, field validation values ("Invalid value:
// ...") are masked too, since they are the secret's data.

const mask = '[redacted]';

const credentialPatterns: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${mask}`],
  [/("(?:token|access_token|id_token|refresh_token|client-key-data|clientKeyData|password)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi, `$1"${mask}"`],
  [/\b(token|password)=[^\s&"']+/gi, `$1=${mask}`],
];

// Kubernetes field errors print the rejected value after "Invalid value: ",
// quoted when it is a string, up to the ": reason" that follows.
const invalidValue = /Invalid value: (?:"(?:[^"\\]|\\.)*"|[^:\n]*)/g;

/** `text` with credentials masked; with `secretValues`, also rejected field values. */
export function redactSecrets(text: string, options: { secretValues?: boolean } = {}): string {
  let out = text;
  for (const [pattern, replacement] of credentialPatterns) out = out.replace(pattern, replacement);
  if (options.secretValues) out = out.replace(invalidValue, `Invalid value: ${mask}`);
  return out;
}
