// A command from someone with the permission is the decision: by default its PR is merged the way the
// port merges (directly when clean, auto-merge when branch protection wants more first).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  botComments,
  CHATOPS_CONFIG,
  type ChatOpsWorld,
  STATE_FILE,
  startChatOpsWorld,
} from '../helpers/bot-receive.js';
import type { GitHubDouble, Pull, RepoState } from '../helpers/github-double/index.js';

const MERGING_CONFIG = CHATOPS_CONFIG.replace(/\n\s*merge: false[^\n]*/, '');

let double: GitHubDouble;
let infra: RepoState;
let incident: Pull;
let say: ChatOpsWorld['say'];
let failoverPrs: ChatOpsWorld['failoverPrs'];

beforeEach(async () => {
  ({ double, infra, incident, say, failoverPrs } = await startChatOpsWorld({
    files: { '.github/failover.yml': MERGING_CONFIG },
  }));
});

afterEach(async () => {
  await double.close();
});

describe('commands merge their PR by default', () => {
  it('merges a clean PR at once and says the Action applies it next', async () => {
    expect(MERGING_CONFIG).not.toContain('merge: false');
    await say('/failover checkout us-west-2');
    const [pr] = failoverPrs();
    expect(pr?.merged).toBe(true);
    expect(double.state.files(infra)[STATE_FILE]).toContain('"checkout_active_region": "us-west-2"');
    expect(botComments(infra, incident.number).at(-1)).toMatch(
      /^@alice: opened PR #\d+: .*Merged: the Action then applies/,
    );
  });

  it('hands over to auto-merge when required checks are pending, leaving the default branch untouched', async () => {
    infra.flags.requiredChecksPending = true;
    await say('/failover checkout us-west-2');
    const [pr] = failoverPrs();
    expect(pr?.merged).toBe(false);
    expect(pr?.state).toBe('open');
    expect(double.state.files(infra)[STATE_FILE]).toContain('"checkout_active_region": "us-east-1"');
    expect(botComments(infra, incident.number).at(-1)).toContain('Auto-merge is on');
  });
});
