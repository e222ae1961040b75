// The status issue through the real port and the in-memory GitHub: found by its label, edited in place,
// at most once per interval (an alert storm costs one edit a minute and loses no refusal), linked from
// the alert endpoint's answer, and fed by refused follow-ups of the results loop.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { GitHubClient } from '../../src/github/client.js';
import { createGitHubPort } from '../../src/github/index.js';
import { DoubleState, memoryClient } from '../../src/memory-github/index.js';
import { createAlertService } from '../../src/service/alerts.js';
import { createStatusIssues, type StatusIssueDeps } from '../../src/service/status-issue.js';
import { CONFIG_TEXT, infraRepoFiles, STATE_PATH, STATE_TEXT } from '../helpers/github-double/fixtures.js';

const ALERT = JSON.parse(readFileSync('examples/alerts/alertmanager-region-down.json', 'utf8')) as unknown;
const WEST_DOWN = JSON.parse(
  readFileSync('examples/scenarios/alerts/checkout-west-down.json', 'utf8'),
) as unknown;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const T0 = Date.parse('2026-11-26T03:10:00Z');

/** The in-memory GitHub with every request counted by route, and a failure switch. */
function world() {
  const clock = { ms: T0 };
  const state = new DoubleState(() => clock.ms);
  // A second service, so refusals of different services can be told apart.
  const config = `${CONFIG_TEXT}  api:
    targets: [us-east-1, us-west-2]
    state: { file: ${STATE_PATH}, key: api_active_region }
`;
  const stateText = STATE_TEXT.replace('\n}', ',\n  "api_active_region": "us-east-1"\n}');
  const repo = state.seed(
    'acme',
    'infra',
    infraRepoFiles({ '.github/failover.yml': config, [STATE_PATH]: stateText }),
  );
  const inner = memoryClient(state);
  const calls: string[] = [];
  let failing = false;
  /** Lists answered empty, as when another replica's issue was opened just after the list was read. */
  let blindLists = 0;
  const client: GitHubClient = {
    request: async (route, params) => {
      calls.push(route);
      if (failing) throw Object.assign(new Error('Not Found'), { status: 404, response: { data: {} } });
      if (route === 'GET /repos/{owner}/{repo}/issues' && blindLists > 0) {
        blindLists--;
        return { status: 200, data: [], headers: {} };
      }
      return inner.request(route, params);
    },
    graphql: (q, v) => inner.graphql(q, v),
  };
  const timers: { due: number; run: () => Promise<void> }[] = [];
  const deps: StatusIssueDeps = {
    portFor: () => createGitHubPort({ client, owner: 'acme', repo: 'infra', now: () => clock.ms }),
    now: () => clock.ms,
    log: quiet,
    schedule: (run, delayMs) => timers.push({ due: clock.ms + delayMs, run }),
  };
  const edits = () =>
    calls.filter((c) => c.startsWith('PATCH /repos/{owner}/{repo}/issues/{issue_number}')).length;
  const creates = () => calls.filter((c) => c === 'POST /repos/{owner}/{repo}/issues').length;
  const statusIssues = () => [...repo.issues.values()].filter((i) => i.labels.includes('failover:status'));
  return {
    clock,
    state,
    repo,
    deps,
    timers,
    edits,
    creates,
    statusIssues,
    setFailing: (v: boolean) => {
      failing = v;
    },
    blindNextList: () => {
      blindLists = 1;
    },
  };
}

const refusal = (at: number, why: string, service = 'checkout') => ({
  service,
  at: new Date(at).toISOString(),
  trigger: 'alert (alertmanager)',
  reasons: [why],
});

describe('status issue', () => {
  it('opens one issue labelled failover:status (label created with its colour) showing each service', async () => {
    const w = world();
    const issues = createStatusIssues(w.deps);
    await issues.note('acme', 'infra', [refusal(T0, 'cooldown: last failover 5m ago, PR #9 (need 1h)')]);
    const [issue] = w.statusIssues();
    expect(w.statusIssues()).toHaveLength(1);
    expect(issue?.title).toBe('gitops-failover status');
    expect(w.repo.labels.get('failover:status')?.color).toBe('1d76db');
    expect(issue?.body).toContain('| checkout | us-east-1 | - | - | - |');
    expect(issue?.body).toContain('cooldown: last failover 5m ago, PR #9 (need 1h)');
    expect(issues.linkFor('acme', 'infra')).toBe(`https://github.com/acme/infra/issues/${issue?.number}`);
  });

  it('edits an alert storm in once a minute and keeps the latest refusal', async () => {
    const w = world();
    const issues = createStatusIssues(w.deps);
    await issues.note('acme', 'infra', [refusal(T0, 'first')]);
    expect([w.creates(), w.edits()]).toEqual([1, 0]);
    for (let i = 1; i <= 30; i++) {
      w.clock.ms = T0 + i * 1000;
      await issues.note('acme', 'infra', [refusal(w.clock.ms, `storm ${i}`)]);
    }
    // Inside the minute: no edit at all, one write scheduled for its end.
    expect([w.creates(), w.edits()]).toEqual([1, 0]);
    expect(w.timers.map((t) => t.due)).toEqual([T0 + 60_000]);
    expect(w.statusIssues()[0]?.body).toContain('| first |');
    w.clock.ms = T0 + 60_000;
    await w.timers[0]?.run();
    expect([w.creates(), w.edits()]).toEqual([1, 1]);
    expect(w.statusIssues()[0]?.body).toContain('storm 30');
    expect(w.statusIssues()[0]?.body).not.toContain('| first |');
  });

  it('finds an existing issue by its label and edits it in place, ignoring PRs and closed issues with it', async () => {
    const w = world();
    const person = { login: 'octocat', type: 'User' as const };
    const closed = w.state.openIssue(w.repo, { title: 'old status', labels: ['failover:status'] }, person);
    closed.state = 'closed';
    const mine = w.state.openIssue(w.repo, { title: 'Failover status', labels: ['failover:status'] }, person);
    // Another replica's refusal for a second service is already recorded in the body.
    mine.body =
      'old\n\n<!-- gitops-failover:status {"v":1,"refusals":{"checkout":{"at":"2026-11-26T03:00:00.000Z","trigger":"alert (grafana)","reasons":["older"]}}} -->';
    const issues = createStatusIssues(w.deps);
    await issues.note('acme', 'infra', [refusal(T0, 'api refused', 'api')]);
    expect(w.creates()).toBe(0);
    expect(w.edits()).toBe(1);
    expect(w.statusIssues().filter((i) => i.state === 'open')).toHaveLength(1);
    expect(mine.body).toContain(
      '| checkout | 2026-11-26T03:00:00.000Z (10m ago) | alert (grafana) | older |',
    );
    expect(closed.body).toBe('');
  });

  it('converges on one issue when another replica opened one at the same moment', async () => {
    const w = world();
    const other = w.state.openIssue(w.repo, { title: 'gitops-failover status', labels: ['failover:status'] });
    w.blindNextList();
    await createStatusIssues(w.deps).note('acme', 'infra', [refusal(T0, 'mine')]);
    const open = w.statusIssues().filter((i) => i.state === 'open');
    expect(open.map((i) => i.number)).toEqual([other.number]);
    expect(other.body).toContain('mine');
    const closed = w.statusIssues().find((i) => i.state === 'closed');
    expect([...w.repo.comments.values()].find((c) => c.issueNumber === closed?.number)?.body).toBe(
      `Duplicate of #${other.number}: one status issue per repo.`,
    );
  });

  it('keeps a refusal it could not write and writes it with the next one', async () => {
    const w = world();
    const issues = createStatusIssues(w.deps);
    w.setFailing(true);
    await expect(issues.note('acme', 'infra', [refusal(T0, 'lost?')])).resolves.toBeUndefined();
    expect(w.statusIssues()).toHaveLength(0);
    w.setFailing(false);
    w.clock.ms = T0 + 1000;
    await issues.note('acme', 'infra', [refusal(w.clock.ms, 'next', 'api')]);
    expect(w.statusIssues()[0]?.body).toContain('lost?');
    expect(w.statusIssues()[0]?.body).toContain('next');
  });

  it('is opened by the first refusal, not by a failover done, and linked from every alert answer', async () => {
    const w = world();
    const statusIssues = createStatusIssues(w.deps);
    const pending: Promise<unknown>[] = [];
    const alerts = createAlertService({
      portFor: w.deps.portFor as never,
      now: () => w.clock.ms,
      log: quiet,
      statusIssues,
      background: (task) => void pending.push(task),
    });
    const send = async (body: unknown) => {
      const answer = await alerts.handle({
        owner: 'acme',
        repo: 'infra',
        body,
        receivedAt: new Date(w.clock.ms).toISOString(),
      });
      await Promise.all(pending.splice(0));
      return answer;
    };
    const first = await send(ALERT);
    expect(first.json.decisions).toMatchObject([{ service: 'checkout', action: 'merge' }]);
    expect(first.json.statusIssue).toBe(
      'https://github.com/acme/infra/issues?q=is%3Aissue%20is%3Aopen%20label%3Afailover%3Astatus',
    );
    // A failover done is no refusal: no issue, and not one GitHub call for it.
    expect(w.statusIssues()).toHaveLength(0);
    expect(w.creates() + w.edits()).toBe(0);

    w.clock.ms = T0 + 120_000;
    const refused = await send(WEST_DOWN);
    expect(refused.json.decisions).toMatchObject([{ service: 'checkout', action: 'none' }]);
    const issue = w.statusIssues()[0];
    expect(issue?.body).toContain('| checkout | us-west-2 |');
    expect(issue?.body).toMatch(
      /\| checkout \| 2026-11-26T03:12:00.000Z \(0s ago\) \| alert \(alertmanager\) \| cooldown: /,
    );

    w.clock.ms = T0 + 300_000;
    const again = await send(WEST_DOWN);
    expect(again.json.statusIssue).toBe(`https://github.com/acme/infra/issues/${issue?.number}`);
  });
});
