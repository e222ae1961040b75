// A small, realistic world for policy tests: a config with an active-passive service, a weighted one and
// a group (database + API), the state files, and builders for signals, history and open PRs.
import { configSchema, type FailoverConfig } from '../../../src/core/config/schema.js';
import type {
  FailoverMarker,
  FailoverRecord,
  OpenFailoverPr,
  RepoView,
  Signal,
} from '../../../src/core/types.js';

export const NOW = '2026-03-01T12:00:00.000Z';
export const TFVARS = 'envs/prod/failover.auto.tfvars.json';
export const WEB_YAML = 'envs/prod/web.yaml';

export function tfvars(checkout = 'us-east-1', db = 'us-east-1', api = 'us-east-1'): string {
  return `{\n  "checkout_active_region": "${checkout}",\n  "payments_db_region": "${db}",\n  "payments_api_region": "${api}",\n  "unrelated": [1, 2, 3]\n}\n`;
}

export function webYaml(a = 50, b = 30, c = 20): string {
  return `# edge weights (percent)\nweb:\n  weights:\n    us-east-1: ${a} # primary\n    us-west-2: ${b}\n    eu-west-1: ${c}\nowner: sre\n`;
}

type Raw = Record<string, unknown>;

export function rawConfig(): Raw {
  return {
    version: 1,
    services: {
      checkout: {
        kind: 'dns',
        targets: ['us-east-1', 'us-west-2', 'eu-west-1'],
        state: { file: TFVARS, key: 'checkout_active_region' },
        alerts: [{ matchers: ['alertname="RegionDown"', 'service=~"checkout|all"'], target_label: 'region' }],
        automation: {
          on_alert: 'merge',
          min_severity: 'critical',
          stabilize: '2m',
          quorum: { label: 'probe', min: 2 },
          cooldown: '1h',
          max_per_day: 3,
        },
      },
      web: {
        mode: 'weighted',
        targets: ['us-east-1', 'us-west-2', 'eu-west-1'],
        weights: { 'us-east-1': 50, 'us-west-2': 30, 'eu-west-1': 20 },
        state: { file: WEB_YAML, key: 'web.weights' },
        alerts: [{ matchers: ['alertname="EdgeDown"'], target_label: 'region' }],
        automation: { on_alert: 'pr', min_severity: 'warning', stabilize: '0s', cooldown: '30m' },
      },
      'payments-db': {
        kind: 'database',
        targets: ['us-east-1', 'us-west-2'],
        state: { file: TFVARS, key: 'payments_db_region' },
        alerts: [{ matchers: ['alertname="PaymentsDbDown"'] }],
        automation: { on_alert: 'pr', min_severity: 'critical', stabilize: '0s' },
      },
      'payments-api': {
        kind: 'gateway',
        targets: ['us-east-1', 'us-west-2'],
        state: { file: TFVARS, key: 'payments_api_region' },
        alerts: [{ matchers: ['alertname="PaymentsApiDown"'], target_label: 'region' }],
        automation: { on_alert: 'merge', min_severity: 'error', stabilize: '0s' },
      },
    },
    groups: { payments: ['payments-db', 'payments-api'] },
  };
}

export function config(mutate?: (raw: Raw) => void): FailoverConfig {
  const raw = rawConfig();
  mutate?.(raw);
  return configSchema.parse(raw);
}

/** Reach into the raw config: `svc(raw, 'checkout').automation.cooldown = '5m'`. */
export function svc(raw: Raw, name: string): Raw & { automation: Raw } {
  return (raw.services as Record<string, Raw & { automation: Raw }>)[name] as Raw & { automation: Raw };
}

export function repo(over: Partial<RepoView> = {}): RepoView {
  return {
    owner: 'acme',
    repo: 'infra',
    defaultBranch: 'main',
    headSha: 'a'.repeat(40),
    files: { [TFVARS]: tfvars(), [WEB_YAML]: webYaml() },
    frozen: false,
    history: [],
    openPrs: [],
    ...over,
  };
}

let fp = 0;
export function signal(labels: Record<string, string>, over: Partial<Signal> = {}): Signal {
  return {
    source: 'alertmanager',
    status: 'firing',
    labels,
    annotations: { summary: `${labels.alertname ?? 'alert'} in ${labels.region ?? '?'}` },
    startsAt: '2026-03-01T11:50:00.000Z',
    fingerprint: `fp${++fp}`,
    url: 'https://alertmanager.example.com/#/alerts',
    ...over,
  };
}

/** Two probes agreeing that checkout in `region` is down, critical, firing for 10 minutes. */
export function regionDown(
  region = 'us-east-1',
  over: Partial<Signal> = {},
  probes = ['blackbox-a', 'blackbox-b'],
): Signal[] {
  return probes.map((probe) =>
    signal({ alertname: 'RegionDown', service: 'checkout', region, severity: 'critical', probe }, over),
  );
}

export function record(over: Partial<FailoverRecord> = {}): FailoverRecord {
  return {
    services: ['checkout'],
    from: 'us-west-2',
    to: 'us-east-1',
    kind: 'auto',
    mergedAt: '2026-03-01T11:30:00.000Z',
    pr: 7,
    ...over,
  };
}

export function marker(over: Partial<FailoverMarker> = {}): FailoverMarker {
  return {
    v: 1,
    kind: 'auto',
    services: ['checkout'],
    changes: [{ service: 'checkout', from: 'us-east-1', to: 'us-west-2' }],
    startedAt: '2026-03-01T11:50:00.000Z',
    receivedAt: '2026-03-01T11:52:00.000Z',
    openedAt: '2026-03-01T11:52:01.000Z',
    fingerprints: ['fp-old'],
    trigger: { type: 'alert', sources: ['alertmanager'] },
    ...over,
  };
}

export function openPr(over: Partial<OpenFailoverPr> = {}, m: Partial<FailoverMarker> = {}): OpenFailoverPr {
  return {
    number: 12,
    url: 'https://github.com/acme/infra/pull/12',
    branch: 'failover/checkout',
    headSha: 'b'.repeat(40),
    marker: marker(m),
    ...over,
  };
}
