import { describe, expect, it } from 'vitest';
import { runInProcess } from '../../helpers/cli-io.js';
import { EXAMPLE_STATE, exampleRepo } from './repo-files.js';

describe('failover status', () => {
  it('shows the active target of every service of the example repo', async () => {
    const r = await runInProcess(['status', '--repo', 'examples/infra-repo']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^SERVICE\s+MODE\s+ACTIVE\s+STATE$/);
    expect(lines[1]).toMatch(
      /^checkout\s+active-passive\s+us-east-1\s+envs\/prod\/failover\.auto\.tfvars\.json#checkout_active_region$/,
    );
    expect(lines[2]).toMatch(/^edge-gateway\s+weighted\s+us-east-1=50 us-west-2=30 eu-west-1=20\s/);
    expect(r.stdout).toContain('\nautomation is on\n');
  });

  it('--json lists services with their active targets', async () => {
    const state = EXAMPLE_STATE.replace(
      '"checkout_active_region": "us-east-1"',
      '"checkout_active_region": "us-west-2"',
    );
    const r = await runInProcess(['status', '--repo', 'repo', '--json'], {
      files: exampleRepo({ 'repo/envs/prod/failover.auto.tfvars.json': state }),
    });
    const out = JSON.parse(r.stdout) as {
      frozen: boolean;
      services: { service: string; active: string[] }[];
    };
    expect(out.frozen).toBe(false);
    expect(out.services.map((s) => [s.service, s.active])).toEqual([
      ['checkout', ['us-west-2']],
      ['edge-gateway', ['us-east-1', 'us-west-2', 'eu-west-1']],
      ['payments-db', ['us-east-1']],
      ['payments-api', ['us-east-1']],
    ]);
  });

  it('says when automation is frozen', async () => {
    const r = await runInProcess(['status', '--repo', 'repo'], {
      files: exampleRepo({ 'repo/.github/failover.freeze': '' }),
    });
    expect(r.stdout).toContain(
      'automation is FROZEN (.github/failover.freeze exists); manual commands still work',
    );
  });

  it('marks a service whose state cannot be read, and still shows the others', async () => {
    const state = EXAMPLE_STATE.replace(
      '"payments_db_primary_region": "us-east-1"',
      '"payments_db_primary_region": "mars-1"',
    );
    const r = await runInProcess(['status', '--repo', 'repo', '--json'], {
      files: exampleRepo({ 'repo/envs/prod/failover.auto.tfvars.json': state }),
    });
    const out = JSON.parse(r.stdout) as { services: { service: string; error: string | null }[] };
    expect(out.services.find((s) => s.service === 'payments-db')?.error).toBe(
      'value "mars-1" is not one of us-east-1, us-west-2',
    );
    expect(out.services.find((s) => s.service === 'checkout')?.error).toBeNull();
  });

  it('reports a missing state file per service', async () => {
    const r = await runInProcess(['status', '--repo', 'repo'], {
      files: exampleRepo({ 'repo/envs/prod/failover.auto.tfvars.json': undefined }),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^checkout\s+active-passive\s+\? \(state file does not exist\)/m);
  });

  it('exits 2 without --repo, or on a repo without config', async () => {
    const none = await runInProcess(['status']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^failover status: --repo DIR is required/);
    const empty = await runInProcess(['status', '--repo', 'repo'], { files: { 'repo/README.md': '' } });
    expect(empty).toMatchObject({
      code: 2,
      stderr: 'failover: repo has no .github/failover.yml; is it the root of an infra repo?\n',
    });
  });
});
