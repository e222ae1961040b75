// Failure messages the job log and reports show. A GitHub error carries its HTTP status and, for the
// statuses a workflow can fix itself, what to change.
import { describeThrown } from '../core/errors.js';
import { GitHubError } from '../github/index.js';

const PERMISSION_HINT =
  'the workflow token lacks a permission: grant `checks: write`, `pull-requests: write` and `deployments: write`';

export function describeFailure(err: unknown): string {
  if (!(err instanceof GitHubError)) return describeThrown(err);
  const status = err.status === 0 ? 'network error' : `HTTP ${err.status}`;
  const hint = err.status === 403 || err.status === 404 ? ` (${PERMISSION_HINT})` : '';
  return `${status}: ${err.message}${hint}`;
}
