import { describe, expect, it } from 'vitest';
import { parseComment } from '../../../src/core/chatops/index.js';
import type { ChatCommand, FailoverConfig } from '../../../src/core/types.js';
import { multiConfig, singleConfig } from './config.js';

type Row = {
  name: string;
  body: string;
  config?: FailoverConfig;
  prServices?: string[];
} & ({ command: ChatCommand; line?: string } | { reply: RegExp; line?: string } | { ignore: true });

const FENCE = '```';
const rows: Row[] = [
  // Plain commands
  {
    name: 'service and target',
    body: '/failover checkout us-west-2',
    command: { verb: 'failover', service: 'checkout', target: 'us-west-2' },
    line: '/failover checkout us-west-2',
  },
  {
    name: 'quoted reason',
    body: '/failover checkout us-west-2 --reason "us-east-1 is on fire"',
    command: { verb: 'failover', service: 'checkout', target: 'us-west-2', reason: 'us-east-1 is on fire' },
  },
  {
    name: 'single-quoted reason',
    body: "/failover checkout us-west-2 --reason 'planned maintenance'",
    command: { verb: 'failover', service: 'checkout', target: 'us-west-2', reason: 'planned maintenance' },
  },
  {
    name: 'bare one-word reason',
    body: '/failover checkout us-west-2 --reason maintenance',
    command: { verb: 'failover', service: 'checkout', target: 'us-west-2', reason: 'maintenance' },
  },
  {
    name: 'curly quotes from a phone',
    body: '/failover checkout us-west-2 --reason “it’s down”',
    command: { verb: 'failover', service: 'checkout', target: 'us-west-2', reason: 'it’s down' },
  },
  {
    name: '--reason=value form',
    body: '/failover checkout us-west-2 --reason="a b"',
    command: { verb: 'failover', service: 'checkout', target: 'us-west-2', reason: 'a b' },
  },
  {
    name: 'escaped quote in reason',
    body: '/failover checkout us-west-2 --reason "say \\"now\\""',
    command: { verb: 'failover', service: 'checkout', target: 'us-west-2', reason: 'say "now"' },
  },
  {
    name: 'force with reason, flags first',
    body: '/failover --force cooldown --reason "flapping is fine" checkout us-west-2',
    command: {
      verb: 'failover',
      service: 'checkout',
      target: 'us-west-2',
      reason: 'flapping is fine',
      force: 'cooldown',
    },
  },
  {
    name: 'force rule written with dashes',
    body: '/failover checkout us-west-2 --force target-alerting --reason x',
    command: {
      verb: 'failover',
      service: 'checkout',
      target: 'us-west-2',
      reason: 'x',
      force: 'target_alerting',
    },
  },
  {
    name: 'weighted service',
    body: '/failover search green',
    command: { verb: 'failover', service: 'search', target: 'green' },
  },
  {
    name: 'a group is a service name',
    body: '/failover payments us-west-2',
    command: { verb: 'failover', service: 'payments', target: 'us-west-2' },
  },
  { name: 'failback', body: '/failback checkout', command: { verb: 'failback', service: 'checkout' } },
  {
    name: 'failback with reason',
    body: '/failback checkout --reason "primary healthy again"',
    command: { verb: 'failback', service: 'checkout', reason: 'primary healthy again' },
  },
  {
    name: '/failover failback <service> is the same',
    body: '/failover failback search',
    command: { verb: 'failback', service: 'search' },
  },
  { name: 'status', body: '/failover status', command: { verb: 'status' } },
  { name: 'cancel', body: '/failover cancel', command: { verb: 'cancel' } },
  { name: 'help', body: '/failover help', command: { verb: 'help' } },
  {
    name: 'drill',
    body: '/failover drill checkout us-west-2',
    command: { verb: 'drill', service: 'checkout', target: 'us-west-2' },
  },
  {
    name: 'drill with reason',
    body: '/failover drill search green --reason "quarterly game day"',
    command: { verb: 'drill', service: 'search', target: 'green', reason: 'quarterly game day' },
  },

  // Implied service
  {
    name: 'target alone with one service',
    body: '/failover eu-west-1',
    config: singleConfig,
    command: { verb: 'failover', service: 'checkout', target: 'eu-west-1' },
  },
  {
    name: 'target alone on a failover PR of one service',
    body: '/failover us-east-1',
    prServices: ['checkout'],
    command: { verb: 'failover', service: 'checkout', target: 'us-east-1' },
  },
  {
    name: "target alone on a group's PR means the group",
    body: '/failover us-west-2',
    prServices: ['payments-api', 'payments-db'],
    command: { verb: 'failover', service: 'payments', target: 'us-west-2' },
  },
  {
    name: 'target alone, PR of two unrelated services is ambiguous',
    body: '/failover us-west-2',
    prServices: ['checkout', 'payments-db'],
    reply: /Which service\?.*`checkout`/,
  },
  {
    name: 'target alone, several services, not on a PR',
    body: '/failover us-west-2',
    reply: /Which service\? `\/failover <service> us-west-2`/,
  },
  {
    name: 'failback alone with one service',
    body: '/failback',
    config: singleConfig,
    command: { verb: 'failback', service: 'checkout' },
  },
  {
    name: 'failback alone, several services',
    body: '/failback',
    reply: /Which service\? `\/failback <service>`/,
  },
  {
    name: 'service alone asks for the target',
    body: '/failover checkout',
    reply: /Which target\?.*`us-east-1` or `us-west-2`/,
  },

  // Spacing, case, line endings
  {
    name: 'up to 3 leading spaces',
    body: '   /failover checkout us-west-2',
    command: { verb: 'failover', service: 'checkout', target: 'us-west-2' },
  },
  {
    name: 'extra spaces and tabs between words',
    body: '/failover   checkout \t us-west-2   ',
    command: { verb: 'failover', service: 'checkout', target: 'us-west-2' },
    line: '/failover   checkout \t us-west-2',
  },
  {
    name: 'upper-case command and names are accepted',
    body: '/Failover CHECKOUT US-West-2',
    command: { verb: 'failover', service: 'checkout', target: 'us-west-2' },
  },
  { name: 'upper-case subcommand', body: '/FAILOVER Status', command: { verb: 'status' } },
  {
    name: 'CRLF body, command on line 2',
    body: 'Primary is down.\r\n/failover checkout us-west-2 --reason "pager"\r\nthanks',
    command: { verb: 'failover', service: 'checkout', target: 'us-west-2', reason: 'pager' },
  },
  { name: 'old Mac CR line endings', body: 'hi\r/failover status\r', command: { verb: 'status' } },
  {
    name: 'first command wins',
    body: '/failover status\n/failover checkout us-west-2',
    command: { verb: 'status' },
  },
  {
    name: 'first command wins even when it is an error',
    body: '/failover checkout nowhere\n/failover status',
    reply: /`nowhere` is not a target of `checkout`/,
  },

  // Not commands
  { name: 'plain text', body: 'Should we fail over checkout to us-west-2?', ignore: true },
  { name: 'mid-line mention', body: 'please run /failover checkout us-west-2', ignore: true },
  { name: 'inside a list item', body: '- /failover checkout us-west-2', ignore: true },
  {
    name: 'four spaces is an indented code block',
    body: 'Example:\n\n    /failover checkout us-west-2',
    ignore: true,
  },
  { name: 'tab indent is code', body: '\t/failover checkout us-west-2', ignore: true },
  { name: 'block quote', body: '> /failover checkout us-west-2\n\nno!', ignore: true },
  { name: 'indented block quote', body: '  > /failover status', ignore: true },
  { name: 'fenced backticks', body: `${FENCE}\n/failover checkout us-west-2\n${FENCE}`, ignore: true },
  { name: 'fenced tildes with info string', body: '~~~text\n/failover status\n~~~', ignore: true },
  {
    name: 'longer fence is not closed by a shorter one',
    body: '````\n```\n/failover status\n````',
    ignore: true,
  },
  {
    name: 'tilde fence not closed by backticks',
    body: `~~~\n${FENCE}\n/failover status\n~~~\n/failover help`,
    command: { verb: 'help' },
  },
  { name: 'unclosed fence hides the rest', body: `${FENCE}sh\n/failover status`, ignore: true },
  {
    name: 'command after a closed fence counts',
    body: `${FENCE}\n/failover status\n${FENCE}\n/failover cancel`,
    command: { verb: 'cancel' },
  },
  {
    name: 'HTML comment (issue template)',
    body: '<!--\n/failover checkout us-west-2\n-->\nok',
    ignore: true,
  },
  {
    name: 'one-line HTML comment does not hide the next line',
    body: '<!-- note -->\n/failover status',
    command: { verb: 'status' },
  },
  // Hidden wherever the construct opens (Markdown's real structure, as GitHub renders it)
  {
    name: 'HTML comment opened mid-line (Notes <!--)',
    body: 'Notes <!--\n/failover checkout us-west-2\n-->',
    ignore: true,
  },
  {
    name: 'HTML comment opened mid-line, command after it closes on the same line',
    body: 'Notes <!-- x\n--> /failover checkout us-west-2',
    ignore: true,
  },
  {
    name: 'code span across lines',
    body: 'see `x\n/failover checkout us-west-2\n` above',
    ignore: true,
  },
  { name: 'HTML block (div)', body: '<div>\n/failover checkout us-west-2\n</div>', ignore: true },
  {
    name: 'HTML block (details) without a blank line',
    body: '<details>\n/failover checkout us-west-2\n</details>',
    ignore: true,
  },
  {
    name: 'lazy continuation of a block quote',
    body: '> I would run\n/failover checkout us-west-2',
    ignore: true,
  },
  {
    name: 'inside a numbered list item',
    body: '1. first\n   /failover checkout us-west-2',
    ignore: true,
  },
  {
    name: 'link destination on the next line',
    body: '[runbook](\n/failover)',
    ignore: true,
  },
  { name: 'escaped slash is not typed', body: '\\/failover checkout us-west-2', ignore: true },
  { name: 'entity slash is not typed', body: '&#47;failover checkout us-west-2', ignore: true },
  {
    name: 'private-use characters in the comment cannot fake a visible command',
    body: `${String.fromCodePoint(0xf0000)}x\n<!--\n/failover checkout us-west-2\n-->`,
    ignore: true,
  },
  {
    name: 'a command after a closed HTML comment on its own line runs',
    body: 'Notes <!-- hidden -->\n/failover status',
    command: { verb: 'status' },
  },
  {
    name: 'a command on the line after a paragraph runs (soft break)',
    body: 'Region east is down.\n/failover checkout us-west-2',
    command: { verb: 'failover', service: 'checkout', target: 'us-west-2' },
  },
  {
    name: 'U+2028 inside a command line is refused, not read as arguments',
    body: '/failover checkout us-west-2\u2028--force safety --reason x',
    reply: /Unicode line separator/,
  },
  {
    name: 'NEL inside a command line is refused',
    body: '/failover status\u0085/failover checkout us-west-2',
    reply: /Unicode line separator/,
  },
  {
    name: 'U+2029 does not start a new Markdown line',
    body: 'Notes\u2029/failover checkout us-west-2',
    ignore: true,
  },
  { name: "someone else's slash command", body: '/assign @me\n/lgtm', ignore: true },
  { name: 'a path is not a command', body: '/failover/runbook.md says so', ignore: true },
  { name: 'empty body', body: '', ignore: true },

  // Near misses and refusals
  {
    name: 'bare /failover shows usage',
    body: '/failover',
    reply: /What should I do\?[\s\S]*\/failover <service> <target>/,
  },
  {
    name: 'typo in the command',
    body: '/failvoer checkout us-west-2',
    reply: /`\/failvoer` is not a command\. Did you mean `\/failover`\?/,
  },
  { name: 'typo in failback', body: '/falback checkout', reply: /Did you mean `\/failback`\?/ },
  {
    name: 'typo in subcommand',
    body: '/failover staus',
    reply: /`staus` is not a subcommand, service or target here\. Did you mean `status`\?/,
  },
  { name: 'failbak subcommand', body: '/failover failbak checkout', reply: /Did you mean `failback`\?/ },
  {
    name: 'typo in service',
    body: '/failover chekcout us-west-2',
    reply: /`chekcout` is not a service in this repo\. Did you mean `checkout`\?/,
  },
  {
    name: 'unknown service, nothing close',
    body: '/failover billing us-west-2',
    reply: /`billing` is not a service.*Services: `checkout`, `search`/,
  },
  {
    name: 'typo in target',
    body: '/failover checkout us-wset-2',
    reply: /Did you mean `us-west-2`\? Allowed targets: `us-east-1` or `us-west-2`\./,
  },
  {
    name: "another service's target",
    body: '/failover checkout green',
    reply: /`green` is not a target of `checkout`\. Allowed targets: `us-east-1` or `us-west-2`\./,
  },
  {
    name: 'path characters are refused',
    body: '/failover ../etc us-west-2',
    reply: /`\.\.\/etc` is not a valid name: names cannot contain/,
  },
  { name: 'slash inside a name', body: '/failover a/b us-west-2', reply: /`a\/b` is not a valid name/ },
  {
    name: '--force needs --reason',
    body: '/failover checkout us-west-2 --force cooldown',
    reply: /`--force cooldown` overrides a safety rule, so it needs `--reason/,
  },
  {
    name: '--force without a rule',
    body: '/failover checkout us-west-2 --reason x --force',
    reply: /`--force` needs the rule to override: one of `target_alerting`/,
  },
  {
    name: 'unknown forced rule',
    body: '/failover checkout us-west-2 --force quorum --reason x',
    reply: /`quorum` is not a rule that can be forced\. Forceable rules:/,
  },
  {
    name: 'near-miss forced rule',
    body: '/failover checkout us-west-2 --force freez --reason x',
    reply: /Did you mean `freeze`\?/,
  },
  {
    name: 'unknown option',
    body: '/failover checkout us-west-2 --reasn x',
    reply: /`--reasn` is not an option\. Did you mean `--reason`\?/,
  },
  {
    name: 'unquoted multi-word reason',
    body: '/failover checkout us-west-2 --reason region is down',
    reply: /Unexpected `is` or `down`\. If that is part of a reason, put it in quotes/,
  },
  { name: 'empty reason', body: '/failover checkout us-west-2 --reason ""', reply: /`--reason` is empty/ },
  {
    name: 'unclosed quote',
    body: '/failover checkout us-west-2 --reason "oops',
    reply: /A quote is not closed/,
  },
  {
    name: 'reason given twice',
    body: '/failover checkout us-west-2 --reason a --reason b',
    reply: /given twice/,
  },
  {
    name: 'status takes no arguments',
    body: '/failover status checkout',
    reply: /`\/failover status` takes no arguments/,
  },
  {
    name: 'drill cannot be forced',
    body: '/failover drill checkout us-west-2 --force cooldown --reason x',
    reply: /A drill cannot be forced/,
  },
  {
    name: 'drill needs service and target',
    body: '/failover drill checkout',
    reply: /Usage: `\/failover drill <service> <target>`/,
  },
  {
    name: 'failback to a named target',
    body: '/failback checkout us-west-2',
    reply: /always goes back to the primary \(`us-east-1`\).*`\/failover checkout us-west-2`/,
  },
  {
    name: 'backticks in input do not break the reply',
    body: '/failover `x` us-west-2',
    reply: /^`x` is not a service/,
  },
];

describe('parseComment', () => {
  it('has a rich table', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
  });

  it.each(rows)('$name', (row) => {
    const result = parseComment(row.body, row.config ?? multiConfig, { prServices: row.prServices ?? [] });
    if ('ignore' in row) {
      expect(result).toEqual({ type: 'ignore' });
    } else if ('command' in row) {
      expect(result).toMatchObject({ type: 'command', command: row.command });
      if (result.type === 'command') expect(result.command).toEqual(row.command);
    } else {
      expect(result.type).toBe('reply');
      if (result.type === 'reply') expect(result.message).toMatch(row.reply);
    }
    if (!('ignore' in row) && row.line !== undefined && result.type !== 'ignore')
      expect(result.line).toBe(row.line);
  });

  it('the context is optional', () => {
    expect(parseComment('/failover status', multiConfig)).toEqual({
      type: 'command',
      command: { verb: 'status' },
      line: '/failover status',
    });
  });

  it('a reply never echoes a long input in full', () => {
    const result = parseComment(`/failover ${'x'.repeat(5000)} us-west-2`, multiConfig);
    expect(result.type).toBe('reply');
    if (result.type === 'reply') expect(result.message.length).toBeLessThan(400);
  });
});
