// The world the trust attack table runs in: the real bot (Probot's HTTP server, our app, the signing
// port) on 127.0.0.1, the in-memory GitHub with acme/infra, webhooks delivered over HTTP with GitHub's
// signature, and the pieces an attacker would forge (PRs from forks or people, copied markers, check
// runs from other apps). `digest()` is what "GitHub saw no change" compares.
import { readFileSync } from 'node:fs';
import { renderMarker } from '../../src/core/render/index.js';
import { sealMarker } from '../../src/core/render/marker-seal.js';
import type { FailoverMarker } from '../../src/core/types.js';
import { type BotHarness, startBot } from './bot-harness.js';
import {
  checkRunPayload,
  commentPayload,
  type VerifyRecordInput,
  workflowRunPayload,
} from './bot-receive.js';
import { type RawAnswer, rawPost } from './bot-requests.js';
import {
  APP_BOT,
  type GitHubDouble,
  type Person,
  type Pull,
  type RepoState,
  startGitHubDouble,
} from './github-double/index.js';
import { TEST_MARKER_KEY } from './probot-kit.js';
import { deliverWebhook } from './webhook-delivery.js';

export const STATE = 'envs/prod/failover.auto.tfvars.json';
export const ALERT_TOKEN = 'attack-table-alert-token-1';
export const ATTACK_NOW = '2026-11-26T03:30:00Z';

export const ATTACK_CONFIG = `version: 1
services:
  checkout:
    kind: dns
    targets: [us-east-1, us-west-2]
    state: { file: ${STATE}, key: checkout_active_region }
    alerts:
      - matchers: ['alertname="RegionDown"', 'service=~"checkout|all"']
        target_label: region
    automation:
      on_alert: merge
      cooldown: 6h
      rollback_on_failed_verify: true
  payments:
    kind: dns
    targets: [eu-west-1, eu-central-1]
    state: { file: ${STATE}, key: payments_active_region }
    automation:
      rollback_on_failed_verify: true
  orders-db:
    kind: database
    targets: [db-a, db-b]
    state: { file: ${STATE}, key: orders_db_primary }
chatops:
  min_permission: write
  merge: false
`;

export const ATTACK_STATE =
  '{\n  "checkout_active_region": "us-east-1",\n  "payments_active_region": "eu-west-1",\n  "orders_db_primary": "db-a"\n}\n';

export const REGION_DOWN = readFileSync('examples/alerts/alertmanager-region-down.json', 'utf8');

export interface AttackWorld {
  double: GitHubDouble;
  infra: RepoState;
  bot: BotHarness;
  /** Everything an attacker could have changed on GitHub, as one comparable string. */
  digest(): string;
  /** `issue_comment.created` by `login` (default alice, a writer) on PR `number` (default: the incident notes PR), over HTTP. */
  comment(body: string, login?: string, number?: number): Promise<{ status: number }>;
  /** The incident notes PR people talk on. */
  notes: Pull;
  /** The app's comments on PR `number`, oldest first. */
  botComments(number?: number): string[];
  checkRun(
    rec: VerifyRecordInput,
    opts?: { name?: string; app?: Record<string, unknown>; conclusion?: string },
  ): Promise<{ status: number }>;
  workflowRun(sha: string): Promise<{ status: number }>;
  alert(body?: string): Promise<RawAnswer>;
  /** The PRs on failover/ branches the app opened, oldest first. */
  botPrs(): Pull[];
  /** Opens a failover PR by command and merges it as a reviewer would; the merge commit is what the Action applies. */
  mergedFailover(command: string): Promise<{ pr: Pull; sha: string }>;
  /** A PR someone other than the app opened (or a fork's, with `headRepo`), optionally merged. */
  foreignPull(opts: {
    head: string;
    body: string;
    user?: Person;
    headRepo?: string;
    merge?: boolean;
    files?: Record<string, string>;
  }): { pr: Pull; sha: string };
  state(): Record<string, string>;
  close(): Promise<void>;
}

/** A marker as the bot would sign it for acme/infra: what an attacker can copy from any earlier PR. */
export function copiedSignedMarker(m: FailoverMarker, repo = 'acme/infra'): string {
  return sealMarker(`Copied.\n\n${renderMarker(m)}`, { current: TEST_MARKER_KEY, previous: [] }, repo);
}

export function checkoutMarker(over: Partial<FailoverMarker> = {}): FailoverMarker {
  return {
    v: 1,
    kind: 'auto',
    services: ['checkout'],
    changes: [{ service: 'checkout', from: 'us-east-1', to: 'us-west-2' }],
    startedAt: '2026-11-26T03:00:00Z',
    receivedAt: '2026-11-26T03:00:05Z',
    fingerprints: ['f1'],
    trigger: { type: 'alert', sources: ['alertmanager'] },
    ...over,
  };
}

export async function startAttackWorld(opts: { files?: Record<string, string> } = {}): Promise<AttackWorld> {
  const double = await startGitHubDouble();
  const infra = double.state.seed('acme', 'infra', {
    '.github/failover.yml': ATTACK_CONFIG,
    [STATE]: ATTACK_STATE,
    'README.md': '# infra\n',
    ...opts.files,
  });
  infra.collaborators.set('alice', 'write');
  const incident = double.state.push(infra, 'notes', { 'notes.md': 'incident\n' });
  const notes = pull(double, infra, {
    head: 'notes',
    body: 'Incident notes.',
    user: { login: 'alice', type: 'User' },
    sha: incident.sha,
  });
  const now = Date.parse(ATTACK_NOW);
  const bot = await startBot({
    githubUrl: double.url,
    env: { FAILOVER_ALERT_TOKENS: ALERT_TOKEN },
    app: { now: () => now },
  });
  const botPrs = () =>
    [...infra.pulls.values()].filter((p) => p.user.login === APP_BOT.login && p.head.startsWith('failover/'));
  const world: AttackWorld = {
    double,
    infra,
    bot,
    digest: () => digest(double, infra),
    notes,
    botComments: (number = notes.number) =>
      [...infra.comments.values()]
        .filter((c) => c.issueNumber === number && c.user.login === APP_BOT.login)
        .map((c) => c.body),
    comment: (body, login = 'alice', number = notes.number) =>
      deliverWebhook(bot.url, 'issue_comment', commentPayload(infra, { number, body, login })),
    checkRun: (rec, o = {}) => {
      const payload = checkRunPayload(infra, rec, o.name, o.app);
      if (o.conclusion !== undefined)
        (payload.check_run as Record<string, unknown>).conclusion = o.conclusion;
      return deliverWebhook(bot.url, 'check_run', payload);
    },
    workflowRun: (sha) => deliverWebhook(bot.url, 'workflow_run', workflowRunPayload(infra, sha, 'failure')),
    alert: (body = REGION_DOWN) =>
      rawPost(bot.url, '/failover/v1/alerts/acme/infra', body, {
        'content-type': 'application/json',
        authorization: `Bearer ${ALERT_TOKEN}`,
      }),
    botPrs,
    async mergedFailover(command) {
      const before = botPrs().length;
      await world.comment(command);
      const pr = botPrs().at(-1);
      if (!pr || botPrs().length === before) throw new Error(`${command} opened no PR`);
      const commit = double.state.merge(infra, pr, 'squash');
      return { pr, sha: commit.sha };
    },
    foreignPull(o) {
      // The branch starts at the default branch's head, as `git checkout -b` would.
      const ref = `refs/heads/${o.head}`;
      if (!infra.refs.has(ref)) infra.refs.set(ref, double.state.headSha(infra) as string);
      const commit = double.state.push(infra, o.head, o.files ?? { [`notes/${o.head}.md`]: 'x\n' }, o.user);
      // A fork's branch lives in the fork: this repository keeps no ref for it.
      if (o.headRepo) infra.refs.delete(ref);
      const pr = pull(double, infra, { ...o, sha: commit.sha });
      if (!o.merge) return { pr, sha: commit.sha };
      const merged = double.state.merge(infra, pr, 'squash');
      return { pr, sha: merged.sha };
    },
    state: () =>
      JSON.parse((double.state.files(infra)[STATE] ?? '{}').replace(/^\uFEFF/, '')) as Record<string, string>,
    async close() {
      await bot.close();
      await double.close();
    },
  };
  return world;
}

function pull(
  double: GitHubDouble,
  repo: RepoState,
  o: { head: string; body: string; user?: Person; headRepo?: string; sha: string },
): Pull {
  const p: Pull = {
    number: repo.nextNumber++,
    nodeId: `PR_foreign_${repo.nextNumber}`,
    title: `Change ${o.head}`,
    body: o.body,
    head: o.head,
    base: repo.defaultBranch,
    state: 'open',
    merged: false,
    lastHeadSha: o.sha,
    labels: ['failover'],
    user: o.user ?? { login: 'mallory', type: 'User' },
    createdAt: double.state.now(),
    ...(o.headRepo ? { headRepo: o.headRepo } : {}),
  };
  repo.pulls.set(p.number, p);
  return p;
}

function digest(double: GitHubDouble, repo: RepoState): string {
  return JSON.stringify({
    refs: [...repo.refs.entries()].sort(),
    pulls: [...repo.pulls.values()].map((p) => [
      p.number,
      p.state,
      p.merged,
      p.title,
      p.body,
      [...p.labels].sort(),
      p.autoMerge ?? null,
    ]),
    // What the app wrote, and how it reacted (the comments people write are the attack, not a change).
    comments: [...repo.comments.values()]
      .filter((c) => c.user.login === APP_BOT.login)
      .map((c) => [c.id, c.body]),
    reactions: [...repo.comments.values()].reduce((n, c) => n + c.reactions.length, 0),
    labels: [...repo.labels.keys()].sort(),
    checkRuns: repo.checkRuns.size,
    deployments: repo.deployments.size,
    // Every other call the bot made that is not a read (a mutation the double did not model would show here).
    writes: double.calls.filter(
      (c) =>
        c.method !== 'GET' &&
        !c.name.includes('access_tokens') &&
        !/^graphql Failover(Snapshot|StateFiles)$/.test(c.name),
    ).length,
  });
}
