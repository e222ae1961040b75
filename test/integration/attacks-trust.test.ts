// The trust attack table: what an outsider, a neighbouring app or a person with less than the needed
// rights can send, driven through the real bot HTTP server (signed webhook deliveries, the alert
// endpoint) into the in-memory GitHub. Every case asserts the bot's answer and that GitHub saw no change,
// or exactly the one safe change.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseMarker } from '../../src/core/render/index.js';
import {
  ATTACK_CONFIG,
  type AttackWorld,
  checkoutMarker,
  copiedSignedMarker,
  REGION_DOWN,
  STATE,
  startAttackWorld,
} from '../helpers/attack-world.js';
import { APP_BOT } from '../helpers/github-double/index.js';

let w: AttackWorld;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => {
  nock.enableNetConnect();
});
beforeEach(async () => {
  w = await startAttackWorld();
});
afterEach(async () => {
  await w.close();
});

const TO_WEST = [{ service: 'checkout', from: 'us-east-1', to: 'us-west-2' }];
const logged = (text: string) => w.bot.logs.some((l) => l.includes(text));

describe('results loop: only GitHub Actions check runs on the merge commit of our own signed PR', () => {
  it('R1 a check run created by another app, forging a rollback of a real failover, changes nothing', async () => {
    const { pr, sha } = await w.mergedFailover('/failover checkout us-west-2');
    const before = w.digest();
    const answer = await w.checkRun(
      { sha, pr: pr.number, changes: TO_WEST, verified: false, failure: 'forged' },
      { app: { id: 29310, slug: 'octocoders-linter', name: 'Octocoders-linter' } },
    );
    expect(answer.status).toBe(200);
    expect(w.digest()).toBe(before);
    expect(logged('check run created by octocoders-linter, not by GitHub Actions')).toBe(true);
  });

  it('R2 a verify check run without an app is refused', async () => {
    const { pr, sha } = await w.mergedFailover('/failover checkout us-west-2');
    const before = w.digest();
    await w.checkRun({ sha, pr: pr.number, changes: TO_WEST, verified: false }, { app: {} });
    expect(w.digest()).toBe(before);
    expect(logged('check run created by (unknown app), not by GitHub Actions')).toBe(true);
  });

  it('R3 an app whose slug only looks like GitHub Actions is refused', async () => {
    const { pr, sha } = await w.mergedFailover('/failover checkout us-west-2');
    const before = w.digest();
    await w.checkRun(
      { sha, pr: pr.number, changes: TO_WEST, verified: false },
      { app: { id: 1, slug: 'github-actions-ci', name: 'GitHub Actions' } },
    );
    expect(w.digest()).toBe(before);
    expect(logged('check run created by github-actions-ci')).toBe(true);
  });

  it('R4 a GitHub Actions run on the head of an open (unmerged) failover PR is not a result', async () => {
    await w.comment('/failover checkout us-west-2');
    const pr = w.botPrs().at(-1)!;
    const head = w.double.state.headSha(w.infra, pr.head)!;
    const before = w.digest();
    await w.checkRun({ sha: head, pr: pr.number, changes: TO_WEST, verified: false });
    expect(w.digest()).toBe(before);
    expect(pr.state).toBe('open');
  });

  it('R5 the merge commit of a person’s PR carrying a copied, validly signed marker is not ours', async () => {
    const { sha } = w.foreignPull({
      head: 'failover/checkout',
      body: copiedSignedMarker(checkoutMarker()),
      merge: true,
    });
    const before = w.digest();
    await w.checkRun({ sha, changes: TO_WEST, verified: false });
    expect(w.digest()).toBe(before);
    expect(w.botPrs()).toHaveLength(0);
    expect(logged('opened by mallory, not by the app')).toBe(true);
  });

  it('R6 the merge commit of a fork’s PR (even one claiming the bot as author) is not ours', async () => {
    const { sha } = w.foreignPull({
      head: 'failover/checkout',
      body: copiedSignedMarker(checkoutMarker()),
      user: APP_BOT,
      headRepo: 'mallory/infra',
      merge: true,
    });
    const before = w.digest();
    await w.checkRun({ sha, changes: TO_WEST, verified: false });
    expect(w.digest()).toBe(before);
    expect(logged('its branch is in a fork')).toBe(true);
  });

  it('R7 a bot PR whose marker was edited (another target) is ignored and reported', async () => {
    const { pr, sha } = await w.mergedFailover('/failover checkout us-west-2');
    pr.body = pr.body
      .replace('"to":"us-west-2"', '"to":"us-east-1"')
      .replace('"from":"us-east-1"', '"from":"us-west-2"');
    const before = w.digest();
    await w.checkRun({ sha, pr: pr.number, changes: TO_WEST, verified: false });
    expect(w.digest()).toBe(before);
    expect(logged('marker_untrusted')).toBe(true);
    expect(logged('does not verify')).toBe(true);
  });

  it('R8 a bot PR whose marker lost its signature is ignored and reported', async () => {
    const { pr, sha } = await w.mergedFailover('/failover checkout us-west-2');
    pr.body = pr.body.replace(/ sig=v1\.[A-Za-z0-9_-]{43}/, '');
    const before = w.digest();
    await w.checkRun({ sha, pr: pr.number, changes: TO_WEST, verified: false });
    expect(w.digest()).toBe(before);
    expect(logged('the marker carries no signature')).toBe(true);
  });

  it('R9 a record naming another service and target rolls back only what the PR changed, to where it was', async () => {
    const { pr, sha } = await w.mergedFailover('/failover checkout us-west-2');
    const prsBefore = w.botPrs().length;
    await w.checkRun({
      sha,
      pr: pr.number,
      changes: [{ service: 'payments', from: 'eu-central-1', to: 'eu-west-1' }],
      verified: false,
      failure: 'health 503',
    });
    const prs = w.botPrs();
    expect(prs).toHaveLength(prsBefore + 1);
    const rollback = parseMarker(prs.at(-1)!.body);
    expect(rollback?.kind).toBe('rollback');
    expect(rollback?.changes).toEqual([{ service: 'checkout', from: 'us-west-2', to: 'us-east-1' }]);
    expect(prs.at(-1)!.merged).toBe(true);
    expect(w.state()).toEqual({
      checkout_active_region: 'us-east-1',
      payments_active_region: 'eu-west-1',
      orders_db_primary: 'db-a',
    });
  });

  it('R10 a record that says verified while the check failed (or the reverse) is not believed', async () => {
    const { pr, sha } = await w.mergedFailover('/failover checkout us-west-2');
    const before = w.digest();
    await w.checkRun({ sha, pr: pr.number, changes: TO_WEST, verified: true }, { conclusion: 'failure' });
    await w.checkRun({ sha, pr: pr.number, changes: TO_WEST, verified: false }, { conclusion: 'success' });
    expect(w.digest()).toBe(before);
    expect(logged('the record says verified=true but the check concluded failure')).toBe(true);
  });

  it('R11 a record pointing at another PR’s merge commit is judged by the check run’s own head_sha', async () => {
    const { pr, sha } = await w.mergedFailover('/failover checkout us-west-2');
    const other = w.foreignPull({ head: 'docs', body: 'docs', merge: true });
    const before = w.digest();
    const payload = { sha: other.sha, pr: pr.number, changes: TO_WEST, verified: false };
    // The record says `sha`, the run was on the docs commit: the docs commit is what counts.
    await w.checkRun({ ...payload, sha: other.sha });
    const forged = await w.checkRun({ ...payload, sha: other.sha });
    expect(forged.status).toBe(200);
    expect(w.digest()).toBe(before);
    expect(sha).not.toBe(other.sha);
    expect(pr.body).not.toContain('gitops-failover:result');
  });

  it('R12 a failed workflow run on a person’s PR with a copied marker gets no comment', async () => {
    const { pr, sha } = w.foreignPull({
      head: 'failover/checkout',
      body: copiedSignedMarker(checkoutMarker()),
      merge: true,
    });
    const before = w.digest();
    await w.workflowRun(sha);
    expect(w.digest()).toBe(before);
    expect([...w.infra.comments.values()].filter((c) => c.issueNumber === pr.number)).toHaveLength(0);
  });
});

describe('history: only the app’s own merged PRs from this repo with a signed marker count', () => {
  it('H1 control: a real failover merged an hour ago blocks the next automatic one by cooldown', async () => {
    await w.mergedFailover('/failover checkout us-west-2');
    await w.comment('/failback checkout');
    const failback = w.botPrs().at(-1)!;
    w.double.state.merge(w.infra, failback, 'squash');
    // Issue 7: manual moves use the automatic budget only with count_manual (the control needs them to).
    w.double.state.push(w.infra, w.infra.defaultBranch, {
      '.github/failover.yml': ATTACK_CONFIG.replace('cooldown: 6h', 'cooldown: 6h\n      count_manual: true'),
    });
    const before = w.digest();
    const answer = await w.alert();
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('cooldown');
    expect(w.digest()).toBe(before);
  });

  it('H2 a fork’s merged failover/ PR with a copied signed marker does not block a real failover', async () => {
    w.foreignPull({
      head: 'failover/checkout',
      body: copiedSignedMarker(checkoutMarker({ kind: 'auto' })),
      headRepo: 'mallory/infra',
      merge: true,
    });
    const answer = await w.alert();
    expect(answer.status).toBe(200);
    expect(answer.text).not.toContain('cooldown');
    expect(w.botPrs()).toHaveLength(1);
    expect(w.botPrs()[0]!.merged).toBe(true);
    expect(w.state().checkout_active_region).toBe('us-west-2');
    expect(logged('marker_untrusted')).toBe(true);
  });

  it('H3 a person’s merged PR from a repo branch with a copied signed marker is not history', async () => {
    w.foreignPull({ head: 'failover/checkout', body: copiedSignedMarker(checkoutMarker()), merge: true });
    const answer = await w.alert();
    expect(answer.status).toBe(200);
    expect(answer.text).not.toContain('cooldown');
    expect(w.state().checkout_active_region).toBe('us-west-2');
  });

  it('H4 an app PR with an unsigned marker (typed into its body) is not history, and is reported', async () => {
    const { pr } = await w.mergedFailover('/failover checkout us-west-2');
    await w.comment('/failback checkout');
    const failback = w.botPrs().at(-1)!;
    w.double.state.merge(w.infra, failback, 'squash');
    for (const p of [pr, failback]) p.body = p.body.replace(/ sig=v1\.[A-Za-z0-9_-]{43}/, '');
    const answer = await w.alert();
    expect(answer.status).toBe(200);
    expect(answer.text).not.toContain('cooldown');
    expect(w.state().checkout_active_region).toBe('us-west-2');
    expect(logged('marker_untrusted')).toBe(true);
  });

  it('H5 a person’s open PR on failover/checkout is never adopted or merged by an alert', async () => {
    const { pr } = w.foreignPull({
      head: 'failover/checkout',
      body: copiedSignedMarker(checkoutMarker()),
      files: { 'envs/prod/failover.auto.tfvars.json': '{"checkout_active_region":"attacker"}\n' },
    });
    const before = w.digest();
    const answer = await w.alert();
    // Retryable for the sender; the log names the branch someone else holds.
    expect(answer.status).toBe(503);
    expect(logged('branch failover/checkout exists but no open pull request uses it yet')).toBe(true);
    expect(pr.state).toBe('open');
    expect(pr.merged).toBe(false);
    expect(w.state().checkout_active_region).toBe('us-east-1');
    expect(w.botPrs()).toHaveLength(0);
    expect(JSON.parse(w.digest()).pulls).toEqual(JSON.parse(before).pulls);
  });
});

describe('ChatOps: a command is what Markdown shows as a plain line of a paragraph', () => {
  const hidden: [string, string][] = [
    ['C1 inside an HTML comment opened mid-line', 'Notes <!--\n/failover checkout us-west-2\n-->'],
    ['C2 inside a code span across lines', 'see `x\n/failover checkout us-west-2\n` above'],
    ['C3 inside an HTML block', '<details>\n/failover checkout us-west-2\n</details>'],
    ['C4 in a lazy block-quote continuation', '> should we\n/failover checkout us-west-2'],
    ['C5 in a fenced block with a longer fence', '````\n```\n/failover checkout us-west-2\n````'],
    ['C6 behind a backslash escape', '\\/failover checkout us-west-2'],
  ];
  it.each(hidden)('%s never runs and gets no reply', async (_name, body) => {
    const before = w.digest();
    const answer = await w.comment(body);
    expect(answer.status).toBe(200);
    expect(w.digest()).toBe(before);
    expect(w.botPrs()).toHaveLength(0);
  });

  it('C7 arguments smuggled past a U+2028 line separator: one reply, nothing opened', async () => {
    const before = JSON.parse(w.digest());
    await w.comment('/failover checkout us-west-2\u2028--force safety --reason "hidden"');
    expect(w.botPrs()).toHaveLength(0);
    expect(w.botComments().at(-1)).toContain('Unicode line separator');
    expect(JSON.parse(w.digest()).refs).toEqual(before.refs);
  });

  it('C8 a non-collaborator repeating a command gets one reply an hour, and nothing changes', async () => {
    const before = JSON.parse(w.digest());
    for (let i = 0; i < 3; i++) await w.comment('/failover checkout us-west-2', 'mallory');
    await w.comment('/failover checkout us-west-2', 'trudy');
    const replies = w.botComments();
    expect(replies.filter((r) => r.startsWith('@mallory'))).toHaveLength(1);
    expect(replies.filter((r) => r.startsWith('@trudy'))).toHaveLength(1);
    expect(replies[0]).toContain('this needs `write` permission');
    expect(w.botPrs()).toHaveLength(0);
    expect(JSON.parse(w.digest()).refs).toEqual(before.refs);
    expect(logged('chatops_refused_quietly')).toBe(true);
  });

  it('C9 a bot account’s command is ignored', async () => {
    const before = w.digest();
    const payload = await w.comment('/failover checkout us-west-2', 'renovate[bot]');
    expect(payload.status).toBe(200);
    expect(w.digest()).toBe(before);
  });
});

describe('cancel never deletes commits someone else pushed', () => {
  it('K1 a pushed-to failover PR is closed, its branch kept, and the reply says so', async () => {
    await w.comment('/failover checkout us-west-2');
    const pr = w.botPrs().at(-1)!;
    const bobs = w.double.state.push(
      w.infra,
      pr.head,
      { 'notes/fix.md': 'my fix\n' },
      { login: 'bob', type: 'User' },
    );
    await w.comment('/failover cancel', 'alice', pr.number);
    expect(pr.state).toBe('closed');
    expect(pr.merged).toBe(false);
    expect(w.infra.refs.get(`refs/heads/${pr.head}`)).toBe(bobs.sha);
    expect(w.botComments(pr.number).at(-1)).toContain(`The branch \`${pr.head}\` is kept`);
    expect(w.state().checkout_active_region).toBe('us-east-1');
  });

  it('K2 control: a PR holding only the bot’s commit is closed and its branch deleted', async () => {
    await w.comment('/failover checkout us-west-2');
    const pr = w.botPrs().at(-1)!;
    await w.comment('/failover cancel', 'alice', pr.number);
    expect(pr.state).toBe('closed');
    expect(w.infra.refs.has(`refs/heads/${pr.head}`)).toBe(false);
    expect(w.botComments(pr.number).at(-1)).toContain('deleting its branch');
  });
});

describe('config: names and matchers', () => {
  const setConfig = (yaml: string) =>
    w.double.state.push(w.infra, w.infra.defaultBranch, { '.github/failover.yml': yaml });

  it('N1 a service group-x beside a group x is a config error: the alert changes nothing', async () => {
    setConfig(
      `${ATTACK_CONFIG}groups:\n  payments: [payments, group-payments]\n`.replace(
        '  orders-db:',
        `  group-payments:\n    kind: dns\n    targets: [eu-west-1, eu-central-1]\n    state: { file: ${STATE}, key: other }\n  orders-db:`,
      ),
    );
    const before = w.digest();
    const answer = await w.alert();
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('failover/group-payments is also the branch of service');
    expect(w.digest()).toBe(before);
  });

  it('N2 a service name that is not a git ref component is a config error', async () => {
    setConfig(ATTACK_CONFIG.replace('  payments:', '  pay..ments:'));
    const before = w.digest();
    const answer = await w.alert();
    expect(answer.text).toContain("must be a valid git branch name: no '..'");
    expect(w.digest()).toBe(before);
  });

  it('M1 a catastrophic regex and a 256 KiB label: the bot answers and stays healthy', async () => {
    setConfig(ATTACK_CONFIG.replace(`'service=~"checkout|all"'`, `'service=~"([a-z]+-?)*"'`));
    const alert = JSON.parse(REGION_DOWN) as { alerts: { labels: Record<string, string> }[] };
    for (const a of alert.alerts) a.labels.service = `${'a'.repeat(256 * 1024)}!`;
    const before = w.digest();
    const answer = await w.alert(JSON.stringify(alert));
    expect(answer.status).toBe(200);
    expect(w.digest()).toBe(before);
    const health = await fetch(`${w.bot.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('M2 a lookaround (which Alertmanager refuses) is a config error, not a silent mismatch', async () => {
    setConfig(ATTACK_CONFIG.replace(`'service=~"checkout|all"'`, `'service=~"(?!x)checkout"'`));
    const before = w.digest();
    const answer = await w.alert();
    expect(answer.text).toContain('lookarounds');
    expect(w.digest()).toBe(before);
  });

  it('M3 target_label constructor: an alert without it is blocked, never read from Object.prototype', async () => {
    setConfig(ATTACK_CONFIG.replace('target_label: region', 'target_label: constructor'));
    const before = w.digest();
    const answer = await w.alert();
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('constructor');
    expect(w.digest()).toBe(before);
    expect(w.state().checkout_active_region).toBe('us-east-1');
  });
});

describe('rendering: outside text cannot write markers, mentions, images or links', () => {
  const TIMELINE = '<!-- gitops-failover:timeline -->';

  it('P1 a --reason holding the timeline marker leaves the trace, diff and timeline intact', async () => {
    const hostile = `${TIMELINE} @octocat ![x](https://evil.example/x.png)`;
    const { pr, sha } = await w.mergedFailover(`/failover checkout us-west-2 --reason "${hostile}"`);
    expect(pr.body.split(TIMELINE)).toHaveLength(2);
    await w.checkRun({ sha, pr: pr.number, changes: TO_WEST, verified: true, rtoSeconds: 60 });
    expect(pr.body.split(TIMELINE)).toHaveLength(2);
    expect(pr.body).toContain('### Decision trace');
    expect(pr.body).toContain('```diff');
    expect(pr.body).toMatch(/\| verified \| /);
    expect(parseMarker(pr.body)?.trigger).toMatchObject({ type: 'command' });
  });

  it('P2 alert labels, annotations and URLs: no mention, image, foreign link or marker reaches the PR', async () => {
    const alert = JSON.parse(REGION_DOWN) as {
      alerts: {
        labels: Record<string, string>;
        annotations: Record<string, string>;
        generatorURL?: string;
      }[];
    };
    for (const a of alert.alerts) {
      a.labels.team = '@acme/everyone <!-- gitops-failover {"v":1} -->';
      a.annotations.summary =
        '![pwned](https://evil.example/x.png) [click](https://evil.example) www.evil.example';
      a.generatorURL = 'javascript:alert(1)';
    }
    const answer = await w.alert(JSON.stringify(alert));
    expect(answer.status).toBe(200);
    const pr = w.botPrs().at(-1)!;
    const body = pr.body;
    expect(body).not.toMatch(/@(?!\u200b)acme/);
    expect(body).not.toContain('![pwned]');
    expect(body).not.toContain('](https://evil');
    expect(body).not.toContain('](javascript');
    expect(body).not.toContain('www.evil');
    // One marker only, the bot's (it verifies: history and the results loop still believe it).
    expect(body.split('<!-- gitops-failover ')).toHaveLength(2);
    expect(parseMarker(body)?.services).toEqual(['checkout']);
  });

  it('P3 echoed input is capped: a 100 KiB label value does not come back whole in the answer or the PR', async () => {
    const alert = JSON.parse(REGION_DOWN) as { alerts: { labels: Record<string, string> }[] };
    for (const a of alert.alerts) a.labels.region = `x${'y'.repeat(100 * 1024)}`;
    const answer = await w.alert(JSON.stringify(alert));
    expect(answer.status).toBe(200);
    expect(answer.text.length).toBeLessThan(20_000);
    expect(w.botPrs()).toHaveLength(0);
    expect(w.bot.logs.every((l) => l.length < 40_000)).toBe(true);
  });
});

describe('files', () => {
  it('F1 a state file saved with a UTF-8 BOM fails over like any other (read, edit and safety agree)', async () => {
    w.double.state.push(w.infra, w.infra.defaultBranch, {
      [STATE]: `\uFEFF${w.double.state.files(w.infra)[STATE]}`,
    });
    const answer = await w.alert();
    expect(answer.status).toBe(200);
    expect(answer.text).not.toContain('no longer parses');
    const text = w.double.state.files(w.infra)[STATE] ?? '';
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(w.state()).toEqual({
      checkout_active_region: 'us-west-2',
      payments_active_region: 'eu-west-1',
      orders_db_primary: 'db-a',
    });
  });
});
