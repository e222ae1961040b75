// gitReader over real git repos: files at a commit, a file that does not exist there, and a shallow
// checkout (actions/checkout's default depth 1) that lacks the `before` commit and fetches it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitReader } from '../../../src/action/git.js';
import { type InfraRepo, makeInfraRepo, TFVARS } from '../../helpers/action-harness.js';

let origin: InfraRepo;
let shallow: string;

beforeAll(() => {
  origin = makeInfraRepo('version: 1\nservices: {}\n');
  // GitHub serves any reachable commit by sha; a local origin has to be told to.
  origin.git('config', 'uploadpack.allowAnySHA1InWant', 'true');
  shallow = join(mkdtempSync(join(tmpdir(), 'failover-shallow-')), 'clone');
  execFileSync('git', ['clone', '-q', '--depth=1', `file://${origin.dir}`, shallow]);
});
afterAll(() => {
  origin.cleanup();
  rmSync(join(shallow, '..'), { recursive: true, force: true });
});

describe('gitReader', () => {
  it('reads a file at two commits and reports a missing file as undefined', async () => {
    const read = gitReader(origin.dir);
    expect(JSON.parse((await read(origin.before, TFVARS)) ?? '')).toEqual({
      checkout_active_region: 'us-east-1',
    });
    expect(JSON.parse((await read(origin.after, TFVARS)) ?? '')).toEqual({
      checkout_active_region: 'us-west-2',
    });
    expect(await read(origin.after, 'envs/prod/nope.json')).toBeUndefined();
  });

  it('fetches the before commit into a depth-1 checkout', async () => {
    const read = gitReader(shallow);
    expect(() =>
      execFileSync('git', ['-C', shallow, 'cat-file', '-e', origin.before], { stdio: 'ignore' }),
    ).toThrow();
    expect(JSON.parse((await read(origin.before, TFVARS)) ?? '')).toEqual({
      checkout_active_region: 'us-east-1',
    });
  });

  it('refuses a ref that is not a sha, and explains an unknown commit', async () => {
    const read = gitReader(shallow);
    await expect(read('main; rm -rf /', TFVARS)).rejects.toThrow('is not a commit sha');
    await expect(read('0123456789abcdef0123456789abcdef01234567', TFVARS)).rejects.toThrow(
      'use actions/checkout with fetch-depth: 0',
    );
  });
});
