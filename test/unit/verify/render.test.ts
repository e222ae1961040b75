// The markdown a PR comment and a job summary show.
import { describe, expect, it } from 'vitest';
import { renderVerifyReport, type VerifyReport } from '../../../src/verify/index.js';

const report: VerifyReport = {
  ok: false,
  startedAt: '2026-11-26T03:10:00.000Z',
  finishedAt: '2026-11-26T03:10:42.000Z',
  checks: [
    {
      name: 'health',
      kind: 'http',
      ok: true,
      verdict: 'pass',
      message: '3 successes in a row after 4 attempts',
      attempts: [
        {
          at: '2026-11-26T03:10:00.000Z',
          ok: false,
          ms: 12,
          observed: 'HTTP 503',
          error: 'expected status 200, got 503',
        },
        { at: '2026-11-26T03:10:10.000Z', ok: true, ms: 9, observed: 'HTTP 200' },
        { at: '2026-11-26T03:10:20.000Z', ok: true, ms: 8, observed: 'HTTP 200' },
        { at: '2026-11-26T03:10:30.000Z', ok: true, ms: 8, observed: 'HTTP 200' },
      ],
    },
    {
      name: 'replication | lag',
      kind: 'prometheus',
      ok: false,
      verdict: 'inconclusive',
      message:
        'no conclusive result within 40s (5 attempts: 5 inconclusive); last: the query returned no series',
      attempts: [{ at: '2026-11-26T03:10:40.000Z', ok: null, ms: 3, observed: 'empty result' }],
    },
    {
      name: 'dns',
      kind: 'dns',
      ok: false,
      verdict: 'fail',
      message: 'cannot run: resolver "x" must be an IP address',
      attempts: [],
    },
  ],
};

describe('renderVerifyReport', () => {
  it('renders a table row per check and explains each check that did not pass', () => {
    expect(renderVerifyReport(report)).toBe(
      [
        '**Verification failed:** 1 of 3 checks passed (42s).',
        '',
        '| check | kind | verdict | attempts | last observed |',
        '|---|---|---|---|---|',
        '| health | http | ✅ pass | 4 (3 ok, 1 failed) | HTTP 200 |',
        '| replication \\| lag | prometheus | ❔ inconclusive | 1 (1 inconclusive) | empty result |',
        '| dns | dns | ❌ fail | 0 | — |',
        '',
        '**Why:**',
        '- `replication | lag` (inconclusive): no conclusive result within 40s (5 attempts: 5 inconclusive); last: the query returned no series',
        '- `dns` (fail): cannot run: resolver "x" must be an IP address',
        '',
      ].join('\n'),
    );
  });

  it('says so when everything passed, and when there was nothing to check', () => {
    const passed = { ...report, ok: true, checks: report.checks.slice(0, 1) };
    expect(renderVerifyReport(passed)).toMatch(/^\*\*Verification passed:\*\* 1 of 1 checks in 42s\./);
    expect(renderVerifyReport(passed)).not.toContain('**Why:**');
    expect(renderVerifyReport({ ...report, ok: true, checks: [] })).toBe(
      '**Verification:** no checks configured.\n',
    );
  });
});
