import { describeThrown } from '../../core/errors.js';

/**
 * fetch reports every network problem as `TypeError: fetch failed` and hides the useful part in
 * `cause` (sometimes an AggregateError when several addresses were tried); this digs it out.
 */
export function describeNetworkError(err: unknown): string {
  const cause = err instanceof Error && err.cause !== undefined ? err.cause : err;
  if (cause instanceof AggregateError && cause.errors.length > 0) {
    return cause.errors.map((e: unknown) => describeNetworkError(e)).join('; ');
  }
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
  }
  return describeThrown(cause);
}

/** The code of a Node system error (`ECONNREFUSED`, `ENOTFOUND`, ...), if it has one. */
export function errorCode(err: unknown): string | undefined {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
