// POST /failover/v1/alerts/{owner}/{repo}[?source=...]: the HTTP edge of the alert intake. Order matters:
// cheap refusals (unconfigured, no credentials, bad names, declared size) come before the body is read,
// full authentication before the body is parsed, and GitHub is asked nothing until the sender is trusted.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeThrown } from '../src/core/errors.js';
import { ALERT_SOURCES, type AlertSource } from '../src/core/types.js';
import { boundedRetryAfter, toGitHubError } from '../src/github/client.js';
import {
  authenticate,
  type IntakeSecrets,
  precheck,
  type ReplayGuard,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from '../src/intake/auth.js';
import {
  checkDeclaredLength,
  IntakeHttpError,
  looksLikeSnsEnvelope,
  parseJsonBody,
  readBody,
} from '../src/intake/body.js';
import {
  asSnsEnvelope,
  confirmSubscription,
  type FetchText,
  type SnsVerifier,
} from '../src/intake/sns-verify.js';
import { type AlertService, readNotification, type ServiceLogger } from '../src/service/alerts.js';
import type { InstallationResolver } from './installations.js';
import type { BotMetrics } from './metrics.js';

export const ALERT_PATH_PREFIX = '/failover/v1/alerts/';
const ROUTE = /^\/failover\/v1\/alerts\/([^/]*)\/([^/]*)\/?$/;
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,99})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

export interface IntakeRouteDeps {
  secrets: IntakeSecrets;
  snsTopics: readonly string[];
  replay: ReplayGuard;
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

/** A Probot `addHandler` handler: true when it answered the request. */
export function createAlertIntakeHandler(deps: IntakeRouteDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const rawUrl = req.url ?? '/';
    if (!rawUrl.startsWith(ALERT_PATH_PREFIX)) return false;
    const started = deps.now();
    const queryAt = rawUrl.indexOf('?');
    const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
    const query = new URLSearchParams(queryAt === -1 ? '' : rawUrl.slice(queryAt + 1));
    const queryToken = query.get('token') ?? undefined;
    // The SNS token travels in the URL; take it out before anything (Probot's request log) prints req.url.
    if (queryToken !== undefined) {
      query.set('token', 'REDACTED');
      req.url = `${path}?${query.toString()}`;
    }
    const sourceParam = query.get('source') ?? undefined;
    let sourceLabel: string = sourceParam && isSource(sourceParam) ? sourceParam : 'unknown';

    let answer: Answer;
    try {
      const result = await handle(deps, req, path, sourceParam, queryToken);
      answer = result.answer;
      if (result.source) sourceLabel = result.source;
    } catch (thrown: unknown) {
      if (thrown instanceof IntakeHttpError) {
        answer = {
          status: thrown.status,
          json: { error: 'request', message: thrown.message },
          headers: thrown.headers,
        };
      } else {
        deps.log.error({ event: 'intake_failed', error: describeThrown(thrown) });
        answer = {
          status: 500,
          json: { error: 'internal', message: 'the notification could not be handled (see bot logs)' },
        };
      }
    }
    deps.metrics.alertReceived(sourceLabel, answer.status);
    deps.metrics.processing.observe({ source: sourceLabel }, (deps.now() - started) / 1000);
    send(res, answer);
    return true;
  };
}

async function handle(
  deps: IntakeRouteDeps,
  req: IncomingMessage,
  path: string,
  sourceParam: string | undefined,
  queryToken: string | undefined,
): Promise<{ answer: Answer; source?: string }> {
  if (req.method !== 'POST') {
    return {
      answer: { status: 405, json: { error: 'method', message: 'use POST' }, headers: { allow: 'POST' } },
    };
  }
  const creds = {
    authorization: header(req, 'authorization'),
    signature: header(req, SIGNATURE_HEADER),
    timestamp: header(req, TIMESTAMP_HEADER),
    queryToken,
  };
  const early = precheck(deps.secrets, creds);
  if (early && !early.ok)
    return { answer: { status: early.status, json: { error: 'auth', message: early.message } } };

  const names = parseNames(path);
  if (typeof names === 'string') return { answer: { status: 400, json: { error: 'path', message: names } } };
  const { owner, repo } = names;
  if (sourceParam !== undefined && !isSource(sourceParam)) {
    const message = `unknown source ${JSON.stringify(sourceParam)} (expected one of ${ALERT_SOURCES.join(', ')})`;
    return { answer: { status: 400, json: { error: 'source', message } } };
  }
  const source = sourceParam as AlertSource | undefined;

  checkDeclaredLength(req);
  const raw = await readBody(req);
  const auth = authenticate(deps.secrets, creds, raw, deps.now(), deps.replay);
  if (!auth.ok) return { answer: { status: auth.status, json: { error: 'auth', message: auth.message } } };

  const body = parseJsonBody(raw, header(req, 'content-type'), source);
  const isSns = source === 'sns' || looksLikeSnsEnvelope(body);
  if (auth.method === 'query-token' && !isSns) {
    const message = '?token= is accepted only on signed SNS deliveries; send Authorization: Bearer <token>';
    return { answer: { status: 401, json: { error: 'auth', message } } };
  }
  if (isSns) {
    const sns = await handleSns(deps, body);
    if (sns) return { answer: sns, source: 'sns' };
  }

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

/** Verifies any SNS envelope; answers subscription messages itself. undefined: a Notification to process. */
async function handleSns(deps: IntakeRouteDeps, body: unknown): Promise<Answer | undefined> {
  const env = asSnsEnvelope(body);
  if (typeof env === 'string') return { status: 400, json: { error: 'payload', message: env } };
  const verified = await deps.sns.verify(env, deps.now());
  if (!verified.ok) return { status: verified.status, json: { error: 'sns', message: verified.message } };
  if (env.Type === 'SubscriptionConfirmation') {
    const confirmed = await confirmSubscription(env, {
      allowedTopics: deps.snsTopics,
      fetchText: deps.fetchText,
    });
    if (!confirmed.ok)
      return { status: confirmed.status, json: { error: 'sns', message: confirmed.message } };
    deps.log.info({ event: 'sns_subscribed', topic: env.TopicArn });
    return { status: 200, json: { subscribed: env.TopicArn } };
  }
  if (env.Type === 'UnsubscribeConfirmation') {
    deps.log.warn({ event: 'sns_unsubscribed', topic: env.TopicArn });
    return { status: 200, json: { decisions: [], reasons: [`unsubscribed from ${env.TopicArn}`] } };
  }
  if (env.Type !== 'Notification')
    return { status: 400, json: { error: 'payload', message: `unknown SNS Type ${env.Type}` } };
  return undefined;
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
    'cache-control': 'no-store',
    ...answer.headers,
  });
  res.end(body);
}
