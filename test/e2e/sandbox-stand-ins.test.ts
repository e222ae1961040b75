// The sandbox on a machine without HAProxy and the Prometheus packages: the built-in proxy and probe
// loop stand in, the rest (the bot, terraform, the Action through the local runner) is the same, and the
// report says which parts were stand-ins. Forced here, since this machine has the real programs.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBackend } from '../../src/sandbox/entry-point.js';
import { writeReport } from '../../src/sandbox/report.js';
import { PRIMARY, type Sandbox, SECONDARY, startSandbox } from '../../src/sandbox/sandbox.js';
import { mainStory } from '../../src/sandbox/story.js';
import { terraformMissing } from '../helpers/action-harness.js';

const skipReason = terraformMissing();
if (skipReason) console.log(`skipping the sandbox stand-in test: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('the sandbox with built-in stand-ins', () => {
  let sandbox: Sandbox;
  let out: string;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'failover-standin-report-'));
    sandbox = await startSandbox(process.cwd(), () => {}, { forceStandIns: true });
  }, 300_000);

  afterAll(async () => {
    await sandbox?.stop();
    if (out) rmSync(out, { recursive: true, force: true });
  }, 60_000);

  it('fails over through the probe loop and the built-in proxy, and says so in the report', async () => {
    expect(sandbox.entry.kind).toBe('built-in proxy');
    expect(sandbox.monitoring.kind).toBe('stand-in');
    expect(sandbox.standIns).toHaveLength(2);
    const result = await mainStory(sandbox);
    expect(result.pr?.title).toBe(`Failover checkout: ${PRIMARY} → ${SECONDARY}`);
    expect(result.pr?.merged).toBe(true);
    expect(result.checkRun).toMatchObject({ conclusion: 'success' });
    expect(readBackend(sandbox.entry.mapFile)).toBe(SECONDARY);
    const verifiedAt = result.steps.find((s) => s.name === 'verified')?.at ?? 0;
    await expect
      .poll(() => sandbox.load.samples.filter((s) => s.at > verifiedAt).length, { timeout: 30_000 })
      .toBeGreaterThan(10);
    expect(sandbox.load.samples.filter((s) => s.at > verifiedAt).every((s) => s.region === SECONDARY)).toBe(
      true,
    );
    expect(result.rto?.total).toBeGreaterThan(0);
    const file = writeReport(out, {
      scenario: 'main',
      startedAt: sandbox.startedAt,
      regions: [PRIMARY, SECONDARY],
      samples: sandbox.load.samples,
      result,
      standIns: sandbox.standIns,
    });
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('Stand-ins:');
    expect(html).toContain('the built-in proxy instead of HAProxy');
    expect(html).toContain('the built-in probe loop');
  }, 400_000);
});
