// A small infra repo and failover plans for tests and benchmarks that drive the port against the double.
import { renderMarker } from '../../../src/core/render/index.js';
import type { FailoverMarker, PrPlan } from '../../../src/core/types.js';

export const STATE_PATH = 'envs/prod/failover.auto.tfvars.json';

export const CONFIG_TEXT = `version: 1
services:
  checkout:
    targets: [us-east-1, us-west-2]
    state:
      file: ${STATE_PATH}
      key: checkout_active_region
    alerts:
      - matchers: ['alertname="RegionDown"']
        target_label: region
    automation:
      on_alert: merge
`;

export const STATE_TEXT = '{\n  "checkout_active_region": "us-east-1"\n}\n';

export function infraRepoFiles(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    '.github/failover.yml': CONFIG_TEXT,
    [STATE_PATH]: STATE_TEXT,
    'README.md': '# infra\n',
    ...overrides,
  };
}

/** A plan like the policy would produce: flip checkout to `to`, on top of `baseSha`. */
export function checkoutPlan(baseSha: string, to = 'us-west-2', from = 'us-east-1'): PrPlan {
  const marker: FailoverMarker = {
    v: 1,
    kind: 'auto',
    services: ['checkout'],
    changes: [{ service: 'checkout', from, to }],
    startedAt: '2026-11-26T03:00:00Z',
    receivedAt: '2026-11-26T03:02:00Z',
    fingerprints: ['abc123'],
    trigger: { type: 'alert', sources: ['alertmanager'] },
  };
  const newText = STATE_TEXT.replace(from, to);
  return {
    branch: 'failover/checkout',
    baseSha,
    title: `Failover checkout: ${from} → ${to}`,
    body: `Failing over checkout.\n\n${renderMarker(marker)}`,
    labels: ['failover', 'failover:auto'],
    commitMessage: `Failover checkout: ${from} → ${to}\n\nRegionDown firing for ${from}.`,
    edits: [{ path: STATE_PATH, oldText: STATE_TEXT, newText, diff: '' }],
    marker,
    merge: true,
  };
}
