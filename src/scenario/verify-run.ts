// The Action's side of a `verify:` step: for the last merged change of each named service, the check run
// `gitops-failover/verify` the Action would report (with its hidden verify record) and the event the
// bot's results loop receives for it.
import { changedServices } from '../core/changes.js';
import { parseMarker } from '../core/render/index.js';
import { verifyMarker } from '../core/render/verify-record.js';
import type { FailoverConfig } from '../core/types.js';
import type { DoubleState, Pull, RepoState } from '../memory-github/index.js';
import { type CheckRunEvent, GITHUB_ACTIONS_APP, VERIFY_CHECK_NAME } from '../service/results.js';

export interface ScriptedCheckRun {
  /** The services of the scenario's `verify:` that this run answers for. */
  subjects: string[];
  /** The body of POST /repos/{owner}/{repo}/check-runs. */
  checkRun: Record<string, unknown>;
  event: CheckRunEvent;
}

interface VerifyStage {
  sc: { config: FailoverConfig };
  github: DoubleState;
  repo: RepoState;
  clock: { ms: number };
}

/** One check run per merged change named (a group's members share one); throws when there is none. */
export function verifyCheckRun(
  stage: VerifyStage,
  results: Record<string, 'pass' | 'fail'>,
): ScriptedCheckRun[] {
  const bySha = new Map<string, { pull: Pull; sha: string; subjects: string[]; verified: boolean }>();
  for (const [subject, result] of Object.entries(results)) {
    const change = lastMergedChange(stage, subject);
    if (!change) throw new Error(`no merged failover change for ${subject} to verify`);
    const entry = bySha.get(change.sha) ?? { ...change, subjects: [], verified: true };
    entry.subjects.push(subject);
    entry.verified &&= result === 'pass';
    bySha.set(change.sha, entry);
  }
  return [...bySha.values()].map((c) => checkRunFor(stage, c));
}

/** Walks the default branch back from its head to the newest merge of a failover PR for `subject`. */
function lastMergedChange(stage: VerifyStage, subject: string): { pull: Pull; sha: string } | undefined {
  const { github, repo } = stage;
  const merges = new Map(
    [...repo.pulls.values()].filter((p) => p.mergeCommitSha).map((p) => [p.mergeCommitSha, p]),
  );
  for (let sha = github.headSha(repo); sha; sha = repo.commits.get(sha)?.parents[0]) {
    const pull = merges.get(sha);
    if (!pull) continue;
    const marker = parseMarker(pull.body);
    if (pull.head === `failover/${subject}` || marker?.services.includes(subject)) return { pull, sha };
  }
  return undefined;
}

function checkRunFor(
  stage: VerifyStage,
  change: { pull: Pull; sha: string; subjects: string[]; verified: boolean },
): ScriptedCheckRun {
  const { repo, clock } = stage;
  const commit = repo.commits.get(change.sha);
  const parent = commit?.parents[0] ? repo.commits.get(commit.parents[0]) : undefined;
  const changes = changedServices(
    stage.sc.config,
    (path) => parent?.tree.get(path),
    (path) => commit?.tree.get(path),
  ).map((c) => ({ service: c.service, from: c.from, to: c.to }));
  const marker = parseMarker(change.pull.body);
  const now = new Date(clock.ms).toISOString();
  const started = marker ? Date.parse(marker.startedAt) : Number.NaN;
  const record = {
    services: changes.map((c) => c.service),
    changes,
    pr: change.pull.number,
    sha: change.sha,
    applied: true,
    verified: change.verified,
    appliedAt: now,
    verifiedAt: change.verified ? now : undefined,
    rtoSeconds:
      change.verified && Number.isFinite(started)
        ? Math.max(0, Math.round((clock.ms - started) / 1000))
        : undefined,
    failure: change.verified ? undefined : 'verification failed (scenario: verify fail)',
    kind: marker?.kind,
  };
  const conclusion = change.verified ? 'success' : 'failure';
  const summary = `### gitops-failover apply: ${change.verified ? 'applied and verified' : 'applied, NOT verified'}\n\n${verifyMarker(record)}`;
  return {
    subjects: change.subjects,
    checkRun: {
      name: VERIFY_CHECK_NAME,
      head_sha: change.sha,
      status: 'completed',
      conclusion,
      completed_at: now,
      output: { title: change.verified ? 'Failover applied and verified' : 'Failover failed', summary },
    },
    event: {
      owner: repo.owner,
      repo: repo.name,
      name: VERIFY_CHECK_NAME,
      // The scenario plays the Action's run: GitHub records such check runs as created by GitHub Actions.
      app: { slug: GITHUB_ACTIONS_APP },
      headSha: change.sha,
      conclusion,
      completedAt: now,
      output: { summary },
    },
  };
}
