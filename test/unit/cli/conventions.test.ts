// The CLI's conventions across commands: --version, one error prefix, did-you-mean for flags.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../../helpers/cli-io.js';

const packageVersion = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

describe('failover conventions', () => {
  it.each([['--version'], ['-V'], ['version']])(
    '`failover %s` prints the package.json version',
    async (flag) => {
      const r = await runInProcess([flag]);
      expect(r).toEqual({ code: 0, stdout: `${packageVersion}\n`, stderr: '' });
    },
  );

  it.each([
    ['validate', '--confg', '--config'],
    ['simulate', '--alrt', '--alert'],
    ['status', '--rpo', '--repo'],
    ['simulate', '--permision', '--permission'],
  ])('`failover %s %s` suggests %s', async (command, typo, meant) => {
    const r = await runInProcess([command, typo, 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Did you mean ${meant}?`);
  });

  it('suggests nothing for a flag that resembles none', async () => {
    const r = await runInProcess(['validate', '--zzzzzzzz']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('Did you mean');
  });

  it.each([
    [['validate', '--config', 'no/such.yml']],
    [['simulate', '--repo', 'examples/infra-repo', '--alert', 'no-such.json']],
    [['simulate', '--repo', 'examples/infra-repo', '--alert', 'package.json']],
    [['status', '--repo', 'no/such/dir']],
    [['status']],
    [['plan-summary', 'no-such-plan.json']],
    [['plan-summary', 'package.json']],
    [['deploy']],
    [['test', 'no/such/dir']],
    [['test', '--nope']],
    [['validate', '--nope']],
  ])('every error of %j starts with "failover[ <command>]: "', async (argv) => {
    const r = await runInProcess(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^failover( [a-z-]+)?: \S/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
