// The sandbox end to end, through the real programs a user runs: HAProxy, Prometheus with the blackbox
// exporter, Alertmanager, terraform, the bot (its own process) and the Action's committed bundle run by
// the local runner. One boot is shared by the stories in this file; each story leaves the sandbox as it
// found it (both regions up, checkout on us-east-1, no failover history).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMarker } from '../../src/core/render/index.js';
import { readBackend } from '../../src/sandbox/entry-point.js';
import { writeReport } from '../../src/sandbox/report.js';
import { missingPrograms } from '../../src/sandbox/requirements.js';
import { PRIMARY, type Sandbox, SECONDARY, startSandbox } from '../../src/sandbox/sandbox.js';
import { flapAfter, resetSandbox, runScenario } from '../../src/sandbox/scenarios.js';
import { mainStory, type StoryResult } from '../../src/sandbox/story.js';
import { type Browser, chromiumMissing, launchChromium } from '../helpers/browser.js';

const missing = [...missingPrograms().map((p) => p.bin), chromiumMissing()].filter(Boolean);
const skipReason = missing.length > 0 ? `missing: ${missing.join(', ')}` : undefined;
if (skipReason) console.log(`skipping the sandbox e2e tests (${skipReason})`);

/** A PR's body and every edit GitHub saw of an issue or PR: said when a marker does not parse. */
function bodyStory(sandbox: Sandbox, body: string | undefined): string {
  const edits = sandbox.github.calls
    .filter((c) => c.method === 'PATCH' && /\/(pulls|issues)\/\d+$/.test(c.path))
    .map((c) => `${c.path} ${c.status} at ${Math.round(c.startedAt)}`);
  return `body:\n${body}\nedits:\n${edits.join('\n')}`;
}

/** The main story's steps, in order; each is also a marker on the report's chart. */
const STORY_STEPS = [
  'primary stopped',
  'alert fired',
  'notification received',
  'PR opened',
  'merged',
  'applied',
  'verified',
];

describe.skipIf(skipReason !== undefined)('the sandbox', () => {
  let sandbox: Sandbox;
  let browser: Browser;
  let out: string;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'failover-sandbox-report-'));
    [sandbox, browser] = await Promise.all([startSandbox(process.cwd()), launchChromium()]);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
    if (out) rmSync(out, { recursive: true, force: true });
  }, 60_000);

  describe('main story: us-east-1 dies, traffic moves to us-west-2', () => {
    let result: StoryResult;

    it('fails over through Prometheus, Alertmanager, the bot, terraform and HAProxy', async () => {
      expect(readBackend(sandbox.entry.mapFile)).toBe(PRIMARY);
      result = await mainStory(sandbox);
      expect(result.steps.map((s) => s.name)).toEqual([...STORY_STEPS, 'timeline written']);
      const times = result.steps.map((s) => s.at);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    }, 400_000);

    it('opened and merged one PR with the decision trace and the alerts from both probe jobs', () => {
      const pulls = [...sandbox.repo.pulls.values()];
      expect(pulls).toHaveLength(1);
      const pr = pulls[0];
      expect(pr?.title).toBe(`Failover checkout: ${PRIMARY} → ${SECONDARY}`);
      expect(pr?.merged).toBe(true);
      expect(pr?.body).toContain('Decision trace');
      // Brackets in trace cells are escaped (outside text cannot form a link); GitHub shows them as typed.
      expect(pr?.body).toMatch(/quorum \| .* \| 2 distinct probe values \\\[blackbox-a, blackbox-b\\\]/);
      const marker = parseMarker(pr?.body ?? '');
      // The body in the message: a marker that does not parse must say what the body had become.
      expect(marker?.changes, bodyStory(sandbox, pr?.body)).toEqual([
        { service: 'checkout', from: PRIMARY, to: SECONDARY },
      ]);
      expect(marker?.trigger.type).toBe('alert');
      const state = sandbox.github.state.files(sandbox.repo)['envs/prod/failover.auto.tfvars.json'] ?? '';
      expect(JSON.parse(state).checkout_active_region).toBe(SECONDARY);
    });

    it('applied with terraform: HAProxy routes to us-west-2 and traffic is answered there', async () => {
      expect(readBackend(sandbox.entry.mapFile)).toBe(SECONDARY);
      const job = sandbox.runner.runs.find((r) => r.sha === result.pr?.mergeCommitSha);
      expect(job?.conclusion, job?.log.join('\n')).toBe('success');
      expect(job?.outputs.failover).toMatchObject({ 'changed-services': 'checkout', verified: 'true' });
      const verifiedAt = result.steps.find((s) => s.name === 'verified')?.at ?? 0;
      const count = sandbox.load.samples.length;
      await expect.poll(() => sandbox.load.samples.length, { timeout: 30_000 }).toBeGreaterThan(count + 10);
      const after = sandbox.load.samples.filter((s) => s.at > verifiedAt);
      expect(after.length).toBeGreaterThan(10);
      expect(after.every((s) => s.region === SECONDARY)).toBe(true);
      const before = sandbox.load.samples.filter((s) => s.at < (result.steps[0]?.at ?? 0));
      expect(before.some((s) => s.region === PRIMARY)).toBe(true);
    }, 60_000);

    it('reported a successful verify check run and the bot wrote the timeline with the RTO', () => {
      expect(result.checkRun).toMatchObject({ name: 'gitops-failover/verify', conclusion: 'success' });
      const body = result.pr?.body ?? '';
      expect(body).toMatch(/\| merged \| .* \|\n\| applied \| .* \|\n\| verified \| .* \|/);
      expect(body).toMatch(/RTO \(alert start → verified\): \*\*/);
      const rto = result.rto;
      expect(rto).toBeDefined();
      if (!rto) return;
      for (const part of [rto.detection, rto.decision, rto.apply, rto.verification])
        expect(part).toBeGreaterThan(0);
      expect(rto.total).toBeCloseTo(rto.detection + rto.decision + rto.apply + rto.verification, 5);
      // Prometheus needs at least the rule's `for` (2s) to fire; nothing here waits for minutes.
      expect(rto.detection).toBeGreaterThanOrEqual(2);
      expect(rto.total).toBeLessThan(120);
      expect(result.ownShare).toBeCloseTo(rto.decision + rto.apply + rto.verification, 5);
    });

    it('the web view shows the PR page with its title, trace and check run', async () => {
      const page = await browser.context.newPage();
      await page.goto(`${sandbox.github.url}/acme/infra/pull/${result.pr?.number}`);
      await expect
        .poll(() => page.locator('h1.pr-title').textContent(), { timeout: 30_000 })
        .toContain(`Failover checkout: ${PRIMARY} → ${SECONDARY}`);
      expect(await page.locator('.pr-body').textContent()).toContain('Decision trace');
      expect(await page.locator('.pr-body table').count()).toBeGreaterThan(1);
      expect(await page.locator('details.check summary').allTextContents()).toContainEqual(
        expect.stringContaining('gitops-failover/verify: success'),
      );
      await page.goto(`${sandbox.github.url}/acme/infra/pulls`);
      expect(await page.locator('table').textContent()).toContain('merged');
      await page.close();
    }, 60_000);

    it('the report shows the traffic chart with both regions, the markers and the PR', async () => {
      const job = sandbox.runner.runs.find((r) => r.sha === result.pr?.mergeCommitSha);
      const file = writeReport(out, {
        scenario: 'main',
        startedAt: sandbox.startedAt,
        regions: [PRIMARY, SECONDARY],
        samples: sandbox.load.samples,
        result,
        ...(job ? { jobSummary: job.summary } : {}),
        standIns: [],
      });
      expect(readFileSync(file, 'utf8')).not.toContain('<script');
      const page = await browser.context.newPage();
      await page.goto(`file://${file}`);
      const chart = page.locator('#traffic-chart svg');
      expect(await chart.count()).toBe(1);
      const text = await chart.textContent();
      for (const label of [PRIMARY, SECONDARY, ...STORY_STEPS]) expect(text).toContain(label);
      // Both regions drew a line: one path per series, in the legend's colours.
      expect(await page.locator('#traffic-chart svg path[stroke="#1f77b4"]').count()).toBeGreaterThan(0);
      expect(await page.locator('#traffic-chart svg path[stroke="#2ca02c"]').count()).toBeGreaterThan(0);
      expect(await page.locator('#pull-request').textContent()).toContain('Decision trace');
      expect(await page.locator('body').textContent()).toMatch(
        /RTO \d+\.\ds \(detection \d+\.\ds, decision \d+\.\ds, apply \d+\.\ds, verification \d+\.\ds\)/,
      );
      expect(await page.locator('#job-summary').textContent()).toMatch(/verified/);
      await page.close();
    }, 60_000);
  });

  // Each story below starts from the state the previous one left, or from a reset.
  describe('scenarios, sharing the boot', () => {
    const merges = () => [...sandbox.repo.pulls.values()].filter((p) => p.merged);
    const say = () => {};

    it('flapping: after the failover, the new primary dies; the cooldown holds', async () => {
      const jobs = sandbox.runner.runs.length;
      const result = await flapAfter(sandbox, say, { steps: [] });
      const refused = result.steps.find((s) => s.name === 'refused');
      expect(refused?.detail).toMatch(/^cooldown: last automatic failover .* ago, PR #1 \(need 1h\)/);
      expect([...sandbox.repo.pulls.values()]).toHaveLength(1);
      expect(readBackend(sandbox.entry.mapFile)).toBe(SECONDARY);
      expect(sandbox.runner.runs).toHaveLength(jobs);
    }, 400_000);

    it('chatops: /failover checkout us-west-2 typed on a PR moves traffic', async () => {
      await resetSandbox(sandbox);
      expect(readBackend(sandbox.entry.mapFile)).toBe(PRIMARY);
      expect(sandbox.repo.pulls.size).toBe(0);
      const result = await runScenario('chatops', sandbox);
      expect(result.pr?.title).toBe(`Failover checkout: ${PRIMARY} → ${SECONDARY}`);
      expect(result.pr?.merged).toBe(true);
      const marker = parseMarker(result.pr?.body ?? '');
      expect(marker?.trigger, bodyStory(sandbox, result.pr?.body)).toMatchObject({
        type: 'command',
        by: 'alice',
      });
      expect(result.checkRun).toMatchObject({ conclusion: 'success' });
      expect(readBackend(sandbox.entry.mapFile)).toBe(SECONDARY);
      expect(sandbox.load.samples.slice(-20).every((s) => s.region === SECONDARY)).toBe(true);
    }, 400_000);

    it('drill: typed as a PR comment, fails over, verifies, fails back and reports', async () => {
      await resetSandbox(sandbox);
      const result = await runScenario('drill', sandbox);
      const titles = merges().map((p) => p.title);
      expect(titles).toEqual([
        `Failover drill checkout: ${PRIMARY} → ${SECONDARY}`,
        `Failover drill checkout: ${SECONDARY} → ${PRIMARY}`,
      ]);
      const names = result.steps.map((s) => s.name);
      expect(names).toEqual([
        'command typed',
        'PR opened',
        'merged',
        'verified',
        'failback PR opened',
        'failback merged',
        'failback verified',
        'drill report',
      ]);
      const checks = [...sandbox.repo.checkRuns.values()].filter((c) => c.name === 'gitops-failover/verify');
      expect(checks.map((c) => c.conclusion)).toEqual(['success', 'success']);
      expect(result.outcome.join('\n')).toMatch(
        /Drill report: checkout[\s\S]*\| failover \| #\d+ \|[\s\S]*\| failback \| #\d+ \|/,
      );
      // Traffic went to us-west-2 during the drill and is back on us-east-1.
      const typed = result.steps[0]?.at ?? 0;
      expect(sandbox.load.samples.some((s) => s.at > typed && s.region === SECONDARY)).toBe(true);
      expect(readBackend(sandbox.entry.mapFile)).toBe(PRIMARY);
      expect(sandbox.load.samples.slice(-20).every((s) => s.region === PRIMARY)).toBe(true);
    }, 400_000);

    it('failed-verify: the target breaks after the flip; rollback PR, nothing merged twice', async () => {
      await resetSandbox(sandbox);
      const result = await runScenario('failed-verify', sandbox);
      expect(merges().map((p) => p.title)).toEqual([
        `Failover checkout: ${PRIMARY} → ${SECONDARY}`,
        `Rollback checkout: ${SECONDARY} → ${PRIMARY}`,
      ]);
      const checks = [...sandbox.repo.checkRuns.values()].filter((c) => c.name === 'gitops-failover/verify');
      expect(checks.map((c) => c.conclusion)).toEqual(['failure', 'success']);
      // One merge commit per PR on main, no second merge of either.
      const mergeShas = merges().map((p) => p.mergeCommitSha);
      expect(new Set(mergeShas).size).toBe(2);
      const applyJobs = sandbox.runner.runs.filter((r) => mergeShas.includes(r.sha));
      expect(applyJobs.map((r) => r.conclusion)).toEqual(['failure', 'success']);
      expect(parseMarker(result.pr?.body ?? '')?.rollbackOf, bodyStory(sandbox, result.pr?.body)).toBe(
        merges()[0]?.number,
      );
      expect(readBackend(sandbox.entry.mapFile)).toBe(PRIMARY);
      expect(sandbox.load.samples.slice(-20).every((s) => s.region === PRIMARY)).toBe(true);
    }, 400_000);

    it('double failure: the standby is down too; refused with the reason, nothing moves', async () => {
      await resetSandbox(sandbox);
      const jobs = sandbox.runner.runs.length;
      const result = await runScenario('double-failure', sandbox);
      const refused = result.steps.find((s) => s.name === 'refused');
      expect(result.outcome[0]).toMatch(/target_alerting: us-west-2 has \d firing alerts?/);
      expect(refused).toBeDefined();
      expect(sandbox.repo.pulls.size).toBe(0);
      expect(sandbox.runner.runs).toHaveLength(jobs);
      expect(readBackend(sandbox.entry.mapFile)).toBe(PRIMARY);
    }, 400_000);
  });
});
