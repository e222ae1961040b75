// The example cdktn app end to end with real programs: `cdktn synth` through cdktn-cli (the app imports
// gitops-failover/cdktn through the package "exports", as an installed package), the synthesised
// sandbox stack planned and applied with the real terraform binary (built-in resources only, offline),
// then the flag flipped with the bot's state editor and the change synthesised and applied again.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editState } from '../../src/core/state/index.js';
import { spawnExec } from '../../src/iac/exec.js';
import { TERRAFORM, terraformMissing } from '../helpers/action-harness.js';
import { type CdktnRepo, installGitopsFailover, makeCdktnRepo, synthEnv } from '../helpers/cdktn-repo.js';

const skip = terraformMissing();
if (skip) console.log(`skipping the cdktn sandbox test: ${skip}`);

// Real cdktn synth and terraform on a shared 2-core machine: minutes, not seconds, in the worst case.
const SLOW = 300_000;
const STATE = 'state/failover.json';

let packages: string;
let repo: CdktnRepo;
beforeAll(async () => {
  packages = mkdtempSync(join(tmpdir(), 'failover-cdktn-pkg-'));
  await installGitopsFailover(packages);
  repo = makeCdktnRepo(packages);
}, SLOW);
afterAll(() => {
  repo?.cleanup();
  if (packages) rmSync(packages, { recursive: true, force: true });
});

async function run(file: string, args: string[], cwd: string) {
  const result = await spawnExec(file, args, { cwd, env: { ...synthEnv(), TF_IN_AUTOMATION: '1' } });
  if (result.exitCode !== 0 && result.exitCode !== 2) {
    throw new Error(
      `${file} ${args.join(' ')} exited ${result.exitCode}:\n${result.stderr}\n${result.stdout}`,
    );
  }
  return result;
}

const synth = () => run(join(repo.dir, 'node_modules/.bin/cdktn'), ['synth'], repo.dir);
const stackDir = (name: string) => join(repo.dir, 'cdktf.out', 'stacks', name);
// biome-ignore lint/suspicious/noExplicitAny: synthesised Terraform JSON
const stackJson = (name: string): any =>
  JSON.parse(readFileSync(join(stackDir(name), 'cdk.tf.json'), 'utf8'));
const tf = (...args: string[]) => run(TERRAFORM, [...args, '-no-color'], stackDir('sandbox'));

describe.skipIf(skip)('the example cdktn app', () => {
  it(
    'synthesises both stacks from the state file, with the records the flags ask for',
    async () => {
      const out = await synth();
      expect(`${out.stdout}${out.stderr}`).toContain('Generated Terraform code for the stacks');
      const manifest = JSON.parse(readFileSync(join(repo.dir, 'cdktf.out', 'manifest.json'), 'utf8'));
      expect(Object.keys(manifest.stacks).sort()).toEqual(['prod', 'sandbox']);

      const prod = stackJson('prod');
      const records = Object.values(prod.resource.aws_route53_record) as Record<string, unknown>[];
      const roles = Object.fromEntries(
        records
          .filter((r) => r.failover_routing_policy)
          .map((r) => [r.set_identifier, (r.failover_routing_policy as { type: string }).type]),
      );
      expect(roles).toEqual({ 'us-east-1': 'PRIMARY', 'us-west-2': 'SECONDARY' });
      const weights = Object.fromEntries(
        records
          .filter((r) => r.weighted_routing_policy)
          .map((r) => [r.set_identifier, (r.weighted_routing_policy as { weight: number }).weight]),
      );
      expect(weights).toEqual({ 'us-east-1': 50, 'us-west-2': 30, 'eu-west-1': 20 });
      expect(Object.keys(prod.resource.aws_route53_health_check)).toHaveLength(5);
      expect(prod.provider.aws).toEqual([{ region: 'us-east-1' }]);

      const sandbox = stackJson('sandbox');
      expect(Object.keys(sandbox.resource)).toEqual(['terraform_data']);
      expect(sandbox.provider).toBeUndefined();
    },
    SLOW,
  );

  it(
    'applies the sandbox stack with real terraform, then follows a flip of the flag',
    async () => {
      await synth();
      await tf('init', '-input=false');
      await tf('apply', '-input=false', '-auto-approve');
      expect(readFileSync(join(stackDir('sandbox'), 'routes/checkout'), 'utf8')).toBe('us-east-1\n');
      expect(JSON.parse((await tf('output', '-json')).stdout).checkout_active.value).toBe('us-east-1');

      // The bot's edit, byte-preserving, then the next synth and plan.
      const path = join(repo.dir, STATE);
      writeFileSync(
        path,
        editState(STATE, readFileSync(path, 'utf8'), 'checkout_active_region', 'us-west-2').newText,
      );
      await synth();
      const plan = await tf('plan', '-input=false', '-detailed-exitcode', '-out=flip.tfplan');
      expect(plan.exitCode).toBe(2);
      const changes = JSON.parse((await tf('show', '-json', 'flip.tfplan')).stdout).resource_changes.filter(
        (c: { change: { actions: string[] } }) => c.change.actions.join() !== 'no-op',
      );
      expect(
        changes.map((c: { address: string; change: { actions: string[] } }) => [c.address, c.change.actions]),
      ).toEqual([['terraform_data.checkout-route', ['delete', 'create']]]);
      await tf('apply', '-input=false', 'flip.tfplan');
      expect(readFileSync(join(stackDir('sandbox'), 'routes/checkout'), 'utf8')).toBe('us-west-2\n');
      expect(JSON.parse((await tf('output', '-json')).stdout).checkout_active.value).toBe('us-west-2');
      // the local backend keeps the state next to the app, outside the synthesised folder
      expect(existsSync(join(repo.dir, 'terraform.sandbox.tfstate'))).toBe(true);
    },
    SLOW,
  );

  it(
    'type-checks against the published declarations of gitops-failover/cdktn',
    async () => {
      const out = await run(join(repo.dir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], repo.dir);
      expect(out.stdout).toBe('');
    },
    SLOW,
  );

  it(
    'fails the synth naming the file and key when the flag holds an unknown target',
    async () => {
      const path = join(repo.dir, STATE);
      writeFileSync(
        path,
        readFileSync(path, 'utf8').replace(
          /"checkout_active_region": "[^"]+"/,
          '"checkout_active_region": "eu-central-1"',
        ),
      );
      const result = await spawnExec(join(repo.dir, 'node_modules/.bin/cdktn'), ['synth'], {
        cwd: repo.dir,
        env: synthEnv(),
      });
      expect(result.exitCode).not.toBe(0);
      expect(`${result.stdout}${result.stderr}`).toContain(
        'state/failover.json: key "checkout_active_region" holds "eu-central-1", which is not a target of service "checkout" (targets: us-east-1, us-west-2)',
      );
    },
    SLOW,
  );
});
