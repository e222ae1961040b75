// Drives the bot through `probot.receive` (no HTTP server) against the GitHub double, with GitHub's own
// webhook fixtures adapted per test. Used by the ChatOps and results-loop integration tests.
import { readFileSync } from 'node:fs';
import { Probot } from 'probot';
import { type BotMetrics, createBotMetrics } from '../../bot/metrics.js';
import type { VerifyRecord } from '../../src/core/policy/follow-up.js';
import { verifyMarker } from '../../src/core/render/verify-record.js';
import { createGitHubPort } from '../../src/github/index.js';
import {
  APP_BOT,
  type GitHubDouble,
  type Pull,
  type RepoState,
  type Role,
  startGitHubDouble,
} from './github-double/index.js';
import { lineSink, testFailoverApp, testProbotOptions } from './probot-kit.js';

export const STATE_FILE = 'envs/prod/failover.auto.tfvars.json';

/** A reversible DNS service (rolled back on failed verification) and a database (never). */
export const CHATOPS_CONFIG = `version: 1
services:
  checkout:
    kind: dns
    targets: [us-east-1, us-west-2]
    state:
      file: ${STATE_FILE}
      key: checkout_active_region
    automation:
      on_alert: merge
      rollback_on_failed_verify: true
  orders-db:
    kind: database
    targets: [db-a, db-b]
    state:
      file: ${STATE_FILE}
      key: orders_db_primary
chatops:
  min_permission: write
  merge: false # most tests look at the pending PR; test/integration/bot-chatops-merge.test.ts covers merging
`;

export const STATE_JSON = '{\n  "checkout_active_region": "us-east-1",\n  "orders_db_primary": "db-a"\n}\n';

export function infraFiles(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    '.github/failover.yml': CHATOPS_CONFIG,
    [STATE_FILE]: STATE_JSON,
    'README.md': '# infra\n',
    ...overrides,
  };
}

export interface ReceivingBot {
  probot: Probot;
  logs: string[];
  metrics: BotMetrics;
  receive(name: string, payload: Record<string, unknown>): Promise<void>;
}

export async function loadBot(
  double: GitHubDouble,
  now = () => Date.parse('2026-11-26T04:00:00Z'),
): Promise<ReceivingBot> {
  const logs: string[] = [];
  const metrics = createBotMetrics();
  const probot = new Probot(
    await testProbotOptions(
      double.url,
      lineSink((line) => logs.push(line)),
    ),
  );
  // Labels and the 👀 reaction go off the reply's path; here they still finish before the next step
  // because every handler awaits its reply afterwards, and tests read state only after receive().
  await probot.load(
    testFailoverApp({
      env: {},
      now,
      metrics,
      portFactory: (client, owner, repo, trust) =>
        createGitHubPort({
          client,
          owner,
          repo,
          trust,
          now,
          retry: { retries: 1, baseMs: 1 },
          sleep: async () => {},
        }),
    }) as Parameters<Probot['load']>[0],
    { addHandler: () => {}, cwd: process.cwd() },
  );
  let id = 0;
  return {
    probot,
    logs,
    metrics,
    receive: (name, payload) =>
      probot.receive({ id: `test-${++id}`, name, payload } as Parameters<Probot['receive']>[0]),
  };
}

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`test/fixtures/github/${name}`, 'utf8')) as Record<string, unknown>;
}

export function pointAt(payload: Record<string, unknown>, repo: RepoState): Record<string, unknown> {
  const repository = payload.repository as Record<string, unknown>;
  payload.repository = {
    ...repository,
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    default_branch: repo.defaultBranch,
    owner: { ...(repository.owner as object), login: repo.owner },
  };
  payload.installation = { id: repo.installationId, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' };
  return payload;
}

let commentId = 900_000;

/** `issue_comment.created` on a PR (or, with `onIssue`, a plain issue) of `repo`, by `login`. */
export function commentPayload(
  repo: RepoState,
  opts: { number: number; body: string; login: string; type?: 'User' | 'Bot'; onIssue?: boolean },
): Record<string, unknown> {
  const p = fixture(
    opts.onIssue ? 'issue_comment.created.on-issue.json' : 'issue_comment.created.on-pull-request.json',
  );
  const user = { ...(p.sender as object), login: opts.login, type: opts.type ?? 'User' };
  const id = ++commentId;
  p.issue = { ...(p.issue as object), number: opts.number };
  p.comment = {
    ...(p.comment as object),
    id,
    body: opts.body,
    user,
    html_url: `https://github.com/${repo.owner}/${repo.name}/pull/${opts.number}#issuecomment-${id}`,
  };
  p.sender = user;
  // The comment exists on GitHub too, so the 👀 reaction has something to land on.
  const at = '2026-11-26T04:00:00Z';
  repo.comments.set(id, {
    id,
    issueNumber: opts.number,
    body: opts.body,
    user: { login: opts.login, type: opts.type ?? 'User' },
    reactions: [],
    createdAt: at,
    updatedAt: at,
  });
  return pointAt(p, repo);
}

/** A verify record as the Action writes it; `services` and `applied` follow from `changes`. */
export type VerifyRecordInput = Omit<VerifyRecord, 'services' | 'applied' | 'sha'> & { sha: string };

/** The GitHub Actions app as a check run names it (from GitHub's failure example, slug `github-actions`). */
export function githubActionsApp(): Record<string, unknown> {
  const run = fixture('check_run.completed.failure.json').check_run as { app: Record<string, unknown> };
  return run.app;
}

/**
 * `check_run.completed` as the Action's verify check run (or, with `name`, some other check), created by
 * GitHub Actions unless `app` says otherwise.
 */
export function checkRunPayload(
  repo: RepoState,
  rec: VerifyRecordInput,
  name = 'gitops-failover/verify',
  app: Record<string, unknown> = githubActionsApp(),
) {
  const p = fixture(rec.verified ? 'check_run.completed.success.json' : 'check_run.completed.failure.json');
  const run = p.check_run as Record<string, unknown>;
  const record = {
    services: rec.changes.map((c) => c.service),
    changes: rec.changes,
    pr: rec.pr,
    sha: rec.sha,
    applied: true,
    verified: rec.verified,
    appliedAt: rec.appliedAt ?? '2026-11-26T04:10:00.000Z',
    verifiedAt: rec.verified ? (rec.verifiedAt ?? '2026-11-26T04:10:30.000Z') : undefined,
    rtoSeconds: rec.rtoSeconds,
    failure: rec.failure,
    kind: rec.kind,
  };
  p.check_run = {
    ...run,
    app,
    name,
    head_sha: rec.sha,
    conclusion: rec.verified ? 'success' : 'failure',
    completed_at: '2026-11-26T04:11:00Z',
    output: {
      ...(run.output as object),
      title: rec.verified ? 'Failover applied and verified' : 'Failover failed',
      summary: `### gitops-failover apply\n\n${verifyMarker(record)}`,
      text: null,
    },
  };
  return pointAt(p, repo);
}

export function workflowRunPayload(
  repo: RepoState,
  sha: string,
  conclusion: 'success' | 'failure',
  branch = repo.defaultBranch,
) {
  const p = fixture('workflow_run.completed.success.json');
  p.workflow_run = {
    ...(p.workflow_run as object),
    head_sha: sha,
    conclusion,
    name: 'failover apply',
    head_branch: branch,
    html_url: `https://github.com/${repo.owner}/${repo.name}/actions/runs/4242`,
  };
  return pointAt(p, repo);
}

/** A plain (non-failover) PR to comment on: the double only takes comments on PRs. */
export function plainPull(double: GitHubDouble, repo: RepoState, title = 'Incident 42 notes'): Pull {
  const head = `notes-${repo.nextNumber}`;
  const commit = double.state.push(repo, head, { [`notes/${head}.md`]: 'notes\n' });
  const pull: Pull = {
    number: repo.nextNumber++,
    nodeId: `PR_plain_${head}`,
    title,
    body: 'Incident notes.',
    head,
    base: repo.defaultBranch,
    state: 'open',
    merged: false,
    lastHeadSha: commit.sha,
    labels: [],
    user: { login: 'alice', type: 'User' },
    createdAt: double.state.now(),
  };
  repo.pulls.set(pull.number, pull);
  return pull;
}

export interface ChatOpsWorld {
  double: GitHubDouble;
  /** acme/infra, seeded with infraFiles(). */
  infra: RepoState;
  /** A plain PR to talk on, as people do about an incident. */
  incident: Pull;
  bot: ReceivingBot;
  /** Delivers `body` as a comment by `login` on PR `number` (by default alice, on the incident PR). */
  say(body: string, login?: string, number?: number): Promise<void>;
  /** The PRs on failover/ branches, oldest first. */
  failoverPrs(): Pull[];
}

/**
 * What the ChatOps and results tests start from: a fresh GitHub double with acme/infra (infraFiles with
 * `files` over them), its collaborators (default: alice may write), an incident PR and the bot loaded.
 * Close `double` when done.
 */
export async function startChatOpsWorld(
  opts: { files?: Record<string, string>; collaborators?: Record<string, Role> } = {},
): Promise<ChatOpsWorld> {
  const double = await startGitHubDouble();
  const infra = double.state.seed('acme', 'infra', infraFiles(opts.files));
  const collaborators: Record<string, Role> = opts.collaborators ?? { alice: 'write' };
  for (const [login, role] of Object.entries(collaborators)) infra.collaborators.set(login, role);
  const incident = plainPull(double, infra);
  const bot = await loadBot(double);
  return {
    double,
    infra,
    incident,
    bot,
    say: (body, login = 'alice', number = incident.number) =>
      bot.receive('issue_comment', commentPayload(infra, { number, body, login })),
    failoverPrs: () => [...infra.pulls.values()].filter((p) => p.head.startsWith('failover/')),
  };
}

/** Comments the app wrote on an issue/PR, oldest first. */
export function botComments(repo: RepoState, number: number): string[] {
  return [...repo.comments.values()]
    .filter((c) => c.issueNumber === number && c.user.login === APP_BOT.login)
    .map((c) => c.body);
}

/** Calls that changed something on GitHub (not reads, not the app's token exchange). */
export function mutations(double: GitHubDouble, from = 0): string[] {
  return double.calls
    .slice(from)
    .filter((c) => c.method !== 'GET' && !c.name.includes('access_tokens'))
    .filter((c) => !/^graphql Failover(Snapshot|StateFiles|OpenPr)$/.test(c.name))
    .map((c) => c.name);
}
