// spawnExec hands each line of stdout and stderr to onLine as it arrives, a last unterminated line too,
// and still returns the whole output.
import { describe, expect, it } from 'vitest';
import { lineSplitter, spawnExec } from '../../../src/iac/exec.js';

describe('spawnExec onLine', () => {
  it('streams lines from both streams and keeps the full output', async () => {
    const lines: string[] = [];
    const script =
      "process.stdout.write('a\\nb'); setTimeout(() => { process.stdout.write('c\\n'); process.stderr.write('oops'); }, 50);";
    const r = await spawnExec(process.execPath, ['-e', script], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH },
      onLine: (l) => lines.push(l),
    });
    expect(r).toEqual({ exitCode: 0, stdout: 'a\nbc\n', stderr: 'oops' });
    expect(lines).toEqual(['a', 'bc', 'oops']);
  });

  it('splits CRLF and chunks that cut a line in two', () => {
    const lines: string[] = [];
    const s = lineSplitter((l) => lines.push(l));
    s.push(Buffer.from('one\r\ntw'));
    s.push(Buffer.from('o\nthree'));
    s.end();
    expect(lines).toEqual(['one', 'two', 'three']);
  });
});
