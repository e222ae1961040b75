// The GitHub client the port is given, and the retry wrapper every port call goes through.
// The client type is the common subset of Probot's context.octokit, @actions/github's getOctokit and a
// plain Octokit, so the port never depends on which of them it runs under.

import { redactDeep, redactPatterns } from '../core/redact.js';
import { type PortTrust, type UntrustedMarker, untrustedReporter } from './trust.js';

/* biome-ignore lint/suspicious/noExplicitAny: Octokit's response data is untyped at this boundary */
type Any = any;

export type GitHubClient = {
  request(
    route: string,
    params?: Record<string, unknown>,
  ): Promise<{ status: number; data: Any; headers: Record<string, unknown> }>;
  graphql<T = Any>(query: string, vars?: Record<string, unknown>): Promise<T>;
};

export type Sleep = (ms: number) => Promise<void>;

export interface RetryOptions {
  /** Retries after the first attempt (so `retries + 1` attempts at most). */
  retries: number;
  /** First backoff step; doubles per attempt, with jitter. */
  baseMs: number;
  /** A retry-after (or rate-limit reset) longer than this is not waited for: the error goes up instead,
   *  so an alert endpoint can answer 503 and let its sender retry later. */
  maxWaitMs?: number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 4, baseMs: 200, maxWaitMs: 60_000 };

/** One GraphQL error entry as GitHub reports it (inside a 200 answer). */
export interface GraphqlErrorEntry {
  type?: string;
  message: string;
  path?: (string | number)[];
}

/** Any failed GitHub call, after retries. `status` is the HTTP status (200 for GraphQL errors, 0 for network). */
export class GitHubError extends Error {
  override readonly name = 'GitHubError';
  constructor(
    readonly status: number,
    readonly retryable: boolean,
    message: string,
    readonly graphqlErrors: GraphqlErrorEntry[] = [],
    /** Partial data of a GraphQL answer with errors (batched mutations: what did succeed). */
    readonly data?: Any,
    /** How long GitHub asked us to wait (retry-after, or the rate limit's reset), when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** The longest retry-after the bot passes on to a sender: GitHub's own hint, within sane bounds. */
export const MAX_RETRY_AFTER_S = 300;
/** What a sender is told to wait when GitHub gave no hint. */
export const DEFAULT_RETRY_AFTER_S = 10;

/** The retry-after (seconds) to answer with: GitHub's, clamped to 1..MAX_RETRY_AFTER_S, else the default. */
export function boundedRetryAfter(seconds: number | undefined): number {
  if (seconds === undefined || !Number.isFinite(seconds)) return DEFAULT_RETRY_AFTER_S;
  return Math.min(MAX_RETRY_AFTER_S, Math.max(1, Math.ceil(seconds)));
}

export interface CallRetryContext {
  sleep: Sleep;
  now: () => number;
  random: () => number;
  retry: RetryOptions;
}

export interface RetryingClient {
  request(
    route: string,
    params?: Record<string, unknown>,
  ): Promise<{ status: number; data: Any; headers: Record<string, unknown> }>;
  graphql<T = Any>(query: string, vars?: Record<string, unknown>): Promise<T>;
}

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Wraps a client so every call retries transient failures and fails with a GitHubError. */
export function createRetryingClient(
  client: GitHubClient,
  opts: Partial<Omit<CallRetryContext, 'retry'>> & { retry?: Partial<RetryOptions> } = {},
): RetryingClient {
  const ctx: CallRetryContext = {
    sleep: opts.sleep ?? realSleep,
    now: opts.now ?? Date.now,
    random: opts.random ?? Math.random,
    retry: { ...DEFAULT_RETRY, ...opts.retry },
  };
  return {
    request: (route, params) => withRetry(() => client.request(route, params), ctx),
    graphql: <T>(query: string, vars?: Record<string, unknown>) =>
      withRetry(() => client.graphql<T>(query, vars), ctx),
  };
}

/** Runs `call`, retrying what GitHub says may succeed later (5xx, network, secondary rate limits). */
export async function withRetry<T>(call: () => Promise<T>, ctx: CallRetryContext): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (thrown: unknown) {
      const err = toGitHubError(thrown);
      if (!err.retryable || attempt >= ctx.retry.retries) throw err;
      const wait = retryDelayMs(thrown, attempt, ctx);
      if (wait > (ctx.retry.maxWaitMs ?? Number.POSITIVE_INFINITY)) throw err;
      await ctx.sleep(wait);
    }
  }
}

/** How long to wait before the next attempt: GitHub's own hint first, else exponential backoff with jitter. */
export function retryDelayMs(
  thrown: unknown,
  attempt: number,
  ctx: Pick<CallRetryContext, 'now' | 'random' | 'retry'>,
): number {
  const hinted = hintedWaitMs(headersOf(thrown), ctx.now());
  if (hinted !== undefined) return hinted;
  // "Equal jitter": half the step is fixed, half random, so concurrent replicas spread out but never
  // retry immediately.
  const step = ctx.retry.baseMs * 2 ** attempt;
  return Math.round(step / 2 + ctx.random() * (step / 2));
}

/** GitHub's own wait: retry-after (seconds or a date), else an exhausted rate limit's reset. */
function hintedWaitMs(headers: Record<string, unknown>, now: number): number | undefined {
  const retryAfter = headerValue(headers, 'retry-after');
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  if (headerValue(headers, 'x-ratelimit-remaining') === '0') {
    const reset = Number(headerValue(headers, 'x-ratelimit-reset'));
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  }
  return undefined;
}

/** Classifies anything a client threw. */
export function toGitHubError(thrown: unknown): GitHubError {
  if (thrown instanceof GitHubError) return thrown;
  const obj = (typeof thrown === 'object' && thrown !== null ? thrown : {}) as Record<string, Any>;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  // GraphQL answered 200 with an errors array (Octokit's GraphqlResponseError).
  if (Array.isArray(obj.errors)) {
    const errors = (obj.errors as Any[]).map((e) => ({
      type: e?.type,
      message: String(e?.message ?? ''),
      path: e?.path,
    }));
    const rateLimited = errors.some((e) => e.type === 'RATE_LIMITED');
    const waitMs = hintedWaitMs(headersOf(thrown), Date.now());
    return new GitHubError(
      200,
      rateLimited,
      errors.map((e) => e.message).join('; ') || message,
      errors,
      obj.data,
      waitMs === undefined ? undefined : waitMs / 1000,
    );
  }
  const status = typeof obj.status === 'number' ? obj.status : 0;
  if (status === 0) return new GitHubError(0, true, `network error: ${message}`);
  const headers = headersOf(thrown);
  const apiMessage = typeof obj.response?.data?.message === 'string' ? obj.response.data.message : message;
  const waitMs = hintedWaitMs(headers, Date.now());
  return new GitHubError(
    status,
    isRetryableStatus(status, headers, apiMessage),
    apiMessage,
    [],
    undefined,
    waitMs === undefined ? undefined : waitMs / 1000,
  );
}

function isRetryableStatus(status: number, headers: Record<string, unknown>, message: string): boolean {
  if (status >= 500) return true;
  if (status === 429) return true;
  if (status === 403) {
    // Only the secondary rate limit (and an exhausted primary limit) is worth waiting for; other 403s
    // are permissions and will not change.
    if (headerValue(headers, 'retry-after') !== undefined) return true;
    if (headerValue(headers, 'x-ratelimit-remaining') === '0') return true;
    return /secondary rate limit/i.test(message);
  }
  return false;
}

function headersOf(thrown: unknown): Record<string, unknown> {
  const obj = (typeof thrown === 'object' && thrown !== null ? thrown : {}) as Record<string, Any>;
  return (obj.response?.headers ?? obj.headers ?? {}) as Record<string, unknown>;
}

function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === name && v !== undefined && v !== null) return String(v);
  }
  return undefined;
}

/** What every port module gets: the retrying client and the repo it acts on. */
export interface PortContext {
  gh: RetryingClient;
  owner: string;
  repo: string;
  now: () => number;
  sleep: Sleep;
  /** Our own login (`<app>[bot]`) when known; sticky comments are matched on it. */
  selfLogin?: string;
  /** The redaction every text sent to GitHub passes (applied by the client; bodies before sealing). */
  redact: (text: string) => string;
  /** Absent outside the bot (the Action, the CLI): markers are then read for reports only. */
  trust?: PortTrust;
  /** Tells the bot about a refused marker, once per PR and reason. */
  reportUntrusted: (report: UntrustedMarker) => void;
  /**
   * Retries a read-then-act step as a whole, with the same policy as `gh`. The `gh` given to the step
   * does not retry by itself, so after a wait the step reads again instead of acting on what it read
   * before the wait (meanwhile another replica may have opened, even merged, the same failover).
   * Absent: one attempt with `gh`.
   */
  retryStep?: <T>(step: (attempt: number, gh: RetryingClient) => Promise<T>) => Promise<T>;
}

export interface PortOptions {
  client: GitHubClient;
  /**
   * The redaction every text sent to GitHub passes (PR bodies, comments, check runs, deployment statuses):
   * the bot's and the Action's registry of known secrets. Default: credential shapes only.
   */
  redact?: (text: string) => string;
  owner: string;
  repo: string;
  sleep?: Sleep;
  now?: () => number;
  random?: () => number;
  retry?: Partial<RetryOptions>;
  selfLogin?: string;
  /** The bot's marker keys and app slug: markers are signed on write and verified on read. */
  trust?: PortTrust;
}

/** Builds the context the port modules share from the port's options. */
export function createPortContext(opts: PortOptions): PortContext {
  const sleep = opts.sleep ?? realSleep;
  const now = opts.now ?? Date.now;
  const retry = { ...DEFAULT_RETRY, ...opts.retry };
  const redact = opts.redact ?? opts.trust?.redact ?? redactPatterns;
  const client = redactingClient(opts.client, redact);
  const gh = createRetryingClient(client, {
    sleep,
    now,
    retry,
    ...(opts.random ? { random: opts.random } : {}),
  });
  const selfLogin = opts.selfLogin ?? (opts.trust ? `${opts.trust.appSlug}[bot]` : undefined);
  const stepRetry: CallRetryContext = { sleep, now, random: opts.random ?? Math.random, retry };
  return {
    gh,
    owner: opts.owner,
    repo: opts.repo,
    now,
    sleep,
    redact,
    ...(selfLogin ? { selfLogin } : {}),
    ...(opts.trust ? { trust: opts.trust } : {}),
    reportUntrusted: untrustedReporter(opts.trust),
    retryStep: (step) => {
      let attempt = 0;
      return withRetry(() => step(attempt++, client), stepRetry);
    },
  };
}

/** Kept as sent: file contents (base64 of the repo's own bytes, not prose) and Octokit's request options. */
const KEPT_AS_SENT: ReadonlySet<string> = new Set([
  'contents',
  'content',
  'query',
  'headers',
  'request',
  'mediaType',
]);

/**
 * Identifiers are kept as sent too: a node id, a SHA or an object id is never a secret, and one that
 * happened to have a credential's shape (40 mixed-case characters) must not be turned into `***`.
 */
function keptAsSent(key: string): boolean {
  return KEPT_AS_SENT.has(key) || /(^|_)(id|sha|oid)$/.test(key) || /[a-z](Id|Ids|Oid|Sha)$/.test(key);
}

/**
 * Every string the port sends to GitHub passes `redact` here, at the one door out, so no caller (bot,
 * Action, a future verb) can forget it. Reads pass through unchanged in meaning: owner, repo, numbers and
 * SHAs never match a credential shape.
 */
export function redactingClient(client: GitHubClient, redact: (text: string) => string): GitHubClient {
  const how = { redact: (text: string) => redactKeepingSeal(text, redact), skipKeys: keptAsSent };
  return {
    request: (route, params) =>
      client.request(route, params && (redactDeep(params, how) as Record<string, unknown>)),
    graphql: <T>(query: string, vars?: Record<string, unknown>) =>
      client.graphql<T>(query, vars && (redactDeep(vars, how) as Record<string, unknown>)),
  };
}

/** The bot's signed marker at the end of a PR body: `<!-- gitops-failover {json} sig=v1.<43 chars> -->`. */
const SIGNED_MARKER = /<!-- gitops-failover [^\n]*? sig=v1\.[A-Za-z0-9_-]{43} -->/g;

/**
 * Redacts a text except a signed marker inside it: the port redacted the body *before* signing its marker
 * (see sealBody's callers), so the marker holds nothing to mask, and any change now would break its
 * signature. An unsigned marker has no signature to break and is redacted like the rest.
 */
function redactKeepingSeal(text: string, redact: (text: string) => string): string {
  if (!text.includes(' sig=v1.')) return redact(text);
  let out = '';
  let last = 0;
  for (const match of text.matchAll(SIGNED_MARKER)) {
    out += redact(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + redact(text.slice(last));
}
