// .github/workflows/release.yml: its shape (checks before tagging, the image pushed by the same job) and
// its shell steps run for real here, in throwaway git repos with a bare "origin": the version comes from
// package.json, vX.Y.Z is tagged, vX moves on the next release, and a tagged version is not released again.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
const workflow = parse(readFileSync('.github/workflows/release.yml', 'utf8')) as {
  on: Record<string, unknown>;
  jobs: { release: { permissions: Record<string, string>; steps: Step[] } };
};
const steps = workflow.jobs.release.steps;
const step = (id: string) => steps.find((s) => s.id === id) as Step;
const indexOf = (match: (s: Step) => boolean) => steps.findIndex(match);

let dir: string;
let origin: string;
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: dir,
    encoding: 'utf8',
  }).trim();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'failover-release-'));
  origin = mkdtempSync(join(tmpdir(), 'failover-release-origin-'));
  execFileSync('git', ['init', '-q', '--bare', origin]);
  git('init', '-q', '-b', 'main');
  git('remote', 'add', 'origin', origin);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(origin, { recursive: true, force: true });
});

/** Commits a package.json with `version`. */
function release(version: string) {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'gitops-failover', version }));
  git('add', '.');
  git('commit', '-q', '-m', `v${version}`);
  return git('rev-parse', 'HEAD');
}

/** Runs one step's script with bash as the runner would (GITHUB_OUTPUT file, the step's env). */
function runStep(s: Step, env: Record<string, string> = {}): Record<string, string> {
  const output = join(dir, '..', `${dir.split('/').pop()}.output`);
  writeFileSync(output, '');
  execFileSync('bash', ['-e', '-c', s.run ?? ''], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', GITHUB_OUTPUT: output, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const text = readFileSync(output, 'utf8');
  rmSync(output);
  return Object.fromEntries(
    text
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('=', 2) as [string, string]),
  );
}

const tagged = (tag: string) =>
  execFileSync('git', ['--git-dir', origin, 'rev-list', '-n', '1', tag], { encoding: 'utf8' }).trim();

describe('release workflow', () => {
  it('runs on version changes on main or by hand, with only the permissions it uses', () => {
    expect(workflow.on.push).toEqual({ branches: ['main'], paths: ['package.json'] });
    expect(workflow.on).toHaveProperty('workflow_dispatch');
    expect(workflow.jobs.release.permissions).toEqual({
      contents: 'write',
      packages: 'write',
      'id-token': 'write',
      attestations: 'write',
    });
  });

  it('checks (dist/ current, tests) before it tags, and builds and pushes the image in the same job', () => {
    const check = indexOf((s) => s.run?.includes('npm run -s build -- --check') === true);
    const tests = indexOf((s) => s.run?.includes('npm test') === true);
    const tag = indexOf((s) => s.id === 'tag');
    const image = indexOf((s) => s.id === 'image');
    expect(check).toBeGreaterThan(-1);
    expect(tests).toBeGreaterThan(-1);
    expect(tag).toBeGreaterThan(Math.max(check, tests));
    expect(image).toBeGreaterThan(tag);
    expect(step('image').uses).toMatch(/^docker\/build-push-action@/);
    expect(step('image').with).toMatchObject({ push: true, tags: '${{ steps.meta.outputs.tags }}' });
    expect(String(step('image').with?.['build-args'])).toContain(
      'VERSION=${{ steps.version.outputs.version }}',
    );
    expect(String(step('meta').with?.images)).toBe(
      'ghcr.io/${{ github.repository_owner }}/gitops-failover-bot',
    );
    // Every step after reading the version is skipped when the version is already released.
    for (const s of steps.slice(indexOf((x) => x.id === 'version') + 1)) {
      expect(s.if, s.name ?? s.uses ?? s.id).toBe("steps.version.outputs.exists == 'false'");
    }
  });

  it('reads the version from package.json, refuses one that is not X.Y.Z, and sees an existing tag', () => {
    release('1.4.2');
    expect(runStep(step('version'))).toEqual({ version: '1.4.2', major: '1', minor: '1.4', exists: 'false' });
    git('tag', 'v1.4.2');
    expect(runStep(step('version')).exists).toBe('true');
    release('1.5.0-rc.1');
    expect(() => runStep(step('version'))).toThrow(/not X\.Y\.Z/);
  });

  it('tags vX.Y.Z and moves vX to each new release, leaving older exact tags where they were', () => {
    const first = release('1.4.2');
    runStep(step('tag'), { VERSION: '1.4.2', MAJOR: '1' });
    expect([tagged('v1.4.2'), tagged('v1')]).toEqual([first, first]);
    const second = release('1.5.0');
    runStep(step('tag'), { VERSION: '1.5.0', MAJOR: '1' });
    expect([tagged('v1.4.2'), tagged('v1.5.0'), tagged('v1')]).toEqual([first, second, second]);
  });

  it('the Dockerfile pins its base image by digest and labels the image (OCI), notices included', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from).toMatch(/^node:24-slim@sha256:[0-9a-f]{64}$/);
    for (const label of ['title', 'source', 'licenses', 'version', 'revision', 'created', 'description']) {
      expect(dockerfile).toContain(`org.opencontainers.image.${label}=`);
    }
    expect(dockerfile).toMatch(/^ARG VERSION=/m);
    expect(dockerfile).toMatch(/COPY --from=build .*THIRD-PARTY-NOTICES\.txt/);
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});
