// In-memory ActionDeps for unit tests of src/action/run.ts: files per commit, a recording io, a scripted
// IaC runner, a scripted verifier and a recording GitHub. Integration tests use the real parts instead.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ActionDeps, ActionGitHub, ActionResult } from '../../src/action/context.js';
import type { ActionInputs } from '../../src/action/inputs.js';
import type { ActionIo } from '../../src/action/io.js';
import { runAction } from '../../src/action/run.js';
import { judgeMarker } from '../../src/github/trust.js';
import type { IacRunner } from '../../src/iac/runner.js';
import type { VerifyReport } from '../../src/verify/types.js';

const here = dirname(fileURLToPath(import.meta.url));
export const PLAN_JSON: unknown = JSON.parse(
  readFileSync(join(here, '..', 'fixtures', 'iac', 'plan-flip-terraform-data-tf1.11.json'), 'utf8'),
);

export interface RecordingIo extends ActionIo {
  lines: string[];
  outputs: Record<string, string>;
  secrets: string[];
  summaries: string[];
  failed: string[];
}

export function recordingIo(): RecordingIo {
  const io: RecordingIo = {
    lines: [],
    outputs: {},
    secrets: [],
    summaries: [],
    failed: [],
    info: (m) => io.lines.push(m),
    warning: (m) => io.lines.push(`warning: ${m}`),
    error: (m) => io.lines.push(`error: ${m}`),
    setOutput: (n, v) => {
      io.outputs[n] = v;
    },
    setSecret: (v) => {
      io.secrets.push(v);
      io.lines.push(`mask: ${v}`);
    },
    setFailed: (m) => io.failed.push(m),
    summary: async (m) => {
      io.summaries.push(m);
    },
    startGroup: (n) => io.lines.push(`group: ${n}`),
    endGroup: () => io.lines.push('endgroup'),
  };
  return io;
}

export function fakeRunner(calls: string[], failAt?: string): IacRunner {
  const step = async (name: string) => {
    calls.push(name);
    if (name === failAt) throw new Error(`terraform ${name} failed with exit code 1`);
    return { exitCode: 0, stdout: '', stderr: '' };
  };
  return {
    tool: 'terraform',
    binary: 'terraform',
    workingDir: () => '.',
    synthDir: () => '.',
    synth: () => step('synth'),
    init: () => step('init'),
    plan: async (out) => ({ ...(await step('plan')), changes: true, planFile: out }),
    showJson: async () => {
      await step('show');
      return PLAN_JSON;
    },
    apply: () => step('apply'),
  };
}

export function report(ok: boolean, finishedAt: string): VerifyReport {
  return { ok, startedAt: finishedAt, finishedAt, checks: [] };
}

/** A verifier whose every run passes, finishing at `finishedAt`. */
export function passingVerify(finishedAt = '2026-11-26T03:03:00.000Z'): ActionDeps['verify'] {
  return async () => report(true, finishedAt);
}

export interface RecordingGitHub extends ActionGitHub {
  calls: { verb: string; args: unknown[] }[];
}

/** Records every call; `fail` names verbs that reject with `error`. */
export function recordingGitHub(
  opts: { fail?: string[]; error?: unknown; prBody?: string } = {},
): RecordingGitHub {
  const calls: RecordingGitHub['calls'] = [];
  const rec =
    <T>(verb: string, value: T) =>
    async (...args: unknown[]): Promise<T> => {
      calls.push({ verb, args });
      if (opts.fail?.includes(verb)) throw opts.error ?? new Error(`${verb} failed`);
      return value;
    };
  return {
    calls,
    ensureComment: rec('ensureComment', { id: 1, action: 'created' as const }),
    findPrForCommit: rec(
      'findPrForCommit',
      opts.prBody === undefined
        ? undefined
        : {
            number: 7,
            body: opts.prBody,
            url: 'https://github.com/o/r/pull/7',
            mergedAs: true,
            // What the port says of the app's own PR when it holds no key (the Action's case).
            verdict: judgeMarker(undefined, 'o/r', opts.prBody, {
              author: { login: 'gitops-failover[bot]', isBot: true },
              crossRepository: false,
            }),
          },
    ),
    createCheckRun: rec('createCheckRun', { id: 2, url: '' }),
    createDeployment: rec('createDeployment', { id: 3 }),
    createDeploymentStatus: rec('createDeploymentStatus', undefined),
  };
}

export function inputs(over: Partial<ActionInputs> = {}): ActionInputs {
  return {
    command: 'apply',
    config: '.github/failover.yml',
    workingDirectory: 'envs/prod',
    iac: 'terraform',
    githubToken: undefined,
    services: [],
    ...over,
  };
}

/** Deps over files per commit (`working` is the checked-out tree). */
export function fakeDeps(o: {
  inputs: ActionInputs;
  commits: Record<string, Record<string, string>>;
  working: Record<string, string>;
  payload: unknown;
  sha: string;
  io: ActionIo;
  iac: IacRunner;
  verify: ActionDeps['verify'];
  github?: ActionGitHub;
  now?: () => number;
}): ActionDeps {
  return {
    inputs: o.inputs,
    event: { name: 'push', payload: o.payload, sha: o.sha, owner: 'o', repo: 'r', runUrl: 'https://run' },
    workspace: '/repo',
    io: o.io,
    now: o.now ?? (() => Date.parse('2026-11-26T03:10:00Z')),
    readAt: async (sha, path) => o.commits[sha]?.[path],
    readWorking: (path) => o.working[path],
    github: o.github,
    iac: () => o.iac,
    verify: o.verify,
  };
}

export type FakeRunOptions = Omit<Parameters<typeof fakeDeps>[0], 'io' | 'iac' | 'verify'> &
  Partial<Pick<Parameters<typeof fakeDeps>[0], 'iac' | 'verify'>>;

/** runAction over fakeDeps with a fresh recording io; unless given, terraform succeeds and verify passes. */
export async function runWithFakes(o: FakeRunOptions): Promise<{ result: ActionResult; io: RecordingIo }> {
  const io = recordingIo();
  const result = await runAction(fakeDeps({ iac: fakeRunner([]), verify: passingVerify(), ...o, io }));
  return { result, io };
}
