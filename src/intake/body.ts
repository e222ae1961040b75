// Reading and parsing notification bodies with a hard size limit. The limit is enforced twice: from
// Content-Length before a byte is read, and while streaming (chunked bodies have no length up front).
import type { IncomingMessage } from 'node:http';

export const MAX_BODY_BYTES = 1024 * 1024;

/** An HTTP answer the intake gives instead of going on. The message is safe to show to the sender. */
export class IntakeHttpError extends Error {
  override readonly name = 'IntakeHttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const tooLarge = (limit: number) =>
  new IntakeHttpError(413, `body is larger than ${limit} bytes`, { connection: 'close' });

/** Refuses by Content-Length alone (before reading). */
export function checkDeclaredLength(req: IncomingMessage, limit = MAX_BODY_BYTES): void {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) throw tooLarge(limit);
}

/**
 * A body the hosting platform already read before the handler ran: Google Cloud Functions keeps it in
 * `req.rawBody` (bytes), Lambda adapters put it in `req.body` as a string. The stream is then empty.
 */
function preReadBody(req: IncomingMessage): Buffer | undefined {
  const r = req as IncomingMessage & { rawBody?: unknown; body?: unknown };
  if (r.rawBody instanceof Uint8Array) return Buffer.from(r.rawBody);
  if (typeof r.body === 'string') return Buffer.from(r.body, 'utf8');
  return undefined;
}

/** Bytes of request bodies the intake holds at once, across all connections (default 16 MiB). */
export const MAX_BODY_BYTES_IN_FLIGHT = 16 * 1024 * 1024;

/**
 * A shared allowance for body bytes held in memory. Each chunk takes its size before it is kept and the
 * whole body gives it back when the request is done, so a flood of slow authenticated senders cannot grow
 * the process past the allowance: once it is spent, new bodies get a 503 with Retry-After instead.
 */
export class BodyBudget {
  #held = 0;
  constructor(readonly limit = MAX_BODY_BYTES_IN_FLIGHT) {}

  take(bytes: number): boolean {
    if (this.#held + bytes > this.limit) return false;
    this.#held += bytes;
    return true;
  }

  give(bytes: number): void {
    this.#held = Math.max(0, this.#held - bytes);
  }

  get held(): number {
    return this.#held;
  }
}

const busy = () =>
  new IntakeHttpError(503, 'too many notification bodies in flight; retry shortly', {
    'retry-after': '1',
    connection: 'close',
  });

/** Reads the whole body, failing with 413 as soon as it passes `limit` (503 when `budget` is spent). */
export function readBody(
  req: IncomingMessage,
  limit = MAX_BODY_BYTES,
  budget: BodyBudget = new BodyBudget(Number.POSITIVE_INFINITY),
): Promise<Buffer> {
  const preRead = preReadBody(req);
  if (preRead !== undefined) {
    return preRead.length > limit ? Promise.reject(tooLarge(limit)) : Promise.resolve(preRead);
  }
  return new Promise<Buffer>((resolve, reject) => {
    try {
      checkDeclaredLength(req, limit);
    } catch (err: unknown) {
      req.resume();
      reject(err);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      // The bytes go back as soon as the body is complete: the parsed JSON is what is kept from here on.
      budget.give(size);
      if (err) {
        // Keep draining (discarding) so the sender gets our answer instead of a reset connection.
        req.resume();
        reject(err);
      } else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > limit) return finish(tooLarge(limit));
      if (!budget.take(chunk.length)) return finish(busy());
      size += chunk.length;
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish());
    req.once('error', (err) => finish(new IntakeHttpError(400, `could not read the body: ${err.message}`)));
  });
}

/** The fields every SNS HTTP(S) delivery has; enough to recognise one sent as text/plain. */
export function looksLikeSnsEnvelope(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const o = body as Record<string, unknown>;
  return (
    typeof o.Type === 'string' &&
    typeof o.TopicArn === 'string' &&
    typeof o.Signature === 'string' &&
    typeof o.SigningCertURL === 'string'
  );
}

/**
 * Parses the body as JSON. JSON media types are accepted as they are; `text/plain` only for SNS, which
 * always sends its JSON envelope as text/plain (either `?source=sns` or a body that is an SNS envelope).
 */
export function parseJsonBody(raw: Buffer, contentType: string | undefined, source?: string): unknown {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const isJson = mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
  const isText = mediaType === 'text/plain';
  if (!isJson && !isText) {
    throw new IntakeHttpError(
      415,
      `content type must be application/json (got ${mediaType === '' ? 'none' : JSON.stringify(mediaType)})`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (thrown: unknown) {
    if (isText && source !== 'sns') {
      throw new IntakeHttpError(
        415,
        'content type must be application/json (text/plain is accepted from SNS only)',
      );
    }
    throw new IntakeHttpError(
      400,
      `body is not valid JSON: ${thrown instanceof Error ? thrown.message : 'parse error'}`,
    );
  }
  if (isText && source !== 'sns' && !looksLikeSnsEnvelope(body)) {
    throw new IntakeHttpError(
      415,
      'content type must be application/json (text/plain is accepted from SNS only)',
    );
  }
  return body;
}
