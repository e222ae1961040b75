// The chatops grammar of DESIGN.md §6: the first command line of a comment becomes a Command, or a Reply
// that says what is wrong and what was probably meant. Pure, and total: any string gives an answer.
import type { ChatCommand, FailoverConfig, ParsedComment } from '../types.js';
import { type CommandArgs, readArguments } from './arguments.js';
import { candidateLines } from './command-lines.js';
import { usageBlock } from './help.js';
import { closest, code, didYouMean, orList } from './suggest.js';
import { tokenize } from './tokens.js';

export interface CommentContext {
  /** The services of the failover PR the comment was made on (for `/failover <target>`). */
  prServices?: string[];
}

const VERBS = ['failover', 'failback'] as const;
const UNICODE_LINE_BREAK = /[\u2028\u2029\u0085]/;
type Verb = (typeof VERBS)[number];
const SUBCOMMANDS = ['status', 'cancel', 'help', 'drill', 'failback'] as const;

/** Thrown inside this module only, to leave the grammar with a reply; parseComment catches it. */
class Refusal {
  constructor(readonly message: string) {}
}
const refuse = (message: string): never => {
  throw new Refusal(message);
};

export function parseComment(
  body: string,
  config: FailoverConfig,
  context: CommentContext = {},
): ParsedComment {
  if (typeof body !== 'string') return { type: 'ignore' };
  for (const cand of candidateLines(body)) {
    const word = cand.word.toLowerCase();
    const verb = (VERBS as readonly string[]).includes(word) ? (word as Verb) : undefined;
    if (!verb) {
      const near = closest(word, VERBS);
      if (near.length === 0) continue; // someone else's slash command (/assign, /lgtm): not ours
      return reply(
        `${code(`/${cand.word}`)} is not a command. Did you mean ${code(`/${near[0]}`)}?`,
        cand.line,
      );
    }
    // The first of our command lines wins; later ones in the same comment are not run.
    // Markdown does not end a line at U+2028, U+2029 or NEL, but a reader may see a new line there: the
    // arguments of a command never continue past one.
    if (UNICODE_LINE_BREAK.test(cand.rest))
      return reply(
        'this command line holds a Unicode line separator (U+2028, U+2029 or NEL), so what you see and what I would read may differ. Write the whole command on one plain line.',
        cand.line,
      );
    try {
      return { type: 'command', command: parseArguments(verb, cand.rest, config, context), line: cand.line };
    } catch (err: unknown) {
      if (err instanceof Refusal) return reply(err.message, cand.line);
      throw err;
    }
  }
  return { type: 'ignore' };
}

function reply(message: string, line: string): ParsedComment {
  return { type: 'reply', message, line };
}

function withUsage(message: string): string {
  return `${message}\n\n${usageBlock()}`;
}

function parseArguments(
  verb: Verb,
  rest: string,
  config: FailoverConfig,
  context: CommentContext,
): ChatCommand {
  const tokens = tokenize(rest);
  if (!tokens.ok) return refuse(`${tokens.message}; write the reason as \`--reason "..."\`.`);
  const parsed = readArguments(tokens.tokens);
  if (!parsed.ok) return refuse(parsed.message);
  const args = parsed.args;
  for (const p of args.positionals) {
    if (/[/\\]|\.\./.test(p.raw)) {
      refuse(`${code(p.raw)} is not a valid name: names cannot contain \`/\`, \`\\\` or \`..\`.`);
    }
  }
  const names = args.positionals.map((p) => p.name);
  if (verb === 'failback') return failback(names, args, config, context);

  const [first, ...more] = names;
  if (first === undefined) return refuse(withUsage('What should I do? Usage:'));
  switch (first) {
    case 'status':
    case 'cancel':
    case 'help':
      noExtras(first, more, args);
      return { verb: first };
    case 'failback':
      return failback(more, args, config, context);
    case 'drill':
      return drill(more, args, config);
    default:
      return failover(names, args, config, context);
  }
}

function noExtras(sub: string, more: string[], args: CommandArgs): void {
  if (more.length > 0 || args.flags.length > 0) {
    refuse(`\`/failover ${sub}\` takes no arguments (got ${code([...more, ...args.flags].join(' '))}).`);
  }
}

function tooMany(extra: string[]): never {
  return refuse(
    withUsage(
      `Unexpected ${orList(extra)}. If that is part of a reason, put it in quotes: \`--reason "..."\`. Usage:`,
    ),
  );
}

function failover(
  names: string[],
  args: CommandArgs,
  config: FailoverConfig,
  context: CommentContext,
): ChatCommand {
  const [a, b, ...extra] = names;
  if (extra.length > 0) tooMany(extra);
  const common = reasonAndForce(args);
  if (b !== undefined) {
    const service = knownService(a!, config);
    return { verb: 'failover', service, target: knownTarget(b, service, config), ...common };
  }
  const implied = impliedService(config, context);
  if (implied !== undefined) {
    if (!targetsOf(implied, config).includes(a!) && isServiceName(a!, config)) whichTarget(a!, config);
    return { verb: 'failover', service: implied, target: knownTarget(a!, implied, config), ...common };
  }
  if (isServiceName(a!, config)) whichTarget(a!, config);
  const owners = Object.keys(config.services).filter((s) => targetsOf(s, config).includes(a!));
  if (owners.length > 0) {
    refuse(`Which service? \`/failover <service> ${a}\` where the service is one of ${orList(owners)}.`);
  }
  const hint = didYouMean(a!, [...SUBCOMMANDS, ...serviceNames(config), ...allTargets(config)]);
  return refuse(withUsage(`${code(a!)} is not a subcommand, service or target here.${hint} Usage:`));
}

/** `/failover <service>` named a service but no target. */
function whichTarget(service: string, config: FailoverConfig): never {
  return refuse(
    `Which target? \`/failover ${service} <target>\` where the target is one of ${orList(targetsOf(service, config))}.`,
  );
}

function reasonAndForce(args: CommandArgs): { reason?: string; force?: CommandArgs['force'] } {
  return {
    ...(args.reason !== undefined && { reason: args.reason }),
    ...(args.force && { force: args.force }),
  };
}

function failback(
  names: string[],
  args: CommandArgs,
  config: FailoverConfig,
  context: CommentContext,
): ChatCommand {
  const [a, b, ...extra] = names;
  if (a === 'help') return { verb: 'help' };
  const common = reasonAndForce(args);
  if (a === undefined) {
    const implied = impliedService(config, context);
    if (implied === undefined) {
      refuse(
        `Which service? \`/failback <service>\` where the service is one of ${orList(serviceNames(config))}.`,
      );
    }
    return { verb: 'failback', service: implied!, ...common };
  }
  const service = knownService(a, config);
  if (b !== undefined) {
    if (extra.length === 0 && targetsOf(service, config).includes(b)) {
      refuse(
        `\`/failback\` always goes back to the primary (${code(targetsOf(service, config)[0]!)}). To choose a target, use \`/failover ${service} ${b}\`.`,
      );
    }
    tooMany([b, ...extra]);
  }
  return { verb: 'failback', service, ...common };
}

function drill(names: string[], args: CommandArgs, config: FailoverConfig): ChatCommand {
  if (args.force) refuse('A drill cannot be forced: a practice run must pass every rule. Drop `--force`.');
  const [a, b, ...extra] = names;
  if (a === undefined || b === undefined) {
    return refuse('Usage: `/failover drill <service> <target>`, e.g. a target other than the active one.');
  }
  if (extra.length > 0) tooMany(extra);
  const service = knownService(a, config);
  const target = knownTarget(b, service, config);
  return { verb: 'drill', service, target, ...(args.reason !== undefined && { reason: args.reason }) };
}

/** One service in the repo, or exactly one service on the PR the comment was made on. */
function impliedService(config: FailoverConfig, context: CommentContext): string | undefined {
  const all = Object.keys(config.services);
  if (all.length === 1) return all[0];
  const onPr = [...new Set(context.prServices ?? [])].filter((s) => isServiceName(s, config));
  if (onPr.length === 1) return onPr[0];
  // A group's PR carries all of its members: the group is the one service meant.
  const group = Object.entries(config.groups).find(
    ([, members]) => members.length === onPr.length && members.every((m) => onPr.includes(m)),
  );
  return group?.[0];
}

function serviceNames(config: FailoverConfig): string[] {
  return [...Object.keys(config.services), ...Object.keys(config.groups)];
}

function isServiceName(name: string, config: FailoverConfig): boolean {
  return Object.hasOwn(config.services, name) || Object.hasOwn(config.groups, name);
}

/** A group fails over to a target every member has (they flip together in one PR). */
function targetsOf(name: string, config: FailoverConfig): string[] {
  if (Object.hasOwn(config.services, name)) return config.services[name]!.targets;
  const members = Object.hasOwn(config.groups, name) ? config.groups[name]! : [];
  const lists = members.map((m) => config.services[m]?.targets ?? []);
  return (lists[0] ?? []).filter((t) => lists.every((l) => l.includes(t)));
}

function allTargets(config: FailoverConfig): string[] {
  return Object.values(config.services).flatMap((s) => s.targets);
}

function knownService(name: string, config: FailoverConfig): string {
  if (isServiceName(name, config)) return name;
  const hint = didYouMean(name, [...serviceNames(config), ...SUBCOMMANDS]);
  return refuse(
    `${code(name)} is not a service in this repo.${hint} Services: ${orList(serviceNames(config))}.`,
  );
}

function knownTarget(name: string, service: string, config: FailoverConfig): string {
  const targets = targetsOf(service, config);
  if (targets.includes(name)) return name;
  const hint = didYouMean(name, targets);
  return refuse(
    `${code(name)} is not a target of ${code(service)}.${hint} Allowed targets: ${orList(targets)}.`,
  );
}
