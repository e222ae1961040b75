// The shared context of one Action run and the GitHub verbs it uses (a subset of the src/github port).
import type { ServiceChange } from '../core/changes.js';
import type { FailoverConfig } from '../core/types.js';
import type { GitHubPort } from '../github/index.js';
import type { IacRunner, IacRunnerOptions } from '../iac/runner.js';
import type { runChecks } from '../verify/index.js';
import type { ActionInputs } from './inputs.js';
import type { ActionIo, StepRecord } from './io.js';

export interface ActionEvent {
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: webhook payloads are untyped JSON
  payload: any;
  sha: string;
  owner: string;
  repo: string;
  runUrl?: string;
}

/** The GitHub verbs the Action uses, from the src/github port. */
export type ActionGitHub = Pick<
  GitHubPort,
  'ensureComment' | 'findPrForCommit' | 'createCheckRun' | 'createDeployment' | 'createDeploymentStatus'
>;

export interface ActionDeps {
  inputs: ActionInputs;
  event: ActionEvent;
  /** Absolute path of the checked-out repository. */
  workspace: string;
  io: ActionIo;
  now: () => number;
  /** A file as it is at a commit; undefined when it does not exist there. */
  readAt(sha: string, path: string): Promise<string | undefined>;
  /** A file as it is in the working tree; undefined when it does not exist. */
  readWorking(path: string): string | undefined;
  github?: ActionGitHub;
  iac(options: IacRunnerOptions): IacRunner;
  verify: typeof runChecks;
}

export interface RunState {
  deps: ActionDeps;
  config: FailoverConfig;
  steps: StepRecord[];
  changes: ServiceChange[];
}

export interface ActionResult {
  ok: boolean;
  changedServices: string[];
  planSummary: string;
  verified: boolean | undefined;
  rtoSeconds: number | undefined;
  failure?: string;
}
