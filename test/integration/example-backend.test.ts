// The example infra repo's remote backend (envs/prod/backend.tf.example) is valid Terraform once renamed
// to backend.tf, and locks its state: checked with the real terraform (init without the backend, then
// validate), so the file docs/production.md tells people to use cannot rot.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const TERRAFORM = '/usr/local/bin/terraform';
const EXAMPLE = 'examples/infra-repo/envs/prod/backend.tf.example';

describe.skipIf(!existsSync(TERRAFORM))('example remote backend', () => {
  it('is an S3 backend with state locking, and the root validates with it', () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    expect(text).toMatch(/backend "s3" \{[^}]*use_lockfile\s*=\s*true/s);
    const dir = mkdtempSync(join(tmpdir(), 'failover-backend-'));
    try {
      cpSync('examples/infra-repo/envs/prod', dir, { recursive: true });
      renameSync(join(dir, 'backend.tf.example'), join(dir, 'backend.tf'));
      const tf = (...args: string[]) =>
        execFileSync(TERRAFORM, args, {
          cwd: dir,
          encoding: 'utf8',
          env: { PATH: process.env.PATH ?? '', HOME: dir, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' },
        });
      tf('init', '-backend=false', '-input=false', '-no-color');
      expect(tf('validate', '-no-color')).toContain('The configuration is valid.');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
