// Small pieces of ChatOps and the results loop: who is ignored, the pre-filter, verify records, timelines.
import { describe, expect, it } from 'vitest';
import { parseComment } from '../../../src/core/chatops/index.js';
import { configSchema } from '../../../src/core/config/schema.js';
import { parseMarker, renderMarker, TIMELINE_END, TIMELINE_START } from '../../../src/core/render/index.js';
import { verifyMarker } from '../../../src/core/render/verify-record.js';
import type { FailoverMarker } from '../../../src/core/types.js';
import { isBotSender, mightBeCommand } from '../../../src/service/command-text.js';
import { bodyWithTimeline, readVerifyRecord, resultSeenFor } from '../../../src/service/result-text.js';

describe('isBotSender', () => {
  it.each([
    [{ login: 'dependabot[bot]', type: 'Bot' }, undefined, true],
    [{ login: 'Renovate[BOT]' }, undefined, true],
    [{ login: 'ci', type: 'Bot' }, undefined, true],
    [{ login: 'gitops-failover', type: 'User' }, 'gitops-failover', true],
    [{ login: 'alice', type: 'User' }, 'gitops-failover[bot]', false],
  ])('%o (app %s) → %s', (sender, app, expected) => {
    expect(isBotSender(sender, app)).toBe(expected);
  });
});

describe('mightBeCommand never hides a command the parser would see', () => {
  const config = configSchema.parse({
    version: 1,
    services: { checkout: { targets: ['us-east-1', 'us-west-2'], state: { file: 's.json', key: 'k' } } },
  });
  it.each([
    '/failover checkout us-west-2',
    'text first\r\n   /failback checkout',
    '/failvoer checkout us-west-2',
    '/FAILOVER status',
    'a\r/failover help',
  ])('%j passes the pre-filter and parses to something', (body) => {
    expect(mightBeCommand(body)).toBe(true);
    expect(parseComment(body, config).type).not.toBe('ignore');
  });
  it.each(['LGTM', '> /failover checkout us-west-2', '    /failover status', 'see /failover docs'])(
    '%j is filtered out and the parser agrees',
    (body) => {
      expect(mightBeCommand(body)).toBe(false);
      expect(parseComment(body, config).type).toBe('ignore');
    },
  );
});

const marker: FailoverMarker = {
  v: 1,
  kind: 'manual',
  services: ['checkout'],
  changes: [{ service: 'checkout', from: 'us-east-1', to: 'us-west-2' }],
  startedAt: '2026-11-26T04:00:00.000Z',
  receivedAt: '2026-11-26T04:00:00.000Z',
  fingerprints: [],
  trigger: { type: 'command', by: 'alice', command: '/failover checkout us-west-2 --reason "a -- b > c"' },
};

describe('readVerifyRecord', () => {
  it('reads the Action record from the summary when text is empty, escapes and all', () => {
    const summary = `report\n\n${verifyMarker({ services: ['checkout'], changes: marker.changes, pr: 3, sha: 'abc', applied: true, verified: false, failure: 'x -- y > z' })}`;
    const rec = readVerifyRecord({ text: null, summary });
    expect(rec).toMatchObject({ pr: 3, sha: 'abc', applied: true, verified: false, failure: 'x -- y > z' });
  });
  it('refuses output without a record or without a verified flag', () => {
    expect(readVerifyRecord({ summary: 'nothing' })).toBeUndefined();
    expect(readVerifyRecord({ summary: verifyMarker({ sha: 'abc' }) })).toBeUndefined();
  });
});

describe('bodyWithTimeline', () => {
  const body = `## Failover\n\n### Timeline\n\n${TIMELINE_START}\nold\n${TIMELINE_END}\n\n${renderMarker(marker)}`;
  it('replaces only the timeline, keeps the marker byte for byte, and records the commit it saw', () => {
    const next = bodyWithTimeline(
      body,
      marker,
      { applied: '2026-11-26T04:01:00.000Z' },
      { sha: 'f00d', verified: true },
    );
    expect(next).not.toContain('\nold\n');
    expect(next.endsWith(renderMarker(marker))).toBe(true);
    expect(parseMarker(next)).toEqual(marker);
    expect(next).toContain('| applied | 2026-11-26 04:01:00Z');
    expect(resultSeenFor(next, 'f00d')).toBe(true);
    expect(resultSeenFor(next, 'beef')).toBe(false);
    expect(
      bodyWithTimeline(
        next,
        marker,
        { applied: '2026-11-26T04:01:00.000Z' },
        { sha: 'f00d', verified: true },
      ),
    ).toBe(next);
  });
  it('adds a timeline before the marker when the body has none', () => {
    const next = bodyWithTimeline(
      `hello\n\n${renderMarker(marker)}`,
      marker,
      {},
      { sha: 'a1', verified: false },
    );
    expect(next.indexOf(TIMELINE_START)).toBeLessThan(next.indexOf('<!-- gitops-failover {'));
    expect(parseMarker(next)).toEqual(marker);
  });
});
