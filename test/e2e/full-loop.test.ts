// The whole product loop in one test, with real parts wherever a user has them: an Alertmanager
// notification reaches the bot over HTTP, the bot opens and merges the failover PR in the GitHub double,
// the Action applies the merge commit with the real terraform binary and verifies the new region against
// a real HTTP server, reports a check run, and a second bot replica (the bot is stateless) reads that
// check run and writes the applied/verified times and the recovery time into the PR's timeline.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionIo } from '../../src/action/io.js';
import { runAction } from '../../src/action/run.js';
import { formatDuration } from '../../src/core/duration.js';
import { parseMarker } from '../../src/core/render/index.js';
import { parseVerifyMarker } from '../../src/core/render/verify-record.js';
import { createGitHubPort } from '../../src/github/index.js';
import { createIacRunner } from '../../src/iac/runner.js';
import { runChecks } from '../../src/verify/index.js';
import { terraformMissing } from '../helpers/action-harness.js';
import { type BotHarness, startBot } from '../helpers/bot-harness.js';
import { loadBot } from '../helpers/bot-receive.js';
import {
  DoubleState,
  doubleClient,
  type GitHubDouble,
  type RepoState,
  startGitHubDouble,
} from '../helpers/github-double/index.js';
import { type RunningHttpTarget, startHttpTarget } from '../helpers/probe-targets.js';

const TOKEN = 'e2e-alert-token-7f3a';
const STATE = 'envs/prod/failover.auto.tfvars.json';
const skipReason = terraformMissing();
if (skipReason) console.log(`skipping the full-loop e2e test: ${skipReason}`);

function config(healthUrl: string): string {
  return `version: 1
services:
  checkout:
    kind: dns
    targets: [us-east-1, us-west-2]
    state: { file: ${STATE}, key: checkout_active_region }
    alerts:
      - matchers: ['alertname="RegionDown"', 'service="checkout"']
        target_label: region
    automation:
      on_alert: merge
      min_severity: critical
      quorum: { label: probe, min: 2 }
    verify:
      timeout: 20s
      checks:
        - name: health
          http: { url: "${healthUrl}/{target}/healthz", status: 200 }
          interval: 200ms
          successes: 2
`;
}

function alertmanagerPayload(startsAt: string) {
  const alert = (probe: string) => ({
    status: 'firing',
    labels: {
      alertname: 'RegionDown',
      service: 'checkout',
      region: 'us-east-1',
      severity: 'critical',
      probe,
    },
    annotations: { summary: 'checkout unreachable in us-east-1' },
    startsAt,
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus.example/graph?g0.expr=up',
    fingerprint: `fp-${probe}`,
  });
  return {
    version: '4',
    groupKey: '{}:{alertname="RegionDown"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'failover',
    groupLabels: { alertname: 'RegionDown' },
    commonLabels: { alertname: 'RegionDown', service: 'checkout', region: 'us-east-1', severity: 'critical' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example',
    alerts: [alert('blackbox-eu'), alert('blackbox-us')],
  };
}

function memoryIo(lines: string[]): ActionIo {
  return {
    info: (m) => lines.push(m),
    warning: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    setOutput: (n, v) => lines.push(`output ${n}=${v}`),
    setSecret: () => {},
    setFailed: (m) => lines.push(`failed: ${m}`),
    summary: async () => {},
    startGroup: (n) => lines.push(`group ${n}`),
    endGroup: () => {},
  };
}

describe.skipIf(skipReason !== undefined)('alert → PR → apply → verify → timeline', () => {
  let double: GitHubDouble;
  let repo: RepoState;
  let target: RunningHttpTarget;
  let intake: BotHarness;
  let workspace: string;

  beforeAll(async () => {
    // us-east-1 is down, us-west-2 is healthy: what the verification must see after the flip.
    target = await startHttpTarget({
      '/us-east-1/healthz': { status: 503, body: 'down' },
      '/us-west-2/healthz': { status: 200, body: 'ok' },
    });
    double = await startGitHubDouble({ state: new DoubleState({ wallClock: true, mergeabilityMs: 0 }) });
    repo = double.state.seed('acme', 'infra', {
      '.github/failover.yml': config(target.url),
      [STATE]: `${JSON.stringify({ checkout_active_region: 'us-east-1' }, null, 2)}\n`,
      'envs/prod/main.tf': readFileSync('test/fixtures/action-repo/envs/prod/main.tf', 'utf8'),
    });
    intake = await startBot({ githubUrl: double.url, env: { FAILOVER_ALERT_TOKENS: TOKEN } });
    workspace = mkdtempSync(join(tmpdir(), 'failover-e2e-'));
  });

  afterAll(async () => {
    await intake?.close();
    await double?.close();
    await target?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('fails checkout over to us-west-2, verifies it and records the recovery time', async () => {
    const startsAt = new Date(Date.now() - 90_000).toISOString();
    const baseSha = double.state.headSha(repo)!;

    // 1. Alertmanager → bot: the answer comes once the PR exists and is merged.
    const res = await fetch(`${intake.url}/failover/v1/alerts/acme/infra`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(alertmanagerPayload(startsAt)),
    });
    const answer = (await res.json()) as { decisions: { service: string; action: string; pr?: number }[] };
    expect(res.status).toBe(200);
    expect(answer.decisions).toMatchObject([{ service: 'checkout', action: 'merge' }]);
    const pulls = [...repo.pulls.values()];
    expect(pulls).toHaveLength(1);
    const pr = pulls[0]!;
    expect(pr.merged).toBe(true);
    const mergeSha = double.state.headSha(repo)!;
    expect(mergeSha).not.toBe(baseSha);
    expect(JSON.parse(double.state.files(repo)[STATE]!)).toEqual({ checkout_active_region: 'us-west-2' });

    // 2. The push to main runs the Action: checkout of the merge commit, real terraform, real probe.
    for (const [path, text] of Object.entries(double.state.files(repo))) {
      mkdirSync(dirname(join(workspace, path)), { recursive: true });
      writeFileSync(join(workspace, path), text);
    }
    const lines: string[] = [];
    const treeAt = (sha: string) => repo.commits.get(sha)?.tree;
    const result = await runAction({
      inputs: {
        command: 'apply',
        config: '.github/failover.yml',
        workingDirectory: 'envs/prod',
        iac: 'terraform',
        githubToken: 'ghs_e2e',
        services: [],
      },
      event: {
        name: 'push',
        payload: { before: baseSha, after: mergeSha },
        sha: mergeSha,
        owner: 'acme',
        repo: 'infra',
      },
      workspace,
      io: memoryIo(lines),
      now: Date.now,
      readAt: async (sha, path) => treeAt(sha)?.get(path),
      readWorking: (path) => double.state.files(repo)[path],
      github: createGitHubPort({ client: doubleClient(double), owner: 'acme', repo: 'infra' }),
      iac: createIacRunner,
      verify: runChecks,
    });
    expect(result, lines.join('\n')).toMatchObject({
      ok: true,
      changedServices: ['checkout'],
      verified: true,
    });
    expect(result.rtoSeconds).toBeGreaterThanOrEqual(90);
    const checkRun = [...repo.checkRuns.values()].find((c) => c.name === 'gitops-failover/verify');
    expect(checkRun).toMatchObject({ head_sha: mergeSha, conclusion: 'success' });
    expect(target.requests.filter((r) => r.path === '/us-west-2/healthz').length).toBeGreaterThanOrEqual(2);

    // 3. GitHub tells the bot the check run completed; another replica handles it.
    const replica = await loadBot(double, Date.now);
    const fixture = JSON.parse(readFileSync('test/fixtures/github/check_run.completed.success.json', 'utf8'));
    await replica.receive('check_run', {
      ...fixture,
      check_run: { ...fixture.check_run, ...checkRun, head_sha: mergeSha, status: 'completed' },
      repository: {
        ...fixture.repository,
        name: 'infra',
        full_name: 'acme/infra',
        owner: { ...fixture.repository.owner, login: 'acme' },
        default_branch: 'main',
      },
      installation: { id: repo.installationId },
    });
    const body = repo.pulls.get(pr.number)!.body;
    expect(parseMarker(body)?.changes).toEqual([{ service: 'checkout', from: 'us-east-1', to: 'us-west-2' }]);
    const record = parseVerifyMarker(String((checkRun?.output as { summary?: string } | undefined)?.summary));
    const verifiedAt = String(record?.verifiedAt);
    expect(body).toMatch(/\| merged \| .* \|\n\| applied \| .* \|\n\| verified \| .* \|/);
    // The timeline's RTO is the same span the Action measured: alert start → last passing check.
    expect(Math.round((Date.parse(verifiedAt) - Date.parse(startsAt)) / 1000)).toBe(result.rtoSeconds);
    expect(body).toContain(
      `RTO (alert start → verified): **${formatDuration(Date.parse(verifiedAt) - Date.parse(startsAt))}**`,
    );
  });
});
