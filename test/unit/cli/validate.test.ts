import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../../helpers/cli-io.js';
import { EXAMPLE_CONFIG } from './repo-files.js';

describe('failover validate', () => {
  it('accepts the example config: exit 0 and the service count', async () => {
    const r = await runInProcess(['validate', '--config', 'examples/infra-repo/.github/failover.yml']);
    expect(r).toEqual({
      code: 0,
      stdout: 'valid: 4 services, 1 group (examples/infra-repo/.github/failover.yml)\n',
      stderr: '',
    });
  });

  it('reads .github/failover.yml by default', async () => {
    const r = await runInProcess(['validate'], { files: { '.github/failover.yml': EXAMPLE_CONFIG } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^valid: 4 services/);
  });

  it('prints one FILE:LINE:COL path: message line per problem and exits 1', async () => {
    const broken = EXAMPLE_CONFIG.replace(
      'targets: [us-east-1, us-west-2] #',
      'targets: [us-east-1, "us west 2"] #',
    )
      .replace('on_alert: merge', 'on_alert: always')
      .replace('\'service=~"checkout|all"\'', "'service=~\"checkout|all'");
    const r = await runInProcess(['validate', '-c', 'cfg.yml'], { files: { 'cfg.yml': broken } });
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(
        /^cfg\.yml:11:26 services\.checkout\.targets\[1\]: "us west 2" must be lowercase letters/,
      ),
      expect.stringMatching(
        /^cfg\.yml:20:17 services\.checkout\.automation\.on_alert: "always" must be one of/,
      ),
    ]);
    expect(r.stderr).toBe('');
  });

  it('reports matcher syntax once the schema is satisfied', async () => {
    const broken = EXAMPLE_CONFIG.replace('\'service=~"checkout|all"\'', "'service=~\"checkout|all'");
    const r = await runInProcess(['validate', '-c', 'cfg.yml'], { files: { 'cfg.yml': broken } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^cfg\.yml:17:46 services\.checkout\.alerts\[0\]\.matchers\[1\]: invalid matcher "service=~\\"checkout\|all": missing closing double quote\n$/,
    );
  });

  it('exits 2 with a plain message when the file cannot be read', async () => {
    const r = await runInProcess(['validate', '--config', 'missing.yml'], { files: {} });
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: 'failover: cannot read config missing.yml: no such file\n',
    });
  });

  it('exits 2 on an unknown option and points at --help', async () => {
    const r = await runInProcess(['validate', '--conf', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^failover validate: Unknown option '--conf'/);
    expect(r.stderr).toMatch(/Run 'failover validate --help' for usage\.\n$/);
  });

  it('has --help', async () => {
    const r = await runInProcess(['validate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: failover validate \[--config FILE\]/);
  });
});

describe('failover validate on GitHub Actions', () => {
  const matcher = JSON.parse(readFileSync('matchers/failover-validate.json', 'utf8')) as {
    problemMatcher: {
      owner: string;
      pattern: { regexp: string; file: number; line: number; column: number; message: number }[];
    }[];
  };
  const bad =
    'version: 1\nservices:\n  checkout:\n    targets: [us-east-1, "us west 2"]\n    state: { file: s.json, key: k }\n    automation:\n      on_alert: always\n';

  it('registers the problem matcher around its problems, and the matcher reads each problem line', async () => {
    const r = await runInProcess(['validate', '--config', 'f.yml'], {
      files: { 'f.yml': bad },
      env: { GITHUB_ACTIONS: 'true' },
    });
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    const added = /^::add-matcher::(.+)$/.exec(lines[0] ?? '')?.[1];
    expect(added && existsSync(added)).toBe(true);
    expect(lines.at(-1)).toBe(`::remove-matcher owner=${matcher.problemMatcher[0]!.owner}::`);
    const pattern = matcher.problemMatcher[0]!.pattern[0]!;
    const found = lines.slice(1, -1).map((line) => {
      const m = new RegExp(pattern.regexp).exec(line);
      return (
        m && {
          file: m[pattern.file],
          line: m[pattern.line],
          column: m[pattern.column],
          message: m[pattern.message],
        }
      );
    });
    expect(found).toEqual([
      {
        file: 'f.yml',
        line: '4',
        column: expect.stringMatching(/^\d+$/),
        message: expect.stringMatching(/^services\.checkout\.targets\[1\]: "us west 2"/),
      },
      {
        file: 'f.yml',
        line: '7',
        column: expect.stringMatching(/^\d+$/),
        message: expect.stringMatching(/^services\.checkout\.automation\.on_alert: "always"/),
      },
    ]);
  });

  it('prints no workflow commands outside GitHub Actions', async () => {
    const r = await runInProcess(['validate', '--config', 'f.yml'], { files: { 'f.yml': bad } });
    expect(r.stdout).not.toContain('::');
  });
});
