// Checks one step's expectations against what was observed at that time. Pure. Reasons and replies
// match as case-insensitive substrings (promtool-style: say the part that matters, not the whole text);
// actions, targets and counts match exactly.
import type { DecisionExpectation, Expectation } from './format.js';

/** One decision as the endpoint reports it (or a follow-up of the results loop, in the same shape). */
export interface ObservedDecision {
  service: string;
  action: string;
  reasons: string[];
  pr?: number | undefined;
}

export interface Observed {
  /** Decisions of this step's event; undefined when the event makes none (command, merge, health...). */
  decisions?: ObservedDecision[];
  /** Why there are no decisions, when there are none (`the endpoint answered 400: ...`). */
  noDecisionsWhy?: string;
  /** The bot's reply to this step's command. */
  reply?: string;
  /** The state value of a service on the default branch now (or `unreadable: why`). */
  state(service: string): unknown;
  openPrs: number;
  /** The status issue's body, when there is one. */
  statusIssue?: string;
}

export interface ExpectationResult {
  /** `checkout`, `reply`, `state.checkout`, `open_prs`, `status_issue`. */
  subject: string;
  expected: string;
  actual: string;
  pass: boolean;
}

export function checkExpectations(expect: Expectation, seen: Observed): ExpectationResult[] {
  const results: ExpectationResult[] = [];
  for (const [key, value] of Object.entries(expect)) {
    if (value === undefined) continue;
    if (key === 'reply')
      results.push(
        textCheck('reply', String(value), seen.reply, 'no reply in this step (not a command step?)'),
      );
    else if (key === 'status_issue')
      results.push(textCheck('status_issue', String(value), seen.statusIssue, 'no status issue in the repo'));
    else if (key === 'open_prs') results.push(countCheck(Number(value), seen.openPrs));
    else if (key === 'state') {
      for (const [service, want] of Object.entries(value as Record<string, unknown>))
        results.push(stateCheck(service, want, seen.state(service)));
    } else results.push(decisionCheck(key, value as DecisionExpectation, seen));
  }
  return results;
}

/** Case-insensitive substring. */
export function containsText(haystack: string, needle: string): boolean {
  return haystack.toLowerCase().includes(needle.toLowerCase());
}

function textCheck(
  subject: string,
  want: string,
  got: string | undefined,
  missing: string,
): ExpectationResult {
  return {
    subject,
    expected: `contains ${JSON.stringify(want)}`,
    actual: got === undefined ? missing : oneLine(got),
    pass: got !== undefined && containsText(got, want),
  };
}

function countCheck(want: number, got: number): ExpectationResult {
  return { subject: 'open_prs', expected: String(want), actual: String(got), pass: want === got };
}

function stateCheck(service: string, want: unknown, got: unknown): ExpectationResult {
  const pass =
    typeof want === 'string'
      ? typeof got === 'string' && got === want
      : sameWeights(want as Record<string, number>, got);
  return { subject: `state.${service}`, expected: showValue(want), actual: showValue(got), pass };
}

/** Weights compare target by target; a target left out counts as weight 0 on both sides. */
function sameWeights(want: Record<string, number>, got: unknown): boolean {
  if (!got || typeof got !== 'object' || Array.isArray(got)) return false;
  const have = got as Record<string, unknown>;
  const targets = new Set([...Object.keys(want), ...Object.keys(have)]);
  return [...targets].every((t) => Number(want[t] ?? 0) === Number(have[t] ?? 0));
}

function decisionCheck(service: string, want: DecisionExpectation, seen: Observed): ExpectationResult {
  const expected = [
    want.action !== undefined ? `action ${want.action}` : '',
    want.reason !== undefined ? `reason contains ${JSON.stringify(want.reason)}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const decision = seen.decisions?.find((d) => d.service.toLowerCase() === service.toLowerCase());
  if (!decision) {
    const why =
      seen.decisions === undefined
        ? (seen.noDecisionsWhy ?? 'this step makes no decisions')
        : `no decision for ${service} (decisions for: ${seen.decisions.map((d) => d.service).join(', ') || 'none'})${seen.noDecisionsWhy ? `; ${seen.noDecisionsWhy}` : ''}`;
    return { subject: service, expected: expected || 'a decision', actual: why, pass: false };
  }
  const reasons = decision.reasons.join('; ');
  const actionOk = want.action === undefined || decision.action === want.action;
  const reasonOk = want.reason === undefined || containsText(reasons, want.reason);
  return {
    subject: service,
    expected: expected || 'a decision',
    actual: `${decision.action}${decision.pr !== undefined ? ` #${decision.pr}` : ''}: ${oneLine(reasons) || '(no reasons)'}`,
    pass: actionOk && reasonOk,
  };
}

function showValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '(none)';
  if (value && typeof value === 'object' && !Array.isArray(value))
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');
  return JSON.stringify(value);
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}
