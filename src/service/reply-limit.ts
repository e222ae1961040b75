// At most one reply per key (repo and user) per window. Someone without the permission who repeats a
// command on a public repo gets one answer an hour, not one per comment: the bot must not become a
// megaphone for a flood. Per replica and bounded; the clock is injected.

export interface ReplyLimiter {
  /** True when a reply for `key` may go out now (and records it). */
  allow(key: string): boolean;
}

export const REFUSAL_REPLY_WINDOW_MS = 60 * 60 * 1000;
const MAX_KEYS = 10_000;

export function createReplyLimiter(now: () => number, windowMs = REFUSAL_REPLY_WINDOW_MS): ReplyLimiter {
  const last = new Map<string, number>();
  return {
    allow(key) {
      const at = now();
      const before = last.get(key);
      if (before !== undefined && at - before < windowMs) return false;
      if (last.size >= MAX_KEYS) forgetExpired(last, at, windowMs);
      // Still full of live entries (a flood of distinct users): drop the oldest rather than grow.
      if (last.size >= MAX_KEYS) {
        const oldest = last.keys().next().value;
        if (oldest !== undefined) last.delete(oldest);
      }
      last.delete(key);
      last.set(key, at);
      return true;
    },
  };
}

function forgetExpired(last: Map<string, number>, at: number, windowMs: number): void {
  for (const [key, when] of last) if (at - when >= windowMs) last.delete(key);
}
