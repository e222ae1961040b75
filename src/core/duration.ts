import { UserError } from './errors.js';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export const DURATION_PATTERN = /^(?:\d+(?:ms|s|m|h|d))+$/;
const PART = /(\d+)(ms|s|m|h|d)/g;

/** `90s`, `2m`, `1h30m`, `500ms` → milliseconds. */
export function parseDuration(text: string): number {
  if (!DURATION_PATTERN.test(text)) {
    throw new UserError(`"${text}" is not a duration (use forms like 90s, 2m, 1h30m)`);
  }
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) {
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return total;
}

/** Milliseconds → a short human form: `1h 5m`, `42s`, `0s`. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return ms <= 0 ? '0s' : `${Math.round(ms)}ms`;
  let rest = Math.round(ms / 1_000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.slice(0, 2).join(' ');
}
