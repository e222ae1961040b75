// The secret guard really catches: a child vitest runs a fixture whose tests write a registered secret to
// GitHub, a log line and the job summary, with the suite's real setup file. Each of those tests must fail
// with the guard's message, and the one that writes nothing secret must pass.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureOutgoing, findLeaks, knownSecret, resetCaptured } from '../helpers/leak-guard.js';

interface JsonReport {
  testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
}

function runFixture(): Promise<JsonReport> {
  const dir = mkdtempSync(join(tmpdir(), 'leak-guard-'));
  const report = join(dir, 'report.json');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [
        'node_modules/vitest/vitest.mjs',
        'run',
        '--config',
        'test/fixtures/leak-guard/vitest.config.ts',
        '--reporter=json',
        `--outputFile=${report}`,
      ],
      { maxBuffer: 16 * 1024 * 1024, timeout: 120_000 },
      (err) => {
        try {
          resolve(JSON.parse(readFileSync(report, 'utf8')) as JsonReport);
        } catch {
          reject(err ?? new Error('no JSON report from the child vitest'));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );
  });
}

describe('secret guard', () => {
  it('fails every test that writes a registered secret to GitHub, a log or the summary, and only those', async () => {
    const report = await runFixture();
    const results = report.testResults.flatMap((f) => f.assertionResults);
    const status = Object.fromEntries(results.map((r) => [r.title, r.status]));
    expect(status).toEqual({
      'leaks into a GitHub comment body': 'failed',
      'leaks into a bot log line, percent-encoded': 'failed',
      'leaks into the job summary': 'failed',
      'writes nothing secret': 'passed',
    });
    const messages = results.flatMap((r) => r.failureMessages).join('\n');
    expect(messages).toMatch(/secret guard: github: a registered secret/);
    expect(messages).toMatch(/secret guard: log: a registered secret/);
    expect(messages).toMatch(/secret guard: summary: a registered secret/);
    // The guard's own message never repeats the secret.
    expect(messages).not.toContain('leak-guard-secret-4f1c9a');
  }, 150_000);

  it('finds a secret in its raw, percent-encoded and JSON-escaped spellings', () => {
    knownSecret('guard-unit-"quoted"/secret');
    for (const text of [
      'x guard-unit-"quoted"/secret y',
      encodeURIComponent('guard-unit-"quoted"/secret'),
      JSON.stringify({ m: 'guard-unit-"quoted"/secret' }),
    ]) {
      captureOutgoing('log', text);
      expect(findLeaks()).toHaveLength(1);
      resetCaptured();
    }
    captureOutgoing('log', 'guard-unit-***');
    expect(findLeaks()).toEqual([]);
  });
});
