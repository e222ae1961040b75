// Verification reports end up in PR comments, check runs and CI logs, which many people can read.
// Anything that looks like a credential is masked before it reaches a report: URL userinfo, query
// parameters and header values whose names suggest a secret, and any known secret value that a
// server or library echoes back inside an error message.

export const MASK = '***';

const SECRET_NAME = /auth|token|key|cookie|secret|passw|session|credential|signature|bearer/i;

/** True for header or parameter names that usually carry credentials (Authorization, X-Api-Key, ...). */
export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** `https://user:pw@host/p?token=abc&q=1` → `https://***@host/p?token=***&q=1`. */
export function redactUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return redactText(text);
  }
  const hadUserinfo = url.username !== '' || url.password !== '';
  url.username = '';
  url.password = '';
  for (const name of [...url.searchParams.keys()]) {
    if (looksSecret(name)) url.searchParams.set(name, MASK);
  }
  let out = url.toString();
  // URL would percent-encode the mask inside userinfo, so it is put back as plain text.
  if (hadUserinfo) out = out.replace(`${url.protocol}//`, `${url.protocol}//${MASK}@`);
  return out.replaceAll(encodeURIComponent(MASK), MASK);
}

/** Masks URL userinfo and `name=value` pairs with secret-looking names anywhere in free text. */
export function redactText(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, `$1${MASK}@`)
    .replace(/\b([\w-]*(?:token|key|secret|passw\w*|auth\w*|session|signature))=([^&\s"']+)/gi, `$1=${MASK}`)
    .replace(/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, `$1 ${MASK}`);
}

/** Header values whose names look secret are masked; the rest are kept as they are. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, looksSecret(k) ? MASK : v]));
}

/** Removes every occurrence of the given secret values (shorter than 4 characters are too common to mask). */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.replaceAll(secret, MASK);
  }
  return redactText(out);
}

/**
 * fetch refuses URLs that carry credentials, and they must not be echoed anyway: the userinfo moves
 * into a Basic Authorization header and the values are remembered so they can be scrubbed from errors.
 */
export function splitCredentials(text: string): { url: URL; authorization?: string; secrets: string[] } {
  const url = new URL(text);
  if (url.username === '' && url.password === '') return { url, secrets: [] };
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return { url, authorization, secrets: [password, authorization.slice(6)].filter((s) => s !== '') };
}
