// Every scenario shipped in examples/scenarios runs through `failover test`'s runner and every one of
// its expectations holds: the examples are the product's proof of its rules, so a broken one fails here.
import { describe, expect, it } from 'vitest';
import { nodeScenarioFiles, scenarioFilesIn } from '../../src/scenario/files.js';
import { renderTextReport } from '../../src/scenario/report.js';
import { loadScenario } from '../../src/scenario/resolve.js';
import { runScenario } from '../../src/scenario/run.js';

const files = scenarioFilesIn('examples/scenarios');

describe('examples/scenarios', () => {
  it('holds scenarios for the paths of docs/testing.md', () => {
    const folders = new Set(files.map((f) => f.split('/')[2]));
    for (const path of ['alert-path', 'commands', 'drills', 'rollback', 'cancel-on-resolve', 'anti-flap'])
      expect(folders).toContain(path);
  });

  it.each(files)('%s: every expectation holds', async (file) => {
    const result = await runScenario(loadScenario(file, nodeScenarioFiles));
    const checks = result.steps.flatMap((s) => s.expectations);
    expect(checks.length, 'a scenario that checks nothing proves nothing').toBeGreaterThan(0);
    // The report's lines say which expectation failed and what was seen instead.
    expect(result.failed, renderTextReport([result])).toBe(0);
    expect(result.passed).toBe(checks.length);
  });
});
