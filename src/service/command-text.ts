// Small text helpers for ChatOps: who to ignore, the cheap pre-filter, and how a refusal reads.
import { inert } from '../core/render/text.js';
import type { Decision } from '../core/types.js';

/** Bots never command (Prow's rule): GitHub marks them `Bot`, and their logins end in `[bot]`. */
export function isBotSender(sender: { login: string; type?: string }, appLogin?: string): boolean {
  const login = sender.login.toLowerCase();
  return (
    sender.type === 'Bot' ||
    login.endsWith('[bot]') ||
    (appLogin !== undefined && login === appLogin.toLowerCase())
  );
}

/**
 * True when some line could be a command (`/f...` at the start of a line, up to 3 spaces in). Cheaper than
 * parsing and needs no config, so most comments cost no API call at all. It must never be stricter than
 * the parser: typos (`/failvoer`, `/falback`) still pass it so the parser can answer "did you mean".
 */
export function mightBeCommand(body: unknown): boolean {
  return typeof body === 'string' && /(^|[\r\n]) {0,3}\/f/i.test(body);
}

export function mention(login: string): string {
  return `@${login}`;
}

/** Why nothing was opened: the first failing rule with the value it saw, then the other reasons. */
export function explainDecision(d: Decision): string {
  const failed = d.trace.filter((r) => !r.ok && !r.forced);
  // Rule values and reasons can carry label values and --reason text: inert, like everything echoed.
  const lines = failed.map((r) => `- \`${r.rule}\`: ${inert(r.seen)}`);
  const head = inert(d.reasons[0] ?? 'nothing to do');
  const forceable = failed.filter((r) =>
    ['target_alerting', 'cooldown', 'max_per_day', 'freeze', 'safety'].includes(r.rule),
  );
  const hint =
    forceable.length > 0
      ? `\n\nTo override, repeat the command with \`--force ${forceable[0]?.rule} --reason "..."\` (written into the PR).`
      : '';
  return `not done: ${head}${lines.length > 0 ? `\n\nBlocked by:\n${lines.join('\n')}` : ''}${hint}`;
}
