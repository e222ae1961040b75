import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkoutConfig,
  expectReportsWithoutPr,
  fakeTerraformPerFile,
  type InfraRepo,
  infraReposPerTest,
  type makeInfraRepo,
  type RequestBodies,
  regionTargetsPerFile,
  runActionInProcess,
  runOnPush,
} from '../helpers/action-harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const PLAN_JSON = join(here, '..', 'fixtures', 'iac', 'plan-flip-terraform-data-tf1.11.json');
const TOKEN = 'ghs_failTestToken0123456789abcdef';

// init and plan succeed, show prints a real plan, apply fails like a provider error would.
const FAKE_TERRAFORM = `#!/bin/sh
case "$1" in
  init) echo "Terraform has been successfully initialized!"; exit 0 ;;
  plan) for a in "$@"; do case "$a" in -out=*) : > "\${a#-out=}" ;; esac; done; exit 2 ;;
  show) cat "$FAKE_PLAN_JSON"; exit 0 ;;
  apply) echo "Error: updating Route 53 record: AccessDenied: not authorized" >&2; exit 1 ;;
esac
exit 3
`;

const targets = regionTargetsPerFile();
const infraRepo = infraReposPerTest();
const fakeTerraform = fakeTerraformPerFile(FAKE_TERRAFORM);

function repo(
  opts: Parameters<typeof makeInfraRepo>[1] = {},
  config = checkoutConfig({ httpBase: targets.http.url }),
) {
  return infraRepo(config, opts);
}

function apply(r: InfraRepo, inputs: Record<string, string> = {}) {
  return runOnPush(r, { inputs, env: { FAKE_PLAN_JSON: PLAN_JSON } });
}

describe('action failure paths', () => {
  it('a missing binary fails the job, names the input to fix and says nothing was verified', async () => {
    const r = repo();
    const run = await apply(r, { 'iac-binary': '/nonexistent/terraform' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('::error::/nonexistent/terraform not found (check iac-binary)');
    expect(run.stdout).toContain('::warning::no github-token: the result is in the job summary only');
    expect(run.summary).toContain('| terraform init | **failed** |');
    expect(run.summary).toContain('**Not run:** the flip was not applied');
    expect(run.outputs['changed-services']).toBe('checkout');
    expect(run.outputs.verified).toBe('false');
  });

  it('a failing apply fails the job and every report says which steps ran and which failed', async () => {
    const r = repo();
    const bodies: RequestBodies = {};
    const scope = expectReportsWithoutPr(r.after, bodies);
    const run = await apply(r, { 'iac-binary': fakeTerraform(), 'github-token': TOKEN });
    scope.done();
    expect(run.exitCode).toBe(1);
    expect(run.outputs.verified).toBe('false');
    expect(run.outputs['plan-summary']).toBe('2 to update, 0 to create, 0 to delete, 1 to replace');
    expect(bodies.check.conclusion).toBe('failure');
    expect(bodies.check.output.title).toContain(
      `Failover failed: ${fakeTerraform()} apply failed with exit code 1`,
    );
    const summary: string = bodies.check.output.summary;
    for (const okStep of ['terraform init', 'terraform plan', 'terraform show -json']) {
      expect(summary).toContain(`| ${okStep} | ok |`);
    }
    expect(summary).toContain('| terraform apply | **failed** |');
    expect(summary).toContain('AccessDenied');
    expect(summary).toContain('**Not run:** the flip was not applied');
    expect(bodies.status.state).toBe('failure');
    expect(run.summary).toContain('| terraform apply | **failed** |');
  });

  it('an unreadable config fails with file:line:col and touches nothing else', async () => {
    const r = repo({}, 'version: 1\nservices:\n  checkout:\n    targets: [us-east-1\n');
    const run = await apply(r, { 'github-token': TOKEN });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/::error::\.github\/failover\.yml:\d+:\d+/);
    // Each problem is also an annotation on its file, line and column.
    expect(run.stdout).toMatch(
      /^::error title=gitops-failover config,file=\.github\/failover\.yml,line=\d+,col=\d+::.+$/m,
    );
    expect(run.summary).toContain('## gitops-failover apply failed');
    expect(run.summary).toContain('| load config | **failed** |');
  });

  it('a config that breaks a rule becomes one annotation per problem, at its line and column', async () => {
    const bad = checkoutConfig({ httpBase: targets.http.url }).replace(
      'targets: [us-east-1, us-west-2]',
      'targets: [us-east-1, "us west 2"]',
    );
    expect(bad).toContain('"us west 2"');
    const r = repo({}, bad);
    const run = await apply(r, { 'github-token': TOKEN });
    expect(run.exitCode).toBe(1);
    const line = bad.split('\n').findIndex((l) => l.includes('"us west 2"')) + 1;
    expect(run.stdout).toMatch(
      new RegExp(
        `^::error title=gitops-failover config,file=\\.github/failover\\.yml,line=${line},col=\\d+::services\\.checkout\\.targets\\[1\\]: "us west 2" must be`,
        'm',
      ),
    );
  });

  it('an unknown service in the services input is refused with the configured names', async () => {
    const r = repo();
    const run = await apply(r, { services: 'checkout, chekout' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      '::error::unknown service(s) in input "services": chekout (configured: checkout)',
    );
  });

  it('a state file that does not parse names the file and fails before terraform', async () => {
    const r = repo({ tfvarsAfter: '{ "checkout_active_region": "us-west-2",\n' });
    const run = await apply(r, { 'iac-binary': '/nonexistent/terraform' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/::error::envs\/prod\/failover\.auto\.tfvars\.json: /);
    expect(run.summary).toContain('| find changed services | **failed** |');
    expect(run.summary).not.toContain('terraform init');
  });

  it('an invalid command input fails right away with the allowed values', async () => {
    const r = repo({ flip: false });
    const run = await runActionInProcess({
      command: 'deploy',
      workspace: r.dir,
      eventName: 'push',
      payload: {},
      sha: r.after,
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('::error::input "command" must be plan, apply or verify (got "deploy")');
  });

  it('plan outside a pull_request event says where it belongs', async () => {
    const run = await runOnPush(repo(), { command: 'plan' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('::error::command "plan" runs on pull_request events');
  });
});
