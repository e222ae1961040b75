// Verification reports end up in PR comments, check runs and CI logs, which many people can read.
// The masking itself is the product's one redaction (src/core/redact.ts); this module adds what only
// probes need: URLs whose credentials move into a header, and header maps.
import { looksSecret, MASK, redactText as redactKnown, redactPatterns } from '../core/redact.js';

export { looksSecret, MASK };

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
  return redactPatterns(out.replaceAll(encodeURIComponent(MASK), MASK));
}

/** Masks credential shapes (URL userinfo, `token=` values, bearer values, AWS and GitHub keys). */
export function redactText(text: string): string {
  return redactPatterns(text);
}

/** Header values whose names look secret are masked; the rest are kept as they are. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, looksSecret(k) ? MASK : v]));
}

/** Removes every occurrence of the given secret values, then masks credential shapes. */
export function scrub(text: string, secrets: readonly string[]): string {
  return redactKnown(text, secrets);
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
