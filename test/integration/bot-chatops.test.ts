// ChatOps end to end through probot.receive: GitHub's issue_comment fixtures (adapted per case), our app,
// the GitHub port and the GitHub double. Each refusal is checked for its reply and that nothing changed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseMarker } from '../../src/core/render/index.js';
import {
  botComments,
  CHATOPS_CONFIG,
  type ChatOpsWorld,
  commentPayload,
  mutations,
  type ReceivingBot,
  STATE_FILE,
  STATE_JSON,
  startChatOpsWorld,
} from '../helpers/bot-receive.js';
import type { GitHubDouble, Pull, RepoState } from '../helpers/github-double/index.js';

let double: GitHubDouble;
let bot: ReceivingBot;
let infra: RepoState;
let incident: Pull;
let say: ChatOpsWorld['say'];
let failoverPrs: ChatOpsWorld['failoverPrs'];

beforeEach(async () => {
  ({ double, bot, infra, incident, say, failoverPrs } = await startChatOpsWorld({
    collaborators: { alice: 'write', rita: 'read' },
  }));
});

afterEach(async () => {
  await double.close();
});

const lastReply = (number = incident.number) => botComments(infra, number).at(-1) ?? '';
const reactions = () => [...infra.comments.values()].flatMap((c) => c.reactions.map((r) => r.content));

describe('who may command', () => {
  it('refuses a read-only user with one reply naming the permission needed and seen; nothing else changes', async () => {
    const before = double.calls.length;
    await say('/failover checkout us-west-2', 'rita');
    expect(botComments(infra, incident.number)).toHaveLength(1);
    expect(lastReply()).toMatch(/^@rita: this needs `write` permission/);
    expect(lastReply()).toContain('rita has read permission');
    expect(failoverPrs()).toHaveLength(0);
    expect(mutations(double, before)).toEqual(['POST /repos/:o/:r/issues/:n/comments']);
  });

  it('requires team membership when chatops.teams is set', async () => {
    const withTeam = CHATOPS_CONFIG.replace('min_permission: write', 'min_permission: write\n  teams: [sre]');
    double.state.push(infra, 'main', { '.github/failover.yml': withTeam });
    await say('/failover checkout us-west-2', 'alice');
    expect(lastReply()).toMatch(/^@alice: .*membership of `sre`/);
    expect(failoverPrs()).toHaveLength(0);

    double.state.teams.set('acme/sre', new Set(['alice']));
    await say('/failover checkout us-west-2', 'alice');
    expect(failoverPrs()).toHaveLength(1);
  });

  it('answers a team lookup GitHub refuses (no "Members: read") with the permission to grant', async () => {
    const withTeam = CHATOPS_CONFIG.replace('min_permission: write', 'min_permission: write\n  teams: [sre]');
    double.state.push(infra, 'main', { '.github/failover.yml': withTeam });
    double.state.teams.set('acme/sre', new Set(['alice']));
    delete double.state.appPermissions.members;
    const before = double.calls.length;
    await say('/failover checkout us-west-2', 'alice');
    expect(lastReply()).toMatch(
      /^@alice: the app cannot read team acme\/sre \(GitHub: Resource not accessible by integration\)/,
    );
    expect(lastReply()).toContain('"Members: read"');
    expect(lastReply()).toContain('Nothing was changed.');
    expect(failoverPrs()).toHaveLength(0);
    expect(mutations(double, before)).toEqual(['POST /repos/:o/:r/issues/:n/comments']);
  });

  it('ignores bots and the app itself: no API call at all', async () => {
    const before = double.calls.length;
    await bot.receive(
      'issue_comment',
      commentPayload(infra, {
        number: incident.number,
        body: '/failover checkout us-west-2',
        login: 'ci-helper[bot]',
        type: 'Bot',
      }),
    );
    await bot.receive(
      'issue_comment',
      commentPayload(infra, { number: incident.number, body: '/failover status', login: 'renovate[bot]' }),
    );
    expect(double.calls.slice(before)).toEqual([]);
  });

  it('never handles an edited comment', async () => {
    const before = double.calls.length;
    const edited = commentPayload(infra, {
      number: incident.number,
      body: '/failover checkout us-west-2',
      login: 'alice',
    });
    edited.action = 'edited';
    edited.changes = { body: { from: 'typo' } };
    await bot.receive('issue_comment', edited);
    expect(double.calls.slice(before)).toEqual([]);
    expect(failoverPrs()).toHaveLength(0);
  });

  it('with a broken config on the default branch: tells a writer why, stays silent for a reader', async () => {
    double.state.push(infra, 'main', {
      '.github/failover.yml': 'version: 1\nservices:\n  checkout: {targets: [a]}\n',
    });
    await say('/failover checkout us-west-2', 'rita');
    expect(botComments(infra, incident.number)).toHaveLength(0);
    await say('/failover checkout us-west-2', 'alice');
    expect(lastReply()).toMatch(/^@alice: `.github\/failover.yml` on main is invalid/);
    expect(failoverPrs()).toHaveLength(0);
  });

  it('costs no API call for an ordinary comment', async () => {
    const before = double.calls.length;
    await say('LGTM, the dashboard looks fine.\n\n> /failover checkout us-west-2 (quoted)');
    expect(double.calls.slice(before)).toEqual([]);
  });
});

describe('failover and failback', () => {
  it('opens exactly one PR labelled failover:manual, reacts 👀 and replies with the link; a repeat finds it', async () => {
    await say('Primary looks bad.\n/failover checkout us-west-2 --reason "packet loss in us-east-1"');
    const prs = failoverPrs();
    expect(prs).toHaveLength(1);
    const pr = prs[0] as Pull;
    expect(pr.labels).toEqual(expect.arrayContaining(['failover', 'failover:manual']));
    expect(pr.state).toBe('open');
    expect(pr.merged).toBe(false);
    expect(double.state.files(infra, pr.head)[STATE_FILE]).toContain('"checkout_active_region": "us-west-2"');
    const marker = parseMarker(pr.body);
    expect(marker?.kind).toBe('manual');
    expect(marker?.trigger).toMatchObject({ type: 'command', by: 'alice' });
    expect(reactions()).toContain('eyes');
    expect(botComments(infra, incident.number)).toHaveLength(1);
    expect(lastReply()).toMatch(new RegExp(`^@alice: opened PR #${pr.number}: .*pull/${pr.number}`));
    expect(lastReply()).toContain('Merge it to apply');

    await say('/failover checkout us-west-2');
    expect(failoverPrs()).toHaveLength(1);
    expect(lastReply()).toMatch(new RegExp(`^@alice: PR #${pr.number} .*already does this`));
  });

  it('answers an unknown service with did-you-mean and opens nothing', async () => {
    await say('/failover chekout us-west-2');
    expect(lastReply()).toMatch(/^@alice: .*`chekout` is not a service.*Did you mean `checkout`/s);
    expect(failoverPrs()).toHaveLength(0);
  });

  it('judges with the default branch config, never the PR branch config', async () => {
    // A PR branch whose config lets readers command and adds a target: neither may take effect.
    const loose = CHATOPS_CONFIG.replace('min_permission: write', 'min_permission: read').replace(
      '[us-east-1, us-west-2]',
      '[us-east-1, us-west-2, eu-west-1]',
    );
    double.state.push(infra, incident.head, { '.github/failover.yml': loose });
    await say('/failover checkout eu-west-1', 'rita');
    expect(lastReply()).toMatch(/^@rita: this needs `write` permission/);
    await say('/failover checkout eu-west-1', 'alice');
    expect(lastReply()).toMatch(/^@alice: .*`eu-west-1` is not a target of `checkout`/);
    expect(failoverPrs()).toHaveLength(0);
  });

  it('blocks on a failing safety rule, then records --force with its reason in the PR body and marker', async () => {
    // The state file holds a value that is not a target: the safety rule stops the command.
    double.state.push(infra, 'main', { [STATE_FILE]: STATE_JSON.replace('us-east-1', 'us-central-9') });
    await say('/failover checkout us-west-2');
    expect(lastReply()).toMatch(/^@alice: not done: /);
    expect(lastReply()).toContain('`safety`');
    expect(lastReply()).toContain('--force safety --reason');
    expect(failoverPrs()).toHaveLength(0);

    await say('/failover checkout us-west-2 --force safety --reason "incident 42, approved by on-call lead"');
    const pr = failoverPrs()[0] as Pull;
    expect(pr).toBeDefined();
    expect(parseMarker(pr.body)?.forced).toEqual([
      { rule: 'safety', reason: 'incident 42, approved by on-call lead', by: 'alice' },
    ]);
    expect(pr.body).toContain('**forced** by @alice (incident 42, approved by on-call lead)');
    expect(lastReply()).toContain('Forced rule `safety`');
  });

  it('/failback opens a PR back to the primary', async () => {
    double.state.push(infra, 'main', { [STATE_FILE]: STATE_JSON_WEST });
    await say('/failback checkout');
    const pr = failoverPrs()[0] as Pull;
    expect(pr.title).toContain('us-west-2 → us-east-1');
    expect(lastReply()).toMatch(/^@alice: opened PR/);
  });
});

const STATE_JSON_WEST = '{\n  "checkout_active_region": "us-west-2",\n  "orders_db_primary": "db-a"\n}\n';

describe('status, cancel and help', () => {
  it('/failover status answers with the table, pending PR included', async () => {
    await say('/failover checkout us-west-2');
    const pr = failoverPrs()[0] as Pull;
    await say('/failover status');
    const reply = lastReply();
    expect(reply).toMatch(/^@alice: status of acme\/infra/);
    expect(reply).toContain('| service | active | pending PR | last change | cooldown left |');
    expect(reply).toMatch(new RegExp(`\\| checkout \\| us-east-1 \\| #${pr.number} → us-west-2 \\|`));
    expect(reply).toContain('| orders-db | db-a | - |');
  });

  it('/failover cancel on the pending PR closes it, names who cancelled and deletes the branch', async () => {
    await say('/failover checkout us-west-2');
    const pr = failoverPrs()[0] as Pull;
    await say('/failover cancel', 'alice', pr.number);
    expect(pr.state).toBe('closed');
    expect(pr.merged).toBe(false);
    expect(lastReply(pr.number)).toMatch(/^@alice: cancelled by @alice/);
    expect(infra.refs.has(`refs/heads/${pr.head}`)).toBe(false);
  });

  it('/failover cancel elsewhere explains where it works and changes nothing', async () => {
    const before = double.calls.length;
    await say('/failover cancel');
    expect(lastReply()).toMatch(/^@alice: .*`\/failover cancel` works in a comment on a pending failover PR/);
    expect(incident.state).toBe('open');
    expect(mutations(double, before).sort()).toEqual(
      ['POST /repos/:o/:r/issues/:n/comments', 'POST /repos/:o/:r/issues/comments/:n/reactions'].sort(),
    );
  });

  it('answers on a plain issue (GitHub issue_comment on-issue fixture) and never cancels from there', async () => {
    // The double stores comments on PR numbers only, so the issue shares the incident PR's number.
    const onIssue = (body: string) =>
      bot.receive(
        'issue_comment',
        commentPayload(infra, { number: incident.number, body, login: 'alice', onIssue: true }),
      );
    await onIssue('/failover status');
    expect(lastReply()).toContain('| checkout | us-east-1 | - |');
    await onIssue('/failover cancel');
    expect(lastReply()).toContain('works in a comment on a pending failover PR');
    expect(incident.state).toBe('open');
  });

  it('two commands at once: one PR, and the second reply points at it', async () => {
    await Promise.all([say('/failover checkout us-west-2'), say('/failover checkout us-west-2')]);
    expect(failoverPrs()).toHaveLength(1);
    const replies = botComments(infra, incident.number);
    expect(replies).toHaveLength(2);
    expect(replies.filter((r) => r.includes('opened PR'))).toHaveLength(1);
    expect(replies.filter((r) => r.includes('already does this'))).toHaveLength(1);
  });

  it('/failover help lists the repo services', async () => {
    await say('/failover help');
    expect(lastReply()).toMatch(/^@alice: /);
    expect(lastReply()).toContain('checkout');
    expect(lastReply()).toContain('orders-db');
  });

  it('/failover drill opens a drill PR whose marker is the failover leg', async () => {
    await say('/failover drill checkout us-west-2');
    const pr = failoverPrs()[0] as Pull;
    expect(pr.labels).toContain('failover:drill');
    expect(parseMarker(pr.body)?.drill).toEqual({ leg: 'failover', before: { checkout: 'us-east-1' } });
    expect(lastReply()).toContain(
      'Merge it to apply: once the Action verifies it, the bot opens and merges the failback',
    );
  });
});
