// matcher_worst_case_ms: one alert matcher with the worst regex of the ReDoS table (`([a-z]+-?)*`, the
// one that froze the bot for 10 s on a 32-character label under JavaScript's backtracking RegExp)
// against a 1 MiB label that almost matches. RE2 (re2js) decides it in one linear pass. Median of 7
// runs after 3 warm-up runs; the answers are checked first.
import { matchesAll, parseMatcher } from '../src/core/matchers.js';
import { hostileLabel, WORST_REGEX } from '../test/helpers/redos-regexes.js';
import type { Figures } from './run.js';

const LABEL_BYTES = 1024 * 1024;
const RUNS = 7;
const WARM_UP = 3;

export default async function run(): Promise<Figures> {
  const matcher = parseMatcher(`service=~"${WORST_REGEX}"`);
  const hostile = { service: hostileLabel(LABEL_BYTES) };
  const matching = { service: 'a'.repeat(LABEL_BYTES) };
  if (matchesAll(hostile, [matcher]) || !matchesAll(matching, [matcher]))
    throw new Error('the matcher answered wrongly on the 1 MiB labels');
  // Warm-up: V8 compiles re2js's hot loops on the first passes; the figure is the steady state.
  for (let i = 0; i < WARM_UP; i++) matchesAll(i % 2 === 0 ? hostile : matching, [matcher]);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    matchesAll(i % 2 === 0 ? hostile : matching, [matcher]);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
  return { matcher_worst_case_ms: { value: Math.round(median * 10) / 10, unit: 'ms', budget: 50 } };
}
