// The one redaction every outgoing text passes: the bot's log lines, everything the bot and the Action
// post to GitHub (PR bodies, comments, check runs, deployment statuses), the job summary and verification
// reports. Two layers: values known to be secret (registered from the environment or by a step) are
// removed wherever they appear, and shapes that are credentials whoever wrote them (URL userinfo,
// `token=` values, bearer headers, AWS keys, GitHub tokens) are masked even when nobody registered them.
// Pure: no environment reads; callers register what they know.

export const MASK = '***';

/** Values shorter than this are too common to mask without destroying ordinary text. */
export const MIN_SECRET_LENGTH = 4;

const SECRET_NAME = /auth|token|key|cookie|secret|passw|session|credential|signature|bearer/i;

/** True for header, parameter or variable names that usually carry credentials (Authorization, X-Api-Key). */
export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(decodeRepeatedly(name));
}

/** `to%6Ben` and `to%256Ben` are both `token` to a lenient parser, so names are judged fully decoded. */
function decodeRepeatedly(text: string): string {
  let out = text;
  for (let i = 0; i < 3 && out.includes('%'); i++) {
    try {
      const next = decodeURIComponent(out);
      if (next === out) break;
      out = next;
    } catch {
      break;
    }
  }
  return out;
}

const USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^/\s@?#]+@/gi;
/** `name=value` in URLs, env dumps and CLI output; the name is judged after percent-decoding. */
const NAME_VALUE = /(^|[^\w%.-])([\w%.-]{1,80})=([^&\s"'<>;,)]+)/g;
const AUTH_SCHEME = /\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{6,}/gi;
const GITHUB_TOKEN = /\b(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g;
const AWS_ACCESS_KEY_ID = /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g;
const AWS_SECRET_NAMED =
  /\b(aws_secret_access_key|secretaccesskey|aws_session_token)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi;
/** 40 characters of base64 with both cases and a digit: the shape of an AWS secret access key. */
const AWS_SECRET_SHAPE = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

function looksLikeAwsSecret(candidate: string): boolean {
  return /[A-Z]/.test(candidate) && /[a-z]/.test(candidate) && /[0-9]/.test(candidate);
}

/** Masks credential shapes in free text. Known secret values are the registry's job (see `redactText`). */
export function redactPatterns(text: string): string {
  return text
    .replace(USERINFO, `$1${MASK}@`)
    .replace(NAME_VALUE, (whole, lead: string, name: string) =>
      looksSecret(name) ? `${lead}${name}=${MASK}` : whole,
    )
    .replace(AUTH_SCHEME, `$1 ${MASK}`)
    .replace(GITHUB_TOKEN, MASK)
    .replace(AWS_ACCESS_KEY_ID, MASK)
    .replace(AWS_SECRET_NAMED, `$1$2${MASK}`)
    .replace(AWS_SECRET_SHAPE, (candidate) => (looksLikeAwsSecret(candidate) ? MASK : candidate));
}

/** The spellings a secret takes on its way into text: as is, percent-encoded, JSON-escaped. */
function spellings(secret: string): string[] {
  const out = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  return [...out];
}

/** Removes known secret values (every spelling), then masks credential shapes. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (const spelling of spellings(secret)) out = out.replaceAll(spelling, MASK);
  }
  return redactPatterns(out);
}

/**
 * Values known to be secret in this process: tokens from the environment, a key a step printed. Longest
 * first, so a masker never leaves half of a longer secret behind. Multi-line values (PEM keys) are also
 * registered line by line: an error message may quote one line.
 */
export class SecretRegistry {
  readonly #values = new Set<string>();
  #sorted: string[] = [];

  add(value: string | undefined): this {
    if (value === undefined) return this;
    const trimmed = value.trim();
    const parts = [trimmed, ...trimmed.split(/\r?\n/).map((line) => line.trim())];
    for (const part of parts) {
      if (part.length >= MIN_SECRET_LENGTH && !/^-----(BEGIN|END) /.test(part)) this.#values.add(part);
    }
    this.#sorted = [...this.#values].sort((a, b) => b.length - a.length);
    return this;
  }

  get values(): readonly string[] {
    return this.#sorted;
  }

  redact(text: string): string {
    return redactText(text, this.#sorted);
  }
}

export interface DeepRedaction {
  redact(text: string): string;
  /** Mask a string under a secret-looking key (`authorization`, `x-forwarded-authorization`) whole. */
  maskSecretKeys?: boolean;
  /** Keys whose values are kept as they are (file contents: base64, not prose; identifiers). */
  skipKeys?: ReadonlySet<string> | ((key: string) => boolean);
}

function skipped(skip: DeepRedaction['skipKeys'], key: string): boolean {
  if (skip === undefined) return false;
  return typeof skip === 'function' ? skip(key) : skip.has(key);
}

/** A deep copy of a JSON-like value with every string redacted. */
export function redactDeep(value: unknown, how: DeepRedaction): unknown {
  if (typeof value === 'string') return how.redact(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, how));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    let next: unknown;
    if (skipped(how.skipKeys, key)) next = child;
    else if (how.maskSecretKeys && typeof child === 'string' && looksSecret(key))
      next = child === '' ? child : MASK;
    else next = redactDeep(child, how);
    Object.defineProperty(out, key, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Values from the environment shorter than this are not registered: `LOG_KEY=info` must not mask "info". */
const MIN_ENV_SECRET_LENGTH = 8;

/**
 * The values of environment variables whose names look secret (`*_TOKEN`, `*_SECRET`, `*_KEY`,
 * `*PASSWORD*`), split on commas (token lists) and `name=value` pairs (per-repo secret maps).
 */
export function secretsFromEnvironment(env: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value || !looksSecret(name)) continue;
    const parts = [value, ...value.split(',').flatMap((part) => [part, part.slice(part.indexOf('=') + 1)])];
    for (const part of parts) {
      const trimmed = part.trim();
      if (trimmed.length >= MIN_ENV_SECRET_LENGTH) out.push(trimmed);
    }
  }
  return out;
}
