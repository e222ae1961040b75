// Small text helpers for ChatOps: who to ignore, the cheap pre-filter, and how a refusal reads.
import { inert } from '../core/render/text.js';
import { type Decision, FORCEABLE_RULES } from '../core/types.js';

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
  const lines = failed.map((r) => `- \`${r.rule}\`: ${inert(r.seen)}`);
  const head = inert(d.reasons[0] ?? 'nothing to do');
  const forceable = failed.filter((r) => (FORCEABLE_RULES as readonly string[]).includes(r.rule));
  const rule = forceable[0]?.rule;
  const hint =
    rule !== undefined && forceable.length === failed.length && d.kind !== 'drill'
      ? `\n\nTo override, give \`${nextCommand(d, rule)}\` (the override and its reason are written into the PR).`
      : '';
  return `not done: ${head}${lines.length > 0 ? `\n\nBlocked by:\n${lines.join('\n')}` : ''}${hint}`;
}

/** The exact command that repeats this move (with one rule overridden when `rule` is given). */
export function nextCommand(d: Decision, rule?: string): string {
  const force = rule === undefined ? '' : ` --force ${rule} --reason "..."`;
  if (d.kind === 'failback') return `/failback ${d.service}${force}`;
  return `/failover ${d.service} ${d.to ?? '<target>'}${force}`;
}

/** For a follow-up the bot refused (rollback, drill failback): the command a person can give instead. */
export function followUpNext(d: Decision): string {
  const failed = d.trace.filter((r) => !r.ok && !r.forced);
  const forceable = failed.filter((r) => (FORCEABLE_RULES as readonly string[]).includes(r.rule));
  if (d.to === undefined || failed.length === 0) return '';
  const rule = forceable.length === failed.length ? forceable[0]?.rule : undefined;
  const cmd = nextCommand({ ...d, kind: 'manual' }, rule);
  return ` Next, by hand if still wanted: \`${cmd}\`.`;
}
