// The runner with the REAL terraform binary on a temp copy of test/fixtures/tf-root. terraform_data
// is built into Terraform, so init downloads nothing and the test works offline. One init per file;
// the steps run in order (vitest runs the tests of a file sequentially).
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IacError } from '../../../src/iac/errors.js';
import { renderPlanSummary } from '../../../src/iac/plan-render.js';
import { summarisePlan } from '../../../src/iac/plan-summary.js';
import { createIacRunner, type IacRunner, type IacStepLog } from '../../../src/iac/runner.js';

const TERRAFORM = '/usr/local/bin/terraform';
const hasTerraform = existsSync(TERRAFORM);
if (!hasTerraform) console.log(`runner-terraform tests skipped: ${TERRAFORM} is not installed`);

const ROOT = join(import.meta.dirname, '../../fixtures/tf-root');
const TOKEN = 'tok-fixture-east-7f3a9c';

describe.skipIf(!hasTerraform)('IaC runner with the real terraform binary', () => {
  let dir: string;
  let runner: IacRunner;
  const logs: IacStepLog[] = [];

  async function setFlag(region: string): Promise<void> {
    const file = join(dir, 'failover.auto.tfvars.json');
    const vars = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    await writeFile(file, `${JSON.stringify({ ...vars, active_region: region }, null, 2)}\n`);
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iac-tf-'));
    await cp(ROOT, dir, { recursive: true });
    // A missing CLI config file only produces a warning; an empty one keeps stderr clean.
    await writeFile(join(dir, 'empty.tfrc'), '');
    runner = createIacRunner({
      tool: 'terraform',
      binary: TERRAFORM,
      cwd: dir,
      env: { TF_CLI_CONFIG_FILE: join(dir, 'empty.tfrc') },
      log: (entry) => logs.push(entry),
    });
    await runner.init();
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('init succeeded and was reported with its duration', () => {
    expect(logs[0]).toMatchObject({ step: 'init', ok: true, exitCode: 0, tool: 'terraform' });
    expect(logs[0]?.ms).toBeGreaterThan(0);
  });

  it('first plan: exit 2, three creates, the token only in secrets; apply of the saved plan', async () => {
    const plan = await runner.plan('first.tfplan');
    expect(plan).toMatchObject({ exitCode: 2, changes: true });
    expect(plan.stdout).toContain('Plan: 3 to add, 0 to change, 0 to destroy.');

    const summary = summarisePlan(await runner.showJson('first.tfplan'));
    expect(summary.counts).toMatchObject({ create: 3, update: 0, delete: 0, replace: 0 });
    expect(summary.resources.map((r) => r.address)).toEqual([
      'terraform_data.active_region',
      'terraform_data.api_token',
      'terraform_data.dns_target',
    ]);
    expect(summary.secrets).toEqual([TOKEN]);
    const { secrets: _secrets, ...visible } = summary;
    expect(JSON.stringify(visible)).not.toContain(TOKEN);
    expect(renderPlanSummary(summary)).not.toContain(TOKEN);

    const applied = await runner.apply('first.tfplan');
    expect(applied.stdout).toContain('Apply complete! Resources: 3 added, 0 changed, 0 destroyed.');
    expect(applied.stdout).not.toContain(TOKEN);
  });

  it('plan after apply: exit 0, nothing to do', async () => {
    const plan = await runner.plan('again.tfplan');
    expect(plan).toMatchObject({ exitCode: 0, changes: false });
    const summary = summarisePlan(await runner.showJson('again.tfplan'));
    expect(summary.hasChanges).toBe(false);
    expect(summary.counts).toMatchObject({ no_op: 3, create: 0, update: 0, replace: 0 });
  });

  it('flipping the flag in the tfvars: one update and one replace, then a fresh apply', async () => {
    await setFlag('us-west-2');
    const plan = await runner.plan('flip.tfplan');
    expect(plan.changes).toBe(true);
    const summary = summarisePlan(await runner.showJson('flip.tfplan'));
    expect(summary.resources.map((r) => [r.address, r.action])).toEqual([
      ['terraform_data.active_region', 'update'],
      ['terraform_data.api_token', 'no-op'],
      ['terraform_data.dns_target', 'replace'],
    ]);
    expect(summary.counts).toMatchObject({ update: 1, replace: 1, no_op: 1 });
    expect(summary.resources[0]?.attributes[0]).toEqual({
      name: 'input',
      before: 'us-east-1',
      after: 'us-west-2',
      forcesReplacement: false,
    });
    expect(renderPlanSummary(summary)).toContain(
      '`triggers_replace`: `"us-east-1"` → `"us-west-2"` **forces replacement**',
    );

    // Without a plan file the runner applies a fresh plan with -auto-approve.
    const applied = await runner.apply();
    expect(applied.stdout).toContain('Apply complete! Resources: 1 added, 1 changed, 1 destroyed.');
    expect((await runner.plan('settled.tfplan')).changes).toBe(false);
  });

  it('a real error (variable validation) surfaces as IacError with the stderr tail', async () => {
    await setFlag('eu-nowhere-1');
    const err = await runner.plan('bad.tfplan').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IacError);
    expect(err).toMatchObject({ step: 'plan', exitCode: 1 });
    expect((err as Error).message).toContain('active_region must be us-east-1 or us-west-2.');
    expect(logs.at(-1)).toMatchObject({ step: 'plan', ok: false, exitCode: 1 });
  });
});
