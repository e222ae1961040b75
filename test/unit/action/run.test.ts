// runAction over in-memory deps: what each command does with a clock, a runner and GitHub it controls,
// so the RTO, the ordering of reports and the masking are exact.
import { describe, expect, it } from 'vitest';
import { renderMarker } from '../../../src/core/render/index.js';
import { parseVerifyMarker } from '../../../src/core/render/verify-record.js';
import type { FailoverMarker } from '../../../src/core/types.js';
import { GitHubError } from '../../../src/github/index.js';
import {
  fakeRunner,
  inputs,
  passingVerify,
  recordingGitHub,
  report,
  runWithFakes,
} from '../../helpers/action-fakes.js';
import { CDKTN_APPLY_STEPS } from '../../helpers/cdktn-repo.js';

const FILE = 'envs/prod/failover.auto.tfvars.json';
const CONFIG = `version: 1
services:
  checkout:
    targets: [us-east-1, us-west-2]
    state: { file: ${FILE}, key: checkout }
    verify: { checks: [{ name: h, http: { url: "http://127.0.0.1:1/{target}" } }] }
  edge:
    targets: [us-east-1, us-west-2, eu-west-1]
    mode: weighted
    weights: { us-east-1: 50, us-west-2: 30, eu-west-1: 20 }
    state: { file: ${FILE}, key: edge }
    verify: { checks: [{ name: h, http: { url: "http://127.0.0.1:1/{target}" } }] }
`;
const BEFORE = JSON.stringify({
  checkout: 'us-east-1',
  edge: { 'us-east-1': 50, 'us-west-2': 30, 'eu-west-1': 20 },
});
const AFTER = JSON.stringify({
  checkout: 'us-west-2',
  edge: { 'us-east-1': 0, 'us-west-2': 60, 'eu-west-1': 40 },
});
const commits = {
  aaaaaaa1: { '.github/failover.yml': CONFIG, [FILE]: BEFORE },
  bbbbbbb2: { '.github/failover.yml': CONFIG, [FILE]: AFTER },
};
/** The flip commit checked out, as the runner leaves it. */
const flipped = { commits, working: commits.bbbbbbb2, sha: 'bbbbbbb2' };
const PUSH = { before: 'aaaaaaa1', after: 'bbbbbbb2' };
const PULL_REQUEST = { pull_request: { number: 7, base: { sha: 'aaaaaaa1' }, head: { sha: 'bbbbbbb2' } } };

const marker: FailoverMarker = {
  v: 1,
  kind: 'auto',
  services: ['checkout', 'edge'],
  changes: [],
  startedAt: '2026-11-26T03:00:00.000Z',
  receivedAt: '2026-11-26T03:00:05.000Z',
  fingerprints: [],
  trigger: { type: 'alert', sources: ['alertmanager'] },
};

describe('runAction apply', () => {
  it('verifies every serving target at once and computes the RTO from the marker to the last check', async () => {
    const iacCalls: string[] = [];
    const verified: string[] = [];
    const github = recordingGitHub({ prBody: `why\n\n${renderMarker(marker)}` });
    const { result, io } = await runWithFakes({
      inputs: inputs({ githubToken: 'ghs_tok' }),
      ...flipped,
      payload: PUSH,
      iac: fakeRunner(iacCalls),
      github,
      verify: async (_checks, { target }) => {
        verified.push(target);
        // the last check finishes 212 s after the first alert
        return report(true, target === 'eu-west-1' ? '2026-11-26T03:03:32.000Z' : '2026-11-26T03:03:00.000Z');
      },
    });
    expect(result).toMatchObject({
      ok: true,
      changedServices: ['checkout', 'edge'],
      verified: true,
      rtoSeconds: 212,
    });
    expect(iacCalls).toEqual(['init', 'plan', 'show', 'apply']);
    // weighted: only targets that keep traffic are verified (us-east-1 went to 0)
    expect(verified.sort()).toEqual(['eu-west-1', 'us-west-2', 'us-west-2']);
    expect(io.outputs).toEqual({
      'changed-services': 'checkout,edge',
      'plan-summary': '2 to update, 0 to create, 0 to delete, 1 to replace',
      verified: 'true',
      'rto-seconds': '212',
    });
    expect(github.calls.map((c) => c.verb)).toEqual([
      'findPrForCommit',
      'createCheckRun',
      'ensureComment',
      'createDeployment',
      'createDeploymentStatus',
      'createDeployment',
      'createDeploymentStatus',
    ]);
    // the token is masked before any log line
    expect(io.lines[0]).toBe('mask: ghs_tok');
    // the sensitive plan value is masked too
    expect(io.secrets).toContain('tok-fixture-west-2b81e4');
    expect(io.failed).toEqual([]);
  });

  it('a push without a failover PR reports no RTO but still verifies and reports', async () => {
    const github = recordingGitHub();
    const { result, io } = await runWithFakes({
      inputs: inputs({ githubToken: 'ghs_tok', services: ['checkout'] }),
      ...flipped,
      payload: PUSH,
      github,
    });
    expect(result).toMatchObject({ ok: true, changedServices: ['checkout'], rtoSeconds: undefined });
    expect(io.outputs['rto-seconds']).toBe('');
    expect(github.calls.map((c) => c.verb)).not.toContain('ensureComment');
  });

  it('a first push (before = 000…) treats every configured flag as new', async () => {
    const { result, io } = await runWithFakes({
      inputs: inputs(),
      ...flipped,
      payload: { before: '0000000000000000000000000000000000000000', after: 'bbbbbbb2' },
    });
    expect(result.changedServices).toEqual(['checkout', 'edge']);
    expect(io.lines).toContain('warning: no github-token: the result is in the job summary only');
  });
});

describe('runAction apply when GitHub is down', () => {
  it('applies and verifies anyway when the PR lookup fails, then fails the job saying what was not reported', async () => {
    const iacCalls: string[] = [];
    const github = recordingGitHub({
      fail: ['findPrForCommit'],
      error: new GitHubError(502, true, 'Bad Gateway'),
    });
    const { result, io } = await runWithFakes({
      inputs: inputs({ githubToken: 'ghs_tok', services: ['checkout'] }),
      ...flipped,
      payload: PUSH,
      iac: fakeRunner(iacCalls),
      github,
    });
    expect(iacCalls).toEqual(['init', 'plan', 'show', 'apply']);
    expect(result).toMatchObject({ ok: false, verified: true, rtoSeconds: undefined });
    expect(io.failed).toEqual(['reporting to GitHub failed: find the failover PR: HTTP 502: Bad Gateway']);
    expect(github.calls.map((c) => c.verb)).toEqual([
      'findPrForCommit',
      'createCheckRun',
      'createDeployment',
      'createDeploymentStatus',
    ]);
    expect(io.lines).toContain(
      'warning: find the failover PR: HTTP 502: Bad Gateway; applying anyway (no RTO, no PR comment)',
    );
  });
});

describe('runAction apply by hand', () => {
  it('without before/after in the event (workflow_dispatch) re-applies every filtered service at GITHUB_SHA', async () => {
    const iacCalls: string[] = [];
    const { result } = await runWithFakes({
      inputs: inputs({ services: ['edge'] }),
      ...flipped,
      payload: { inputs: {} },
      iac: fakeRunner(iacCalls),
    });
    expect(result).toMatchObject({ ok: true, changedServices: ['edge'], verified: true });
    expect(iacCalls).toEqual(['init', 'plan', 'show', 'apply']);
  });
});

describe('runAction plan', () => {
  it('keeps the plan in the job summary and fails with the HTTP status when GitHub refuses the comment', async () => {
    const github = recordingGitHub({
      fail: ['ensureComment'],
      error: new GitHubError(403, false, 'Resource not accessible by integration'),
    });
    const { result, io } = await runWithFakes({
      inputs: inputs({ command: 'plan', githubToken: 'ghs_tok' }),
      ...flipped,
      payload: PULL_REQUEST,
      github,
    });
    expect(result.ok).toBe(false);
    expect(io.failed[0]).toMatch(
      /^HTTP 403: Resource not accessible by integration \(.*pull-requests: write/,
    );
    expect(io.summaries[0]).toContain('ready to merge');
    expect(io.summaries[1]).toContain('| report to GitHub | **failed** |');
  });

  it('a failed plan step is in the comment and the check run, and no preflight runs', async () => {
    const github = recordingGitHub();
    let preflights = 0;
    const { result } = await runWithFakes({
      inputs: inputs({ command: 'plan', githubToken: 'ghs_tok' }),
      ...flipped,
      payload: PULL_REQUEST,
      iac: fakeRunner([], 'plan'),
      github,
      verify: async () => {
        preflights++;
        return report(true, '2026-11-26T03:03:00.000Z');
      },
    });
    expect(result.ok).toBe(false);
    expect(preflights).toBe(0);
    // biome-ignore lint/suspicious/noExplicitAny: recorded call arguments
    const check = github.calls.find((c) => c.verb === 'createCheckRun')?.args[0] as any;
    expect(check).toMatchObject({ name: 'gitops-failover/plan', headSha: 'bbbbbbb2', conclusion: 'failure' });
    expect(check.output.summary).toContain('| terraform plan | **failed** |');
  });
});

describe('runAction with iac cdktn and iac none', () => {
  it('cdktn: synthesises first, then runs the Terraform steps, named after the CLI that runs them', async () => {
    const iacCalls: string[] = [];
    const github = recordingGitHub();
    const { result, io } = await runWithFakes({
      inputs: inputs({ iac: 'cdktn', stack: 'prod', githubToken: 'ghs_tok' }),
      ...flipped,
      payload: PUSH,
      iac: fakeRunner(iacCalls),
      github,
    });
    expect(result).toMatchObject({ ok: true, verified: true });
    expect(iacCalls).toEqual(['synth', 'init', 'plan', 'show', 'apply']);
    const groups = io.lines.filter((l) => l.startsWith('group: ')).map((l) => l.slice(7));
    expect(groups).toEqual(CDKTN_APPLY_STEPS);
  });

  it('none: runs no IaC step on push, verifies, and reports as after an apply', async () => {
    const iacCalls: string[] = [];
    const github = recordingGitHub({ prBody: `why\n\n${renderMarker(marker)}` });
    const { result, io } = await runWithFakes({
      inputs: inputs({ iac: 'none', githubToken: 'ghs_tok' }),
      ...flipped,
      payload: PUSH,
      iac: fakeRunner(iacCalls),
      github,
      verify: passingVerify('2026-11-26T03:04:00.000Z'),
    });
    expect(iacCalls).toEqual([]);
    expect(result).toMatchObject({ ok: true, verified: true, rtoSeconds: 240, planSummary: '' });
    expect(github.calls.map((c) => c.verb)).toEqual([
      'findPrForCommit',
      'createCheckRun',
      'ensureComment',
      'createDeployment',
      'createDeploymentStatus',
      'createDeployment',
      'createDeploymentStatus',
    ]);
    // biome-ignore lint/suspicious/noExplicitAny: recorded call arguments
    const check = github.calls[1]?.args[0] as any;
    expect(check.output.summary).toContain('### gitops-failover apply: applied and verified');
    expect(check.output.summary).toContain('Applied by the GitOps controller (`iac: none`)');
    expect(check.output.summary).not.toContain('Terraform:');
    expect(parseVerifyMarker(check.output.summary)).toMatchObject({
      applied: true,
      verified: true,
      rtoSeconds: 240,
    });
    expect(io.lines).toContain(
      'iac none: the GitOps controller applies the pushed change; waiting for it to take effect',
    );
  });

  it('none: a plan runs the preflight only and says the controller applies', async () => {
    const iacCalls: string[] = [];
    const github = recordingGitHub();
    const { result } = await runWithFakes({
      inputs: inputs({ command: 'plan', iac: 'none', githubToken: 'ghs_tok' }),
      ...flipped,
      payload: PULL_REQUEST,
      iac: fakeRunner(iacCalls),
      github,
    });
    expect(result.ok).toBe(true);
    expect(iacCalls).toEqual([]);
    // biome-ignore lint/suspicious/noExplicitAny: recorded call arguments
    const comment = github.calls.find((c) => c.verb === 'ensureComment')?.args[2] as any;
    expect(comment).toContain('### gitops-failover plan: ready to merge');
    expect(comment).toContain('Applied by the GitOps controller (`iac: none`)');
    expect(comment).not.toContain('#### Terraform');
  });
});
