// What the bot answers to `/failover help` and appends to replies that need the grammar: the one help
// text of ChatOps. `failover simulate --command "/failover help"` shows the same answer, and the command
// block of docs/chatops.md is USAGE_LINES (test/unit/chatops/help-docs.test.ts keeps them equal).
import type { FailoverConfig } from '../types.js';
import { FORCEABLE_RULES } from '../types.js';

export const USAGE_LINES = [
  '/failover <service> <target> [--reason "..."] [--force <rule> --reason "..."]',
  "/failover <target>                  (one service in the repo, or on that service's failover PR)",
  '/failback <service> [--reason "..."]',
  '/failover status',
  "/failover cancel                    (on a pending failover PR: close it, delete the bot's branch)",
  '/failover drill <service> <target> [--reason "..."]',
  '/failover help',
] as const;

export function usageBlock(): string {
  return ['```', ...USAGE_LINES, '```'].join('\n');
}

function servicesTable(config: FailoverConfig): string[] {
  const rows = Object.entries(config.services).map(([name, svc]) => {
    const [primary, ...others] = svc.targets;
    const targets = [`\`${primary}\` (primary)`, ...others.map((t) => `\`${t}\``)].join(', ');
    return `| \`${name}\` | ${svc.mode} | ${targets} |`;
  });
  const groups = Object.entries(config.groups).map(
    ([name, members]) =>
      `| \`${name}\` (group) | ${members.map((m) => `\`${m}\``).join(' + ')} | same targets as its members |`,
  );
  return ['| service | mode | targets |', '|---|---|---|', ...rows, ...groups];
}

export function renderHelp(config: FailoverConfig): string {
  const who =
    config.chatops.teams.length > 0
      ? `\`${config.chatops.min_permission}\` permission on this repository and membership of ${config.chatops.teams
          .map((t) => `\`${t}\``)
          .join(' or ')}`
      : `\`${config.chatops.min_permission}\` permission on this repository`;
  return [
    '### gitops-failover commands',
    '',
    'Write the command at the start of a line of a new comment (edits are ignored; code blocks and quotes too).',
    '',
    usageBlock(),
    '',
    ...servicesTable(config),
    '',
    `Anyone with ${who} may run them. A failover opens a pull request that flips the desired state;`,
    'policy and safety rules decide whether it merges on its own.',
    '',
    `\`--force <rule>\` overrides one safety rule and needs \`--reason\`; the override is written into the PR. Rules: ${FORCEABLE_RULES.map((r) => `\`${r}\``).join(', ')}.`,
  ].join('\n');
}
