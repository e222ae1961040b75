import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run.js';
import { captureIo, runInProcess } from '../../helpers/cli-io.js';

describe('failover (dispatch and errors)', () => {
  it('prints the command list with --help (exit 0) and without arguments (exit 2)', async () => {
    const help = await runInProcess(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: failover <command> \[options\]/);
    for (const command of ['validate', 'simulate', 'status', 'plan-summary']) {
      expect(help.stdout).toMatch(new RegExp(`^ {2}${command} `, 'm'));
    }
    const bare = await runInProcess([]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe(help.stdout);
  });

  it.each(['validate', 'simulate', 'status', 'plan-summary'])('`help %s` is `%s --help`', async (command) => {
    const viaHelp = await runInProcess(['help', command]);
    const viaFlag = await runInProcess([command, '--help']);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    expect(viaHelp.stdout).toMatch(new RegExp(`failover ${command}`));
  });

  it('suggests the command meant by a typo', async () => {
    const r = await runInProcess(['simulat']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'failover: unknown command "simulat" (did you mean "simulate"?)\nCommands: validate, simulate, status, plan-summary, test\n',
    });
  });

  it('turns an unexpected error into one line and exit 3, without a stack trace', async () => {
    const io = captureIo();
    io.stdout = () => {
      throw new TypeError('stdout is closed');
    };
    const code = await runCli(['validate', '--config', 'examples/infra-repo/.github/failover.yml'], io);
    expect(code).toBe(3);
    expect(io.err.join('')).toBe(
      'failover: internal error: stdout is closed (set FAILOVER_DEBUG=1 for the stack trace)\n',
    );
  });

  it('prints the stack trace with FAILOVER_DEBUG=1', async () => {
    const io = captureIo({ env: { FAILOVER_DEBUG: '1' } });
    io.stdout = () => {
      throw new TypeError('stdout is closed');
    };
    const code = await runCli(['validate', '--config', 'examples/infra-repo/.github/failover.yml'], io);
    expect(code).toBe(3);
    expect(io.err.join('')).toMatch(/^TypeError: stdout is closed\n\s+at /);
  });

  it('handles things thrown that are not Errors', async () => {
    const io = captureIo();
    io.stdout = () => {
      throw { reason: 'odd' };
    };
    const code = await runCli(['validate', '--help'], io);
    expect(code).toBe(3);
    expect(io.err.join('')).toBe(
      'failover: internal error: {"reason":"odd"} (set FAILOVER_DEBUG=1 for the stack trace)\n',
    );
  });
});
