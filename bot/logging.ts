// The bot's logger: Probot's pino setup plus redaction. Probot's HTTP request log (pino-http) serialises
// every request with its headers and URL, which would put alert bearer tokens, HMAC signatures and the SNS
// `?token=` into JSON logs. Redaction happens in the logger, so no handler can forget it.
import type { Writable } from 'node:stream';
import { getTransformStream } from '@probot/pino';
import { type DestinationStream, type Logger, pino } from 'pino';

export const REDACTED = '[REDACTED]';

/** Paths (pino syntax) whose values never reach a log line. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-failover-signature-256"]',
  'req.headers["x-hub-signature"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["proxy-authorization"]',
  'req.url',
  'req.query.token',
  '*.authorization',
  '*.token',
  '*.privateKey',
  '*.secret',
  'headers.authorization',
];

/** Keeps a URL readable but strips any `token=` query value. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, `$1${REDACTED}`);
}

function censor(value: unknown, path: string[]): unknown {
  if (path[path.length - 1] === 'url' && typeof value === 'string') return redactUrl(value);
  return REDACTED;
}

export interface LoggerOptions {
  level?: string | undefined;
  logFormat?: 'json' | 'pretty' | undefined;
  logLevelInString?: boolean;
  /** Where lines go; stdout by default. Tests pass a buffer. */
  destination?: Writable | DestinationStream;
}

export async function createBotLogger(opts: LoggerOptions = {}): Promise<Logger> {
  const transform = await getTransformStream({
    logFormat: opts.logFormat ?? 'json',
    logLevelInString: opts.logLevelInString ?? false,
  });
  transform.pipe((opts.destination as Writable | undefined) ?? (pino.destination(1) as unknown as Writable));
  return pino(
    { level: opts.level ?? 'info', name: 'probot', redact: { paths: REDACT_PATHS, censor } },
    transform,
  );
}
