// The Action's process runner (@actions/exec): lines reach onLine while the process still runs, exit
// codes come back as they are, and a missing or non-executable binary fails the way the IaC runner
// explains (ENOENT, EACCES).
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actionsExec } from '../../../src/action/actions-exec.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'failover exec '));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const env = { PATH: process.env.PATH };

describe('actionsExec', () => {
  it('hands over each line as it is printed, before the process ends', async () => {
    const go = join(dir, 'go');
    // Prints one line, then waits until the test has seen it (the file appears), then prints two more.
    const script = `console.log('first'); const t = setInterval(() => { if (require('node:fs').existsSync(${JSON.stringify(go)})) { clearInterval(t); console.log('second'); console.error('on stderr'); process.exit(3); } }, 20);`;
    const seen: string[] = [];
    let exited = false;
    const run = actionsExec(process.execPath, ['-e', script], {
      cwd: dir,
      env,
      onLine: (line) => {
        seen.push(line);
        if (line === 'first') {
          expect(exited).toBe(false);
          writeFileSync(go, '');
        }
      },
    });
    const result = await run;
    exited = true;
    expect(existsSync(go)).toBe(true);
    expect(seen).toEqual(expect.arrayContaining(['first', 'second', 'on stderr']));
    expect(seen.indexOf('first')).toBe(0);
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toBe('first\nsecond\n');
    expect(result.stderr).toBe('on stderr\n');
  });

  it('runs a tool whose path contains spaces', async () => {
    const tool = join(dir, 'fake terraform');
    writeFileSync(tool, '#!/bin/sh\necho "args: $*"\n');
    chmodSync(tool, 0o755);
    const result = await actionsExec(tool, ['plan', '-input=false'], { cwd: dir, env });
    expect(result).toEqual({ exitCode: 0, stdout: 'args: plan -input=false\n', stderr: '' });
  });

  it('fails with ENOENT for a missing tool and EACCES for one that is not executable', async () => {
    await expect(actionsExec('no-such-terraform-binary', [], { cwd: dir, env })).rejects.toMatchObject({
      code: 'ENOENT',
    });
    const tool = join(dir, 'terraform');
    writeFileSync(tool, '#!/bin/sh\n');
    chmodSync(tool, 0o644);
    await expect(actionsExec(tool, [], { cwd: dir, env })).rejects.toMatchObject({ code: 'EACCES' });
  });
});
