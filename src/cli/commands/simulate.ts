// `failover simulate`: what the bot would do, from a terminal. Reads the config and state files of a local
// infra repo (as its default branch would have them; no history, no open PRs), runs an alert payload or a
// chatops command through the same core the bot uses, and prints the decision trace, the diff of the
// state file and the PR that would be opened.
import { normaliseNotification } from '../../core/alerts/index.js';
import { parseComment } from '../../core/chatops/index.js';
import { PERMISSIONS } from '../../core/config/schema.js';
import { decide, decideCommand } from '../../core/policy/index.js';
import { planPr } from '../../core/render/index.js';
import {
  ALERT_SOURCES,
  type AlertSource,
  type Decision,
  type FailoverMarker,
  type NormalisedNotification,
  type Permission,
  type PrPlan,
} from '../../core/types.js';
import { parseCommandArgs, parseJsonFile, readInput } from '../args.js';
import { CliError, EXIT_OK } from '../errors.js';
import type { CliIo } from '../io.js';
import { readLocalRepo } from '../repo.js';
import { renderSimulation, simulationJson } from '../simulate-render.js';

export const SIMULATE_HELP = `Usage:
  failover simulate --repo DIR [--ref REF] --alert FILE [--source NAME] [--now ISO-TIME] [--verbose|--json]
  failover simulate --repo DIR [--ref REF] --command "/failover ..." --user NAME --permission LEVEL
                    [--team SLUG] [--now ISO-TIME] [--verbose|--json]

Runs an alert notification or a chatops command through the policy, exactly as the bot would against
the default branch of the infra repo in DIR (its .github/failover.yml, state files and freeze file; no
failover history and no open PRs), and prints the decision trace, the state-file diff, the pull request
that would be opened and what would happen next. Nothing is written anywhere.

Options:
  --repo DIR          root of the infra repo
  --ref REF           read the files from this git commit (e.g. origin/main) instead of the working tree
  --alert FILE        notification body (JSON) as the monitoring system sends it; - reads stdin
  --source NAME       ${ALERT_SOURCES.join(' | ')} (default: detected from the body)
  --command TEXT      a comment such as "/failover checkout us-west-2 --reason 'region down'"
  --user NAME         who commented (with --command)
  --permission LEVEL  their repository permission: ${PERMISSIONS.join(' | ')}
  --team SLUG         a team they belong to (repeatable; only matters when chatops.teams is set)
  --now ISO-TIME      the current time (default: now), e.g. 2026-11-26T03:10:00Z
  -v, --verbose       also print the full body of the pull request (Markdown, as GitHub would show it)
  --json              print { "decisions": [{ "service", "action", "from", "to", "reasons" }], "diff", "pr" }
  -h, --help          show this help

Exit status: 0 whatever the decision, 2 unreadable or invalid payload, command or config.
`;

const OPTIONS = {
  repo: { type: 'string' },
  ref: { type: 'string' },
  alert: { type: 'string' },
  source: { type: 'string' },
  command: { type: 'string' },
  user: { type: 'string' },
  permission: { type: 'string' },
  team: { type: 'string', multiple: true },
  now: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  json: { type: 'boolean' },
} as const;

const usage = (message: string) =>
  new CliError(`failover simulate: ${message}\nRun 'failover simulate --help' for usage.`);

/** The outcome of one simulation, for both renderers. */
export interface Simulation {
  now: string;
  trigger: FailoverMarker['trigger'];
  notification?: NormalisedNotification;
  /** A chatops reply instead of a command (typo, unknown service, ...). */
  reply?: string;
  decisions: Decision[];
  plans: { decision: Decision; plan: PrPlan }[];
}

export function runSimulate(args: string[], io: CliIo): number {
  const { values } = parseCommandArgs('simulate', args, OPTIONS);
  if (values.help) {
    io.stdout(SIMULATE_HELP);
    return EXIT_OK;
  }
  if (!values.repo) throw usage('--repo DIR is required');
  if (Boolean(values.alert) === Boolean(values.command))
    throw usage('give either --alert FILE or --command TEXT');
  const now = parseNow(values.now ?? io.now());
  const { config, view } = readLocalRepo(io, values.repo, values.ref);

  let simulation: Simulation;
  if (values.alert) {
    if (values.user || values.permission || values.team)
      throw usage('--user, --permission and --team go with --command');
    const source = values.source === undefined ? undefined : parseSource(values.source);
    const body = parseJsonFile(
      readInput(io.readFile, values.alert, 'alert payload'),
      values.alert,
      'alert payload',
    );
    const notification = normaliseNotification(body, source, { receivedAt: now });
    const decisions = decide({ signals: notification.signals, config, repo: view, now });
    const trigger: FailoverMarker['trigger'] = { type: 'alert', sources: [notification.source] };
    simulation = { now, trigger, notification, decisions, plans: [] };
  } else {
    if (values.source) throw usage('--source goes with --alert');
    if (!values.user) throw usage('--user NAME is required with --command');
    const permission = parsePermission(values.permission);
    const text = values.command ?? '';
    const parsed = parseComment(text, config);
    if (parsed.type === 'ignore') {
      throw usage(`${JSON.stringify(text)} holds no /failover or /failback command`);
    }
    const trigger: FailoverMarker['trigger'] = { type: 'command', by: values.user, command: parsed.line };
    if (parsed.type === 'reply') {
      simulation = { now, trigger, reply: parsed.message, decisions: [], plans: [] };
    } else {
      const actor = { login: values.user, permission, teams: values.team ?? [] };
      const decision = decideCommand({ command: parsed.command, actor, config, repo: view, now });
      simulation = { now, trigger, decisions: [decision], plans: [] };
    }
  }

  for (const decision of simulation.decisions) {
    if (!opensPr(decision)) continue;
    const plan = planPr(decision, { config, repo: view, now, receivedAt: now, trigger: simulation.trigger });
    simulation.plans.push({ decision, plan });
  }
  io.stdout(
    values.json
      ? `${JSON.stringify(simulationJson(simulation), null, 2)}\n`
      : renderSimulation(simulation, { verbose: values.verbose === true }),
  );
  return EXIT_OK;
}

/** Decisions that put a change on a branch: the bot would open (or refresh) a PR for them. */
function opensPr(decision: Decision): boolean {
  const writes =
    decision.action === 'open-pr' || decision.action === 'merge' || decision.action === 'update-pr';
  return writes && decision.edits.length > 0;
}

function parseNow(text: string): string {
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(ms)) {
    throw usage(`--now ${JSON.stringify(text)} is not an ISO-8601 time such as 2026-11-26T03:10:00Z`);
  }
  return new Date(ms).toISOString();
}

function parseSource(text: string): AlertSource {
  const found = ALERT_SOURCES.find((s) => s === text);
  if (!found) throw usage(`--source ${JSON.stringify(text)} is not one of ${ALERT_SOURCES.join(', ')}`);
  return found;
}

function parsePermission(text: string | undefined): Permission {
  if (text === undefined)
    throw usage(`--permission LEVEL is required with --command (${PERMISSIONS.join(', ')})`);
  const found = PERMISSIONS.find((p) => p === text);
  if (!found) throw usage(`--permission ${JSON.stringify(text)} is not one of ${PERMISSIONS.join(', ')}`);
  return found;
}
