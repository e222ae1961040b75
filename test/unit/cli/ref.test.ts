// --ref: simulate and status read the files of a git commit (what the default branch holds), not the
// working tree. A real git repository in a temp dir, with the infra repo one level down.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../../helpers/cli-io.js';
import { EXAMPLE_CONFIG, EXAMPLE_STATE, REGION_DOWN } from './repo-files.js';

const root = mkdtempSync(join(tmpdir(), 'failover-ref-'));
const repo = join(root, 'infra');
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], {
    cwd: root,
    encoding: 'utf8',
  });

beforeAll(() => {
  mkdirSync(join(repo, '.github'), { recursive: true });
  mkdirSync(join(repo, 'envs/prod'), { recursive: true });
  writeFileSync(join(repo, '.github/failover.yml'), EXAMPLE_CONFIG);
  writeFileSync(join(repo, 'envs/prod/failover.auto.tfvars.json'), EXAMPLE_STATE);
  writeFileSync(join(root, 'alert.json'), REGION_DOWN);
  git('init', '-q', '-b', 'main');
  git('add', 'infra');
  git('commit', '-q', '-m', 'infra');
  // Local, uncommitted edits the bot would not see: checkout already moved, automation frozen.
  writeFileSync(
    join(repo, 'envs/prod/failover.auto.tfvars.json'),
    EXAMPLE_STATE.replace('"checkout_active_region": "us-east-1"', '"checkout_active_region": "us-west-2"'),
  );
  writeFileSync(join(repo, '.github/failover.freeze'), '');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('--ref', () => {
  it('status reads the working tree by default and the commit with --ref', async () => {
    const local = JSON.parse((await runInProcess(['status', '--repo', repo, '--json'])).stdout);
    const committed = JSON.parse(
      (await runInProcess(['status', '--repo', repo, '--ref', 'main', '--json'])).stdout,
    );
    expect(local.frozen).toBe(true);
    expect(local.services[0].active).toEqual(['us-west-2']);
    expect(committed.frozen).toBe(false);
    expect(committed.services[0].active).toEqual(['us-east-1']);
  });

  it('simulate judges the alert against the committed state', async () => {
    const args = [
      'simulate',
      '--repo',
      repo,
      '--alert',
      join(root, 'alert.json'),
      '--now',
      '2026-11-26T03:10:00Z',
    ];
    const atMain = JSON.parse((await runInProcess([...args, '--ref', 'main', '--json'])).stdout);
    expect(atMain.pr.title).toBe('Failover checkout: us-east-1 → us-west-2');
    const local = JSON.parse((await runInProcess([...args, '--json'])).stdout);
    expect(local.pr).toBeNull();
  });

  it('exits 2 on a ref that is not a commit', async () => {
    const r = await runInProcess(['status', '--repo', repo, '--ref', 'no-such-branch']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`failover: --ref no-such-branch: not a commit of the git repository at ${repo}\n`);
  });

  it('exits 2 when DIR is not in a git repository', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'failover-plain-'));
    try {
      const r = await runInProcess(['status', '--repo', plain, '--ref', 'main']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /^failover: --ref main: not a commit of the git repository at .* \(fatal: not a git repository/,
      );
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});
