// pull_request.closed through probot.receive: a person merging or closing a failover PR shows in its
// timeline at once; other PRs cost no API call; the payload's installation id is used (no lookup) and
// every log line of the delivery carries its id.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ChatOpsWorld,
  mutations,
  pointAt,
  type ReceivingBot,
  startChatOpsWorld,
} from '../helpers/bot-receive.js';
import type { GitHubDouble, Pull, RepoState } from '../helpers/github-double/index.js';

let double: GitHubDouble;
let bot: ReceivingBot;
let infra: RepoState;
let say: ChatOpsWorld['say'];
let failoverPrs: ChatOpsWorld['failoverPrs'];

beforeEach(async () => {
  ({ double, bot, infra, say, failoverPrs } = await startChatOpsWorld());
});
afterEach(async () => {
  await double.close();
});

/** GitHub's pull_request.closed payload (a recorded delivery) pointed at `pull`. */
function closedPayload(pull: Pull, opts: { merged: boolean; by: string; fork?: boolean }) {
  const payload = JSON.parse(readFileSync('test/fixtures/github/pull_request.closed.merged.json', 'utf8'));
  const at = '2026-11-26T04:05:00Z';
  const person = { ...payload.sender, login: opts.by, type: 'User' };
  payload.number = pull.number;
  payload.sender = person;
  Object.assign(payload.pull_request, {
    number: pull.number,
    body: pull.body,
    merged: opts.merged,
    merged_at: opts.merged ? at : null,
    merged_by: opts.merged ? person : null,
    closed_at: at,
  });
  pointAt(payload, infra);
  payload.pull_request.head = {
    ...payload.pull_request.head,
    ref: pull.head,
    repo: { ...payload.pull_request.head.repo, full_name: opts.fork ? 'mallory/infra' : 'acme/infra' },
  };
  return payload;
}

async function openFailoverPr(): Promise<Pull> {
  await say('/failover checkout us-west-2');
  const pull = failoverPrs()[0];
  if (!pull) throw new Error('no failover PR');
  return pull;
}

describe('pull_request.closed', () => {
  it('a person merging a failover PR: the timeline shows when and by whom, with no installation lookup', async () => {
    const pull = await openFailoverPr();
    const before = double.calls.length;
    await bot.receive('pull_request', closedPayload(pull, { merged: true, by: 'alice' }));
    // The login is shown, not mentioned: timeline notes are inert text (a zero-width space after @).
    expect(pull.body).toMatch(/\| merged \| 2026-11-26 04:05:00Z \(by @\u200balice\) \|/);
    expect(pull.body).toContain('<!-- gitops-failover ');
    const calls = double.calls.slice(before).map((c) => c.name);
    expect(calls).toEqual(['PATCH /repos/:o/:r/pulls/:n']);
    const lines = bot.logs.filter((l) => l.includes('failover_pr_merged'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      id: expect.stringMatching(/^test-\d+$/),
      pr: pull.number,
    });
  });

  it('closing one without merging adds a "closed without merging" row; a redelivery changes nothing', async () => {
    const pull = await openFailoverPr();
    await bot.receive('pull_request', closedPayload(pull, { merged: false, by: 'bob' }));
    expect(pull.body).toMatch(/\| closed without merging \| 2026-11-26 04:05:00Z \(by @\u200bbob\) \|/);
    const before = double.calls.length;
    await bot.receive('pull_request', closedPayload(pull, { merged: false, by: 'bob' }));
    expect(mutations(double, before)).toEqual([]);
  });

  it('ignores PRs that are not failover PRs of this repo, without an API call', async () => {
    const pull = await openFailoverPr();
    const before = double.calls.length;
    await bot.receive('pull_request', closedPayload(pull, { merged: true, by: 'alice', fork: true }));
    await bot.receive(
      'pull_request',
      closedPayload({ ...pull, head: 'feature/x' }, { merged: true, by: 'alice' }),
    );
    await bot.receive(
      'pull_request',
      closedPayload({ ...pull, body: 'no marker' }, { merged: true, by: 'alice' }),
    );
    expect(double.calls.length).toBe(before);
  });
});

describe('every webhook', () => {
  it('uses the installation id of its payload and logs with its delivery id', async () => {
    await say('/failover status');
    expect(double.calls.some((c) => c.name === 'GET /repos/:o/:r/installation')).toBe(false);
    const lines = bot.logs.filter((l) => l.includes('"event":"chatops"'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines)
      expect(JSON.parse(line)).toMatchObject({ id: expect.stringMatching(/^test-\d+$/) });
  });
});
