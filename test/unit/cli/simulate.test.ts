import { describe, expect, it } from 'vitest';
import { runInProcess } from '../../helpers/cli-io.js';
import { EXAMPLE_CONFIG, exampleRepo, REGION_DOWN } from './repo-files.js';

interface SimJson {
  decisions: { service: string; action: string; from: string | null; to: string | null; reasons: string[] }[];
  diff: string;
  pr: { title: string; branch: string; body: string; labels: string[]; merge: boolean } | null;
  reply: string | null;
}

const ALERT = ['simulate', '--repo', 'repo', '--alert', 'alert.json'];

async function simulateJson(args: string[], files = exampleRepo()) {
  const r = await runInProcess([...args, '--json'], { files });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as SimJson;
}

describe('failover simulate --alert', () => {
  it('fails checkout over on the example RegionDown payload (the demo)', async () => {
    const out = await simulateJson([...ALERT, '--now', '2026-11-26T03:10:00Z']);
    expect(out.decisions.map(({ service, action, from, to }) => ({ service, action, from, to }))).toEqual([
      { service: 'checkout', action: 'merge', from: 'us-east-1', to: 'us-west-2' },
    ]);
    expect(out.decisions[0]?.reasons[0]).toMatch(/us-east-1 is failing/);
    expect(out.diff).toContain(
      '-  "checkout_active_region": "us-east-1",\n+  "checkout_active_region": "us-west-2",',
    );
    expect(out.pr).toMatchObject({
      title: 'Failover checkout: us-east-1 → us-west-2',
      branch: 'failover/checkout',
      labels: ['failover', 'failover:auto'],
      merge: true,
    });
    expect(out.pr?.body).toContain('<!-- gitops-failover {');
  });

  it('prints the trace, the diff and the PR as text', async () => {
    const r = await runInProcess([...ALERT, '--now', '2026-11-26T03:10:00Z'], { files: exampleRepo() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^Simulation: nothing was written \(no branch, commit, pull request or comment\)\.\nalertmanager notification: 2 signals \(2 firing, 0 resolved\) at 2026-11-26T03:10:00\.000Z\n/,
    );
    expect(r.stdout).toMatch(/^checkout: merge {2}us-east-1 → us-west-2 {2}\[auto\]$/m);
    expect(r.stdout).toMatch(/^ {2}✓ quorum\s+2 distinct probe values/m);
    expect(r.stdout).toContain('── state-file diff ──\n--- a/envs/prod/failover.auto.tfvars.json');
    expect(r.stdout).toContain('title:  Failover checkout: us-east-1 → us-west-2\nbranch: failover/checkout');
  });

  it('keeps the report short (about 40 lines): no PR body, no hidden marker, and says what happens next', async () => {
    const r = await runInProcess([...ALERT, '--now', '2026-11-26T03:10:00Z'], { files: exampleRepo() });
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(40);
    expect(r.stdout).not.toContain('<!--');
    expect(r.stdout).not.toContain('### Decision trace');
    expect(r.stdout.match(/checkout_active_region": "us-west-2"/g)).toHaveLength(1);
    expect(r.stdout).toMatch(/^Next: the bot opens this PR and merges it/m);
    expect(lines.at(-1)).toBe('The full PR body (trace, diff, timeline as Markdown): add --verbose.');
  });

  it('adds the full PR body with --verbose', async () => {
    const r = await runInProcess([...ALERT, '--now', '2026-11-26T03:10:00Z', '--verbose'], {
      files: exampleRepo(),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('### Decision trace');
    expect(r.stdout).toContain('<!-- gitops-failover {');
    expect(r.stdout).not.toContain('add --verbose');
  });

  it('waits while the alert has not been firing for the stabilize time', async () => {
    const out = await simulateJson([...ALERT, '--now', '2026-11-26T03:01:00Z']);
    expect(out.decisions[0]?.action).toBe('none');
    expect(out.decisions[0]?.reasons[0]).toMatch(/^stabilize/);
    expect(out).toMatchObject({ diff: '', pr: null });
  });

  it('needs the quorum of probes', async () => {
    const payload = JSON.parse(REGION_DOWN) as { alerts: unknown[] };
    payload.alerts = payload.alerts.slice(0, 1);
    const out = await simulateJson(
      [...ALERT, '--now', '2026-11-26T03:10:00Z'],
      exampleRepo({ 'alert.json': JSON.stringify(payload) }),
    );
    expect(out.decisions[0]?.reasons[0]).toMatch(/^quorum/);
    expect(out.pr).toBeNull();
  });

  it('does nothing on its own while the freeze file exists', async () => {
    const files = exampleRepo({ 'repo/.github/failover.freeze': 'change window\n' });
    const out = await simulateJson([...ALERT, '--now', '2026-11-26T03:10:00Z'], files);
    expect(out.decisions[0]?.reasons[0]).toMatch(/^freeze/);
    expect(out.pr).toBeNull();
  });

  it('reports that no service is concerned by an unrelated alert', async () => {
    const r = await runInProcess([
      'simulate',
      '--repo',
      'examples/infra-repo',
      '--alert',
      'test/fixtures/alertmanager/firing-single-fire-critical.json',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No service is concerned');
  });

  it('explains an SNS subscription confirmation instead of judging it', async () => {
    const args = ['simulate', '--repo', 'examples/infra-repo', '--alert'];
    const r = await runInProcess([...args, 'test/fixtures/sns-cloudwatch/subscription-confirmation.json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/SubscriptionConfirmation for arn:aws:sns:.*allow-listed/);
    expect(r.stdout).toContain('Nothing to judge: the notification carries no alert signal.');
  });

  it.each([
    ['grafana/firing-2-alerts-docs-example.json', 'grafana'],
    ['sns-cloudwatch/notification-alarm-s3-bucket-size.json', 'sns'],
    ['other-alerts/pagerduty-v3-incident-triggered.json', 'pagerduty'],
    ['other-alerts/azure-monitor-common-schema-metric-resolved.json', 'azure'],
  ])('reads %s as %s', async (fixture, source) => {
    const r = await runInProcess([
      'simulate',
      '--repo',
      'examples/infra-repo',
      '--alert',
      `test/fixtures/${fixture}`,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { source: string; decisions: unknown[]; pr: unknown };
    expect(out.source).toBe(source);
    expect(out.pr).toBeNull();
  });

  it('exits 2 on a payload that is not valid for any source', async () => {
    const r = await runInProcess(ALERT, { files: exampleRepo({ 'alert.json': '{"alerts": "none"}' }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^failover: invalid payload/);
    expect(r.stdout).toBe('');
  });

  it('exits 2 when the payload is not JSON', async () => {
    const r = await runInProcess(ALERT, { files: exampleRepo({ 'alert.json': 'alertname=RegionDown' }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^failover: alert payload alert\.json is not valid JSON: /);
  });

  it('exits 2 when the payload file is missing', async () => {
    const r = await runInProcess(ALERT, { files: exampleRepo({ 'alert.json': undefined }) });
    expect(r).toMatchObject({
      code: 2,
      stderr: 'failover: cannot read alert payload alert.json: no such file\n',
    });
  });

  it('exits 2 when --source names the wrong source or an unknown one', async () => {
    const wrong = await runInProcess([...ALERT, '--source', 'sns'], { files: exampleRepo() });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^failover: invalid payload/);
    const azure = await runInProcess([...ALERT, '--source', 'azure'], { files: exampleRepo() });
    expect(azure.code).toBe(2);
    expect(azure.stderr).toMatch(/^failover: invalid payload.*azure: schemaId is missing/);
    const unknown = await runInProcess([...ALERT, '--source', 'nagios'], { files: exampleRepo() });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^failover simulate: --source "nagios" is not one of alertmanager, grafana/,
    );
  });

  it('exits 2 with every config problem when the repo config is invalid', async () => {
    const config = EXAMPLE_CONFIG.replace('mode: weighted', 'mode: weigthed');
    const r = await runInProcess(ALERT, { files: exampleRepo({ 'repo/.github/failover.yml': config }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'failover: invalid config (1 problem):\nrepo/.github/failover.yml:51:11 services.edge-gateway.mode: "weigthed" must be one of "active-passive", "weighted" (did you mean "weighted"?)\n',
    );
  });

  it('exits 2 on a --now that is not an ISO time', async () => {
    const r = await runInProcess([...ALERT, '--now', 'yesterday'], { files: exampleRepo() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--now "yesterday" is not an ISO-8601 time/);
  });

  it('exits 2 unless exactly one of --alert and --command is given', async () => {
    const both = await runInProcess([...ALERT, '--command', '/failover help'], { files: exampleRepo() });
    const neither = await runInProcess(['simulate', '--repo', 'repo'], { files: exampleRepo() });
    for (const r of [both, neither]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^failover simulate: give either --alert FILE or --command TEXT/);
    }
  });
});

describe('failover simulate --command', () => {
  const command = (text: string, permission = 'write') => [
    'simulate',
    '--repo',
    'repo',
    '--command',
    text,
    '--user',
    'alice',
    '--permission',
    permission,
  ];

  it('opens a manual failover PR for a writer', async () => {
    const out = await simulateJson(command('/failover checkout us-west-2 --reason "us-east-1 degraded"'));
    expect(out.decisions[0]).toMatchObject({ service: 'checkout', from: 'us-east-1', to: 'us-west-2' });
    expect(['open-pr', 'merge']).toContain(out.decisions[0]?.action);
    expect(out.pr?.title).toBe('Failover checkout: us-east-1 → us-west-2');
    expect(out.pr?.labels).toContain('failover:manual');
    expect(out.pr?.body).toContain('alice');
  });

  it('flips a group in one PR', async () => {
    const out = await simulateJson(command('/failover payments us-west-2'));
    expect(out.pr?.branch).toBe('failover/group-payments');
    expect(out.diff).toContain('+  "payments_db_primary_region": "us-west-2",');
    expect(out.diff).toContain('+  "payments_api_active_region": "us-west-2"');
  });

  it('refuses a reader, with the reason', async () => {
    const out = await simulateJson(command('/failover checkout us-west-2', 'read'));
    expect(out.decisions[0]).toMatchObject({
      action: 'none',
      reasons: ['permission: alice has read permission (need write)'],
    });
    expect(out.pr).toBeNull();
  });

  it('shows the reply the bot would give to a typo', async () => {
    const out = await simulateJson(command('/failover chekout us-west-2'));
    expect(out.reply).toMatch(/Did you mean `checkout`\?/);
    expect(out.decisions).toEqual([]);
    expect(out.pr).toBeNull();
  });

  it('answers /failover status with the status table', async () => {
    const out = await simulateJson(command('/failover status'));
    expect(out.decisions[0]?.action).toBe('comment');
    expect(JSON.stringify(out.decisions[0])).toContain('checkout');
  });

  it('exits 2 when the text holds no command', async () => {
    const r = await runInProcess(command('please fail over checkout'), { files: exampleRepo() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^failover simulate: "please fail over checkout" holds no \/failover or \/failback command/,
    );
  });

  it('exits 2 on a missing or unknown permission level', async () => {
    const bad = await runInProcess(command('/failover checkout us-west-2', 'owner'), {
      files: exampleRepo(),
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--permission "owner" is not one of read, triage, write, maintain, admin/);
    const missing = await runInProcess(
      ['simulate', '--repo', 'repo', '--command', '/failover help', '--user', 'a'],
      {
        files: exampleRepo(),
      },
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--permission LEVEL is required with --command/);
  });

  it('has --help', async () => {
    const r = await runInProcess(['simulate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage:\n {2}failover simulate --repo DIR \[--ref REF\] --alert FILE/);
  });
});
