// The bot's logger: Probot's pino setup plus redaction in two layers. Probot's HTTP request log
// (pino-http) serialises every request with its headers and URL and repeats the URL in its message, and
// error objects carry whatever a library put in them. So (1) pino masks the known credential paths, and
// (2) every finished line is parsed and passed through the product's one redaction (src/core/redact.ts):
// values registered as secret in any spelling, secret-named fields (any `*authorization*` header,
// `x-forwarded-authorization` included), `name=value` pairs whose decoded name looks secret (`?to%6Ben=`),
// bearer values, AWS and GitHub keys. It happens in the logger, so no handler can forget it.
import { Transform, type Writable } from 'node:stream';
import { getTransformStream } from '@probot/pino';
import { type DestinationStream, type Logger, pino } from 'pino';
import { MASK, redactDeep, SecretRegistry } from '../src/core/redact.js';

export const REDACTED = MASK;

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

/** Keeps a URL readable but strips the value of every query parameter whose decoded name is `token`. */
export function redactUrl(url: string): string {
  return url.replace(/([?&])([^=&#]*)=([^&#]*)/g, (whole, sep: string, name: string) =>
    safeDecode(name).toLowerCase() === 'token' ? `${sep}${name}=${REDACTED}` : whole,
  );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function censor(value: unknown, path: string[]): unknown {
  if (path[path.length - 1] === 'url' && typeof value === 'string') return redactUrl(value);
  return REDACTED;
}

/** Redacts one serialised log line; a line that is not JSON (it always is) is redacted as text. */
export function redactLogLine(line: string, secrets: SecretRegistry): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return secrets.redact(line);
  }
  return JSON.stringify(redactDeep(parsed, { redact: (text) => secrets.redact(text), maskSecretKeys: true }));
}

/** A stream stage that redacts each complete line on its way to the formatter. */
function redactingStage(secrets: SecretRegistry): Transform {
  let partial = '';
  return new Transform({
    transform(chunk, _enc, cb) {
      const lines = (partial + String(chunk)).split('\n');
      partial = lines.pop() ?? '';
      const out = lines.filter((l) => l !== '').map((l) => `${redactLogLine(l, secrets)}\n`);
      cb(null, out.join(''));
    },
    flush(cb) {
      cb(null, partial ? `${redactLogLine(partial, secrets)}\n` : '');
    },
  });
}

export interface LoggerOptions {
  level?: string | undefined;
  logFormat?: 'json' | 'pretty' | undefined;
  logLevelInString?: boolean;
  /** Where lines go; stdout by default. Tests pass a buffer. */
  destination?: Writable | DestinationStream;
  /** Values never to write (the bot's tokens, keys and secrets); see bot/settings.ts. */
  secrets?: SecretRegistry;
}

export async function createBotLogger(opts: LoggerOptions = {}): Promise<Logger> {
  const transform = await getTransformStream({
    logFormat: opts.logFormat ?? 'json',
    logLevelInString: opts.logLevelInString ?? false,
  });
  const stage = redactingStage(opts.secrets ?? new SecretRegistry());
  stage.pipe(transform);
  transform.pipe((opts.destination as Writable | undefined) ?? (pino.destination(1) as unknown as Writable));
  return pino(
    { level: opts.level ?? 'info', name: 'probot', redact: { paths: REDACT_PATHS, censor } },
    stage,
  );
}
