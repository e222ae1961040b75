// POST /failover/v1/alerts/{owner}/{repo}[?source=...]: the HTTP edge of the alert intake. Order matters:
// cheap refusals (unconfigured, no credentials, bad names, declared size) come before the body is read,
// full authentication before the body is parsed, and GitHub is asked nothing until the sender is trusted.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeThrown } from '../src/core/errors.js';
import { looksSecret } from '../src/core/redact.js';
import { ALERT_SOURCES, type AlertSource } from '../src/core/types.js';
import { boundedRetryAfter, toGitHubError } from '../src/github/client.js';
import {
  type AuthMethod,
  authenticate,
  type Credentials,
  DEFAULT_GRAFANA_TIMESTAMP_HEADER,
  GRAFANA_SIGNATURE_HEADER,
  type IntakeSecrets,
  PAGERDUTY_SIGNATURE_HEADER,
  precheck,
  type ReplayGuard,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from '../src/intake/auth.js';
import {
  BodyBudget,
  checkDeclaredLength,
  IntakeHttpError,
  looksLikeSnsEnvelope,
  MAX_BODY_BYTES,
  parseJsonBody,
  readBody,
} from '../src/intake/body.js';
import {
  DEFAULT_MESSAGE_MAX_AGE_MS,
  judgePagerDutyEvent,
  judgeSnsNotification,
  signedNotificationBody,
} from '../src/intake/freshness.js';
import {
  asSnsEnvelope,
  confirmSubscription,
  type FetchText,
  type SnsVerifier,
} from '../src/intake/sns-verify.js';
import { type AlertService, readNotification, type ServiceLogger } from '../src/service/alerts.js';
import type { InstallationResolver } from './installations.js';
import { REDACTED } from './logging.js';
import type { BotMetrics } from './metrics.js';

export const ALERT_PATH_PREFIX = '/failover/v1/alerts/';
const ROUTE = /^\/failover\/v1\/alerts\/([^/]*)\/([^/]*)\/?$/;
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,99})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

export interface IntakeRouteDeps {
  secrets: IntakeSecrets;
  snsTopics: readonly string[];
  /** How old a signed SNS or PagerDuty message may be (default 1 h). */
  messageMaxAgeMs?: number;
  /** The header Grafana's contact point puts its timestamp in (lower-case). */
  grafanaTimestampHeader?: string;
  replay: ReplayGuard;
  /** Body bytes held at once across all requests. */
  bodyBudget?: BodyBudget;
  sns: SnsVerifier;
  /** For SNS SubscribeURL visits (https, SNS hosts only: checked before the call). */
  fetchText: FetchText;
  installations: InstallationResolver;
  service: AlertService;
  metrics: BotMetrics;
  log: ServiceLogger;
  now(): number;
}

type Answer = { status: number; json: Record<string, unknown>; headers?: Record<string, string> };

/** One request on its way through: what it asked for and which replay keys it holds until answered. */
interface Intake {
  req: IncomingMessage;
  method: string;
  /** The request target exactly as sent (the HMAC covers it), before the URL is redacted for logs. */
  target: string;
  path: string;
  query: QueryParams;
  reserved: string[];
  /** Set once the body limits and reader took over the request stream. */
  bodyTouched: boolean;
}

/** A Probot `addHandler` handler: true when it answered the request. */
export function createAlertIntakeHandler(deps: IntakeRouteDeps) {
  const budget = deps.bodyBudget ?? new BodyBudget();
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const rawUrl = req.url ?? '/';
    if (!rawUrl.startsWith(ALERT_PATH_PREFIX)) return false;
    const started = deps.now();
    const queryAt = rawUrl.indexOf('?');
    const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
    const query = readQuery(queryAt === -1 ? '' : rawUrl.slice(queryAt + 1));
    // The SNS token travels in the URL; take it out before anything (Probot's request log) prints req.url.
    req.url = query.redacted === '' ? path : `${path}?${query.redacted}`;
    const intake: Intake = {
      req,
      method: req.method ?? 'GET',
      target: rawUrl,
      path,
      query,
      reserved: [],
      bodyTouched: false,
    };
    let sourceLabel: string = query.source && isSource(query.source) ? query.source : 'unknown';

    let answer: Answer;
    try {
      const result = await handle(deps, intake, budget);
      answer = result.answer;
      if (result.source) sourceLabel = result.source;
    } catch (thrown: unknown) {
      answer = thrownAnswer(deps, thrown);
    }
    // Only a request answered 2xx spends its signature or message id; anything else may be retried.
    for (const key of intake.reserved) {
      if (answer.status >= 200 && answer.status < 300) deps.replay.commit(key);
      else deps.replay.release(key);
    }
    deps.metrics.alertReceived(sourceLabel, answer.status);
    deps.metrics.processing.observe({ source: sourceLabel }, (deps.now() - started) / 1000);
    if (!intake.bodyTouched && !req.complete) discardUnreadBody(req);
    send(res, answer);
    return true;
  };
}

/**
 * A request answered without reading its body (refused on its headers) still has body bytes coming. They
 * are read and dropped, never kept, and the connection stays usable: closing it with body bytes unread
 * makes the kernel reset it, and the sender would lose our answer (a misconfigured sender must see its
 * 401/403). Past 64 KiB (far more than any alert) the connection is cut: a flood of large refused
 * bodies must not cost the bot reading them.
 */
const MAX_DISCARDED_BYTES = 64 * 1024;

function discardUnreadBody(req: IncomingMessage): void {
  let dropped = 0;
  // A sender that hangs up mid-body is not an error worth a crash or a log line.
  req.on('error', () => {});
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > MAX_DISCARDED_BYTES) req.destroy();
  });
  req.resume();
}

function thrownAnswer(deps: IntakeRouteDeps, thrown: unknown): Answer {
  if (thrown instanceof IntakeHttpError) {
    return {
      status: thrown.status,
      json: { error: 'request', message: thrown.message },
      headers: thrown.headers,
    };
  }
  deps.log.error({ event: 'intake_failed', error: describeThrown(thrown) });
  return {
    status: 500,
    json: { error: 'internal', message: 'the notification could not be handled (see bot logs)' },
  };
}

interface QueryParams {
  token?: string | undefined;
  source?: string | undefined;
  /** The query with every secret-looking value replaced, for req.url (and so for every log line). */
  redacted: string;
  /** Why the query is refused (a second spelling of `token`, a repeated key). */
  problem?: string;
}

/**
 * Reads the query by hand: `token` is accepted under exactly that spelling, once. A parser would also
 * read `to%6Ben` or `TOKEN` as the token, and a logger that only knows one spelling would print it.
 */
export function readQuery(raw: string): QueryParams {
  const out: QueryParams = { redacted: '' };
  const kept: string[] = [];
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = at === -1 ? pair : pair.slice(0, at);
    const value = at === -1 ? '' : pair.slice(at + 1);
    const decodedName = safeDecode(name);
    if (looksSecret(decodedName)) {
      kept.push(`${name}=${REDACTED}`);
      if (name !== 'token') out.problem ??= 'the credential query parameter is spelled exactly "token"';
      else if (out.token !== undefined) out.problem ??= 'send ?token= once';
      else out.token = safeDecode(value);
      continue;
    }
    kept.push(pair);
    if (decodedName === 'source') {
      if (out.source !== undefined) out.problem ??= 'send ?source= once';
      out.source = safeDecode(value);
    }
  }
  out.redacted = kept.join('&');
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}

/** Refusals before the body: the unread body is then dropped as it arrives (discardUnreadBody). */
const authAnswer = (status: number, message: string): { answer: Answer } => ({
  answer: { status, json: { error: 'auth', message } },
});

async function handle(
  deps: IntakeRouteDeps,
  intake: Intake,
  budget: BodyBudget,
): Promise<{ answer: Answer; source?: string }> {
  const { req } = intake;
  if (intake.method !== 'POST') {
    return {
      answer: { status: 405, json: { error: 'method', message: 'use POST' }, headers: { allow: 'POST' } },
    };
  }
  const names = parseNames(intake.path);
  if (typeof names === 'string') return { answer: { status: 400, json: { error: 'path', message: names } } };
  if (intake.query.problem)
    return { answer: { status: 400, json: { error: 'query', message: intake.query.problem } } };
  const creds = credentialsOf(req, intake.query.token, deps.grafanaTimestampHeader);
  const signed = {
    method: intake.method,
    target: intake.target,
    repoKey: `${names.owner}/${names.repo}`.toLowerCase(),
  };
  let auth = precheck(deps.secrets, creds, signed, deps.now());
  if (auth && !auth.ok) return authAnswer(auth.status, auth.message);

  const sourceParam = intake.query.source;
  if (sourceParam !== undefined && !isSource(sourceParam)) {
    const message = `unknown source ${JSON.stringify(sourceParam)} (expected one of ${ALERT_SOURCES.join(', ')})`;
    return { answer: { status: 400, json: { error: 'source', message } } };
  }

  intake.bodyTouched = true;
  checkDeclaredLength(req);
  const raw = await readBody(req, MAX_BODY_BYTES, budget);
  if (!auth) {
    auth = authenticate(deps.secrets, creds, signed, raw, deps.now(), deps.replay);
    if (!auth.ok) return authAnswer(auth.status, auth.message);
    if (auth.replayKey) intake.reserved.push(auth.replayKey);
  }

  const body = parseJsonBody(raw, header(req, 'content-type'), sourceParam);
  const read = await readSignedBody(deps, intake, auth.method, body, sourceParam as AlertSource | undefined);
  if ('answer' in read) return read;
  return decideAndAct(deps, names, read.body, read.source);
}

function credentialsOf(
  req: IncomingMessage,
  queryToken: string | undefined,
  grafanaTimestampHeader = DEFAULT_GRAFANA_TIMESTAMP_HEADER,
): Credentials {
  return {
    authorization: header(req, 'authorization'),
    signature: header(req, SIGNATURE_HEADER),
    timestamp: header(req, TIMESTAMP_HEADER),
    queryToken,
    grafanaSignature: header(req, GRAFANA_SIGNATURE_HEADER),
    grafanaTimestamp: header(req, grafanaTimestampHeader),
    pagerdutySignature: header(req, PAGERDUTY_SIGNATURE_HEADER),
  };
}

/** The source a native signature proves; `?source=` cannot say otherwise. */
const SIGNED_SOURCE: Partial<Record<AuthMethod, AlertSource>> = {
  grafana: 'grafana',
  pagerduty: 'pagerduty',
};

/**
 * What the alert says, read only from what the sender proved: an SNS envelope is verified and reduced to
 * its signed fields, a native Grafana or PagerDuty signature fixes the source, PagerDuty events are
 * judged for freshness and replay.
 */
async function readSignedBody(
  deps: IntakeRouteDeps,
  intake: Intake,
  method: AuthMethod,
  body: unknown,
  sourceParam: AlertSource | undefined,
): Promise<{ body: unknown; source: AlertSource | undefined } | { answer: Answer; source?: string }> {
  const isSns = sourceParam === 'sns' || isSnsEnvelopeShape(body);
  if (method === 'query-token' && !isSns) {
    return authAnswer(
      401,
      '?token= is accepted only on signed SNS deliveries; send Authorization: Bearer <token>',
    );
  }
  const fixed = isSns ? 'sns' : SIGNED_SOURCE[method];
  if (fixed && sourceParam !== undefined && sourceParam !== fixed) {
    const message = `this request is read as ${fixed} (its signature says so); ?source=${sourceParam} does not apply`;
    return { answer: { status: 400, json: { error: 'source', message } } };
  }
  if (isSns) {
    const sns = await handleSns(deps, intake, body);
    return 'answer' in sns ? { answer: sns.answer, source: 'sns' } : { body: sns.body, source: 'sns' };
  }
  if (method === 'pagerduty') {
    const fresh = judgePagerDutyEvent(body, deps.messageMaxAgeMs ?? DEFAULT_MESSAGE_MAX_AGE_MS, deps.now());
    if (!fresh.ok)
      return { answer: { status: fresh.status, json: { error: 'pagerduty', message: fresh.message } } };
    if (!deps.replay.reserve(fresh.replayKey, fresh.replayUntilMs, deps.now())) {
      return authAnswer(401, 'replayed: this PagerDuty event was already handled');
    }
    intake.reserved.push(fresh.replayKey);
  }
  return { body, source: fixed ?? sourceParam };
}

/** An SNS envelope by shape: a Type and a TopicArn or MessageId (signed or not, it must be verified). */
function isSnsEnvelopeShape(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const o = body as Record<string, unknown>;
  const has = (k: string) => Object.hasOwn(o, k) && o[k] !== undefined;
  return looksLikeSnsEnvelope(body) || (typeof o.Type === 'string' && (has('TopicArn') || has('MessageId')));
}

async function decideAndAct(
  deps: IntakeRouteDeps,
  names: { owner: string; repo: string },
  body: unknown,
  source: AlertSource | undefined,
): Promise<{ answer: Answer; source?: string }> {
  const { owner, repo } = names;
  // The body is judged before any GitHub call: garbage costs no API quota and gets its 400 even while
  // GitHub is down.
  const receivedAt = new Date(deps.now()).toISOString();
  const read = readNotification({ body, source, receivedAt });
  if ('answer' in read) {
    const detected = typeof read.answer.json.source === 'string' ? read.answer.json.source : source;
    return { answer: read.answer, ...(detected ? { source: detected } : {}) };
  }

  let installationId: number | undefined;
  try {
    installationId = await deps.installations.lookup(owner, repo);
  } catch (thrown: unknown) {
    // The lookup is a GitHub call like any other: a transient failure is a 503 the sender retries.
    const err = toGitHubError(thrown);
    if (!err.retryable) throw thrown;
    deps.log.warn({ event: 'github_unavailable', repo: `${owner}/${repo}`, error: err.message });
    const after = boundedRetryAfter(err.retryAfterSeconds);
    const json = {
      error: 'github_unavailable',
      message: 'GitHub is failing; retry later',
      retryAfter: after,
    };
    return { answer: { status: 503, json, headers: { 'retry-after': String(after) } } };
  }
  if (installationId === undefined) {
    const message = `app not installed on ${owner}/${repo}`;
    return {
      answer: { status: 404, json: { error: 'not_installed', message } },
      ...(source ? { source } : {}),
    };
  }
  const result = await deps.service.handle({
    owner,
    repo,
    body,
    source,
    receivedAt,
    notification: read.note,
  });
  const detected = typeof result.json.source === 'string' ? result.json.source : source;
  return { answer: result, ...(detected ? { source: detected } : {}) };
}

/**
 * Verifies any SNS envelope; answers subscription messages itself. A Notification comes back reduced to
 * its signed fields, once its topic, age and MessageId have passed.
 */
async function handleSns(
  deps: IntakeRouteDeps,
  intake: Intake,
  body: unknown,
): Promise<{ answer: Answer } | { body: Record<string, string> }> {
  const env = asSnsEnvelope(body);
  if (typeof env === 'string') return { answer: { status: 400, json: { error: 'payload', message: env } } };
  const verified = await deps.sns.verify(env, deps.now());
  if (!verified.ok)
    return { answer: { status: verified.status, json: { error: 'sns', message: verified.message } } };
  if (env.Type === 'SubscriptionConfirmation') {
    const confirmed = await confirmSubscription(env, {
      allowedTopics: deps.snsTopics,
      fetchText: deps.fetchText,
    });
    if (!confirmed.ok)
      return { answer: { status: confirmed.status, json: { error: 'sns', message: confirmed.message } } };
    deps.log.info({ event: 'sns_subscribed', topic: env.TopicArn });
    return { answer: { status: 200, json: { subscribed: env.TopicArn } } };
  }
  if (env.Type === 'UnsubscribeConfirmation') {
    deps.log.warn({ event: 'sns_unsubscribed', topic: env.TopicArn });
    return {
      answer: { status: 200, json: { decisions: [], reasons: [`unsubscribed from ${env.TopicArn}`] } },
    };
  }
  if (env.Type !== 'Notification')
    return { answer: { status: 400, json: { error: 'payload', message: `unknown SNS Type ${env.Type}` } } };
  const policy = { topics: deps.snsTopics, maxAgeMs: deps.messageMaxAgeMs ?? DEFAULT_MESSAGE_MAX_AGE_MS };
  const fresh = judgeSnsNotification(env, policy, deps.now());
  if (!fresh.ok) return { answer: { status: fresh.status, json: { error: 'sns', message: fresh.message } } };
  if (!deps.replay.reserve(fresh.replayKey, fresh.replayUntilMs, deps.now())) {
    const message = `replayed: SNS message ${env.MessageId} was already handled`;
    return { answer: { status: 200, json: { decisions: [], reasons: [message], source: 'sns' } } };
  }
  intake.reserved.push(fresh.replayKey);
  return { body: signedNotificationBody(env) };
}

/** Decodes and validates the two path segments; a string is the reason they are refused. */
export function parseNames(path: string): { owner: string; repo: string } | string {
  const m = ROUTE.exec(path);
  if (!m) return 'path must be /failover/v1/alerts/<owner>/<repo>';
  let owner: string;
  let repo: string;
  try {
    owner = decodeURIComponent(m[1] ?? '');
    repo = decodeURIComponent(m[2] ?? '');
  } catch {
    return 'owner/repo are not valid URL-encoded names';
  }
  if (!OWNER.test(owner)) return `invalid owner name ${JSON.stringify(owner)}`;
  if (!REPO.test(repo) || repo === '.' || repo === '..')
    return `invalid repository name ${JSON.stringify(repo)}`;
  return { owner, repo };
}

function isSource(value: string): value is AlertSource {
  return (ALERT_SOURCES as readonly string[]).includes(value);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function send(res: ServerResponse, answer: Answer): void {
  if (res.headersSent) return;
  const body = JSON.stringify(answer.json);
  res.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    ...answer.headers,
  });
  res.end(body);
}
