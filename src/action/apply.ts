// `apply` on push to the default branch: apply the flip, verify the new active targets, and report
// everywhere the bot and humans look (check run, PR comment, deployments, job summary, outputs).

import { servingTargets } from '../core/changes.js';
import { parseDuration } from '../core/duration.js';
import { FAILURE_ECHO_LIMIT, inert } from '../core/render/text.js';
import { verifyMarker } from '../core/render/verify-record.js';
import type { FailoverMarker, ServiceConfig } from '../core/types.js';
import type { CommitPr } from '../github/index.js';
import { substituteTarget } from '../verify/substitute.js';
import type { VerifyReport } from '../verify/types.js';
import type { ActionResult, RunState } from './context.js';
import { describeFailure } from './failure.js';
import { applyFlip, CONTROLLER_NOTE } from './iac-steps.js';
import { step } from './io.js';
import { renderChanges, renderSteps, renderVerifications } from './report.js';
import { diffCommits } from './run.js';

export async function runApply(state: RunState): Promise<ActionResult> {
  const { deps } = state;
  const after: string = deps.event.payload?.after ?? deps.event.sha;
  const before: string | undefined = deps.event.payload?.before;
  state.changes = await step(deps.io, state.steps, 'find changed services', deps.now, () =>
    diffCommits(state, before, after),
  );
  const changed = state.changes.map((c) => c.service);
  if (state.changes.length === 0) {
    await deps.io.summary(
      '## gitops-failover apply\n\nThis push changes no failover flag; nothing to apply.',
    );
    return { ok: true, changedServices: [], planSummary: '', verified: undefined, rtoSeconds: undefined };
  }

  // The PR only adds the RTO and a comment: a GitHub outage here must not hold the failover back.
  let pr: CommitPr | undefined;
  let prLookupError: string | undefined;
  if (deps.github) {
    const github = deps.github;
    try {
      pr = await step(deps.io, state.steps, 'find the failover PR', deps.now, () =>
        github.findPrForCommit(after),
      );
    } catch (err: unknown) {
      prLookupError = `find the failover PR: ${describeFailure(err)}`;
      deps.io.warning(`${prLookupError}; applying anyway (no RTO, no PR comment)`);
    }
  }
  const marker = reportableMarker(pr, deps.now());

  let failure: string | undefined;
  let oneLine = '';
  let appliedAt: number | undefined;
  const verifications: { service: string; target: string; report: VerifyReport }[] = [];
  try {
    await applyFlip(state, (planned) => {
      oneLine = planned;
    });
    appliedAt = deps.now();
    const runs = state.changes.flatMap((change) => {
      const svc = state.config.services[change.service]!;
      return servingTargets(svc, change.after).map((target) => ({ change, svc, target }));
    });
    // Every service and target verifies at once: the slowest check bounds the wait, not the sum.
    const reports = await step(deps.io, state.steps, 'verify', deps.now, () =>
      Promise.all(
        runs.map(async ({ change, svc, target }) => ({
          service: change.service,
          target,
          report: await deps.verify(svc.verify.checks, {
            target,
            timeoutMs: parseDuration(svc.verify.timeout),
          }),
        })),
      ),
    );
    verifications.push(...reports);
    const failed = verifications.filter((v) => !v.report.ok).map((v) => `${v.service} on ${v.target}`);
    if (failed.length > 0) failure = `verification failed for ${failed.join(', ')}`;
  } catch (err: unknown) {
    failure = describeFailure(err);
  }

  const verified = appliedAt !== undefined && !failure;
  const verifiedAt = verified ? (latestFinish(verifications) ?? deps.now()) : undefined;
  const rtoSeconds =
    verifiedAt !== undefined && marker
      ? Math.max(0, Math.round((verifiedAt - Date.parse(marker.startedAt)) / 1000))
      : undefined;
  const record = {
    services: changed,
    changes: state.changes.map((c) => ({ service: c.service, from: c.from, to: c.to })),
    pr: pr?.number,
    sha: after,
    applied: appliedAt !== undefined,
    verified,
    appliedAt: appliedAt === undefined ? undefined : new Date(appliedAt).toISOString(),
    verifiedAt: verifiedAt === undefined ? undefined : new Date(verifiedAt).toISOString(),
    rtoSeconds,
    failure,
    kind: marker?.kind,
  };
  const body = [
    // The record comes first: GitHub keeps the beginning of a check-run summary over 65,535 characters,
    // and the bot's results loop must always find it (it is an HTML comment: nothing shows).
    verifyMarker(record),
    `### gitops-failover apply: ${verified ? 'applied and verified' : appliedAt ? 'applied, NOT verified' : 'failed'}`,
    renderChanges(state.changes),
    oneLine ? `Terraform: ${oneLine}.` : '',
    deps.inputs.iac === 'none' ? CONTROLLER_NOTE : '',
    rtoSeconds !== undefined
      ? `**Recovery time:** ${rtoSeconds} s from the first alert to verified traffic.`
      : '',
    verifications.length > 0 ? `#### Verification\n\n${renderVerifications(verifications)}` : '',
    // Failure text can carry terraform output or probe answers: inert (no markup, mentions, markers).
    failure ? `**What failed:** ${inert(failure, FAILURE_ECHO_LIMIT)}` : '',
    failure && appliedAt === undefined
      ? '**Not run:** the flip was not applied, so no verification check ran.'
      : '',
    `<details><summary>Steps</summary>\n\n${renderSteps(state.steps)}\n\n</details>`,
  ]
    .filter(Boolean)
    .join('\n\n');

  const reportErrors = [
    ...(prLookupError ? [prLookupError] : []),
    ...(await reportApply(state, { after, prNumber: pr?.number, body, verified, failure })),
  ];
  // A verified failover whose report did not reach GitHub still fails the job: nobody would see it.
  const reportFailure =
    reportErrors.length > 0 ? `reporting to GitHub failed: ${reportErrors.join('; ')}` : undefined;
  await deps.io.summary(reportFailure ? `${body}\n\n**Not reported:** ${reportFailure}` : body);
  return {
    ok: verified && !reportFailure,
    changedServices: changed,
    planSummary: oneLine,
    verified,
    rtoSeconds,
    failure: failure ?? reportFailure,
  };
}

function latestFinish(verifications: { report: VerifyReport }[]): number | undefined {
  const times = verifications.map((v) => Date.parse(v.report.finishedAt)).filter((t) => Number.isFinite(t));
  return times.length > 0 ? Math.max(...times) : undefined;
}

async function reportApply(
  state: RunState,
  r: { after: string; prNumber?: number; body: string; verified: boolean; failure?: string },
): Promise<string[]> {
  const { github, io, event } = state.deps;
  if (!github) {
    io.warning('no github-token: the result is in the job summary only');
    return [];
  }
  // Each report goes out even if another fails: a missing deployment must not hide the check run.
  const errors: string[] = [];
  const attempt = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err: unknown) {
      errors.push(`${what}: ${describeFailure(err)}`);
    }
  };
  await attempt('check run', () =>
    github.createCheckRun({
      name: 'gitops-failover/verify',
      headSha: r.after,
      conclusion: r.verified ? 'success' : 'failure',
      output: {
        title: r.verified
          ? 'Failover applied and verified'
          : `Failover failed: ${r.failure ?? 'unknown'}`.slice(0, 200),
        summary: r.body,
      },
      detailsUrl: event.runUrl,
    }),
  );
  if (r.prNumber !== undefined) {
    const prNumber = r.prNumber;
    await attempt('PR comment', () => github.ensureComment(prNumber, 'apply', r.body));
  }
  for (const change of state.changes) {
    const description = `${change.from} → ${change.to}`;
    await attempt(`deployment ${change.service}`, async () => {
      const deployment = await github.createDeployment({
        service: change.service,
        ref: r.after,
        description,
        payload: { service: change.service, from: change.from, to: change.to, pr: r.prNumber },
      });
      const environmentUrl = serviceUrl(state.config.services[change.service], change.to);
      await github.createDeploymentStatus(deployment.id, r.verified ? 'success' : 'failure', {
        description: r.verified ? `${description}: verified` : `${description}: ${r.failure ?? 'failed'}`,
        logUrl: event.runUrl,
        ...(environmentUrl ? { environmentUrl } : {}),
      });
    });
  }
  state.steps.push({
    step: 'report to GitHub',
    ok: errors.length === 0,
    ms: 0,
    detail: errors.join('; ') || undefined,
  });
  for (const e of errors) io.error(`could not report ${e}`);
  return errors;
}

/**
 * The marker of the PR this push merged, for the report only (RTO from the alert start, the kind). The
 * Action holds no marker key, so it cannot check the bot's signature: it believes a marker only on the
 * PR whose merge commit this is, opened by a bot from a branch of this repo, with a start time that is
 * not in the future. What is applied never comes from the marker (it is the commit's own diff), and the
 * bot's results loop re-reads its own signed marker instead of anything this run reports.
 */
function reportableMarker(pr: CommitPr | undefined, now: number): FailoverMarker | undefined {
  if (!pr?.mergedAs || !pr.verdict.ok) return undefined;
  const started = Date.parse(pr.verdict.marker.startedAt);
  return Number.isFinite(started) && started <= now ? pr.verdict.marker : undefined;
}

/**
 * The deployment's environment URL, when known: the first HTTP verify check's URL for the new active
 * target, without credentials or query (scheme, host and path only). Weighted services have no single
 * target, and services verified without HTTP have no URL.
 */
export function serviceUrl(svc: ServiceConfig | undefined, to: unknown): string | undefined {
  if (!svc || svc.mode !== 'active-passive' || typeof to !== 'string') return undefined;
  const http = svc.verify.checks.find((c) => c.http)?.http;
  if (!http) return undefined;
  try {
    const url = new URL(substituteTarget(http.url, to));
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    return `${url.origin}${url.pathname}`;
  } catch {
    return undefined;
  }
}
