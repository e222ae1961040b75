// The status issue's body: the one status table, the latest refusal per service, and a hidden record
// of the refusals that survives any reason text and ignores tampering.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/core/config/load.js';
import {
  mergeRefusals,
  parseStatusRecord,
  type RefusalRecord,
  renderStatus,
  renderStatusIssue,
} from '../../../src/core/render/index.js';
import type { RepoView } from '../../../src/core/types.js';
import { CONFIG_TEXT, STATE_PATH, STATE_TEXT } from '../../helpers/github-double/fixtures.js';

const config = parseConfig(CONFIG_TEXT);
const view: RepoView = {
  owner: 'acme',
  repo: 'infra',
  defaultBranch: 'main',
  headSha: 'abcdef1234567890abcdef1234567890abcdef12',
  files: { [STATE_PATH]: STATE_TEXT },
  frozen: false,
  history: [],
  openPrs: [],
};
const NOW = '2026-11-26T03:20:00.000Z';

const refusal = (at: string, reasons: string[], service = 'checkout'): RefusalRecord => ({
  service,
  at,
  trigger: 'alert (alertmanager)',
  reasons,
});

describe('renderStatusIssue', () => {
  it('holds the status table, then the latest refusal with when, who asked and why', () => {
    const body = renderStatusIssue({
      config,
      view,
      now: NOW,
      minInterval: '1m',
      refusals: {
        checkout: refusal('2026-11-26T03:15:00.000Z', ['cooldown: last failover 12m ago, PR #1 (need 1h)']),
      },
    });
    expect(body).toContain(renderStatus(config, view, NOW));
    expect(body).toContain('at most once every 1m');
    expect(body).toContain('(main at `abcdef1`)');
    expect(body).toContain(
      '| checkout | 2026-11-26T03:15:00.000Z (5m ago) | alert (alertmanager) | cooldown: last failover 12m ago, PR #1 (need 1h) |',
    );
  });

  it('says when nothing was refused, and lists only services of the config', () => {
    const body = renderStatusIssue({
      config,
      view,
      now: NOW,
      minInterval: '1m',
      refusals: { gone: refusal(NOW, ['x'], 'gone') },
    });
    expect(body).toContain('None: no automatic decision has been refused');
    expect(body).not.toContain('| gone |');
  });

  it('round-trips its record whatever the reasons say, and cannot be closed early by them', () => {
    const nasty = refusal(NOW, ['a --> b <!-- c | d', 'second']);
    const body = renderStatusIssue({
      config,
      view,
      now: NOW,
      minInterval: '1m',
      refusals: { checkout: nasty },
    });
    const record = body.slice(body.lastIndexOf('<!-- gitops-failover:status '));
    expect(record.indexOf('-->')).toBe(record.length - 3);
    expect(parseStatusRecord(body)).toEqual({ checkout: nasty });
    // In the table the pipe is escaped and the comment opener defused.
    expect(body).toContain('a --&gt; b &lt;!-- c \\| d; second');
  });

  it('reads nothing from a body without a record, or with a broken or tampered one', () => {
    expect(parseStatusRecord('just text')).toEqual({});
    expect(parseStatusRecord('<!-- gitops-failover:status {nope -->')).toEqual({});
    expect(
      parseStatusRecord(
        '<!-- gitops-failover:status {"v":1,"refusals":{"checkout":{"at":1},"api":{"at":"t","trigger":"x","reasons":["r"]}}} -->',
      ),
    ).toEqual({ api: { service: 'api', at: 't', trigger: 'x', reasons: ['r'] } });
  });
});

describe('mergeRefusals', () => {
  it('keeps the newer record per service', () => {
    const old = refusal('2026-11-26T03:00:00Z', ['old']);
    const fresh = refusal('2026-11-26T03:05:00Z', ['fresh']);
    const other = refusal('2026-11-26T03:01:00Z', ['other'], 'api');
    expect(mergeRefusals({ checkout: fresh }, { checkout: old, api: other })).toEqual({
      checkout: fresh,
      api: other,
    });
    expect(mergeRefusals({ checkout: old }, { checkout: fresh })).toEqual({ checkout: fresh });
  });
});
