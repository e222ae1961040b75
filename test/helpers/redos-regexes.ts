// Regexes that are catastrophic on a backtracking engine (JavaScript's RegExp) and harmless on RE2:
// nested and overlapping quantifiers, as people write them in alert routes. The matcher tests run every
// one against growing labels, and `npm run bench` times the worst against a 1 MiB label.
export const REDOS_REGEXES = [
  '([a-z]+-?)*',
  '(a+)+',
  '(a|aa)*',
  '(a|a?)+',
  '(.*a){12}',
  '(\\w+\\s?)*',
  '(?i)(x+x+)+y',
  '([a-zA-Z0-9]+[-_.]?)*@',
] as const;

/** The regex the benchmark uses: the one the issue reported freezing the bot. */
export const WORST_REGEX = REDOS_REGEXES[0];

/** A label that makes a backtracking engine explore every split: many matching characters, then a miss. */
export function hostileLabel(length: number): string {
  return `${'a'.repeat(Math.max(0, length - 1))}!`;
}
