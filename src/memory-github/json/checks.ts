// Check runs and deployments as GitHub's REST API shows them (check-run, deployment, deployment-status).
// The double stores what the caller sent; these fill in what GitHub adds.
import type { RepoState } from '../state.js';
import { ACTIONS_APP, type AppIdentity, integrationJson, OUR_APP } from './app.js';
import { type Account, nodeId, numericId, repoApi, repoWeb, type Site, timestamp, userJson } from './base.js';

type Stored = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const optional = (key: string, value: string | null) => (value === null ? {} : { [key]: value });

export function checkRunJson(site: Site, r: RepoState, run: Stored): Record<string, unknown> {
  const url = `${repoApi(site, r)}/check-runs/${run.id}`;
  const output = (run.output ?? {}) as Stored;
  const headSha = String(run.head_sha ?? '');
  return {
    ...run,
    id: run.id,
    node_id: nodeId('CR', `${r.owner}/${r.name}#${run.id}`),
    head_sha: headSha,
    external_id: str(run.external_id) ?? '',
    url,
    html_url: str(run.html_url),
    details_url: str(run.details_url),
    status: str(run.status) ?? 'queued',
    conclusion: str(run.conclusion),
    started_at: timestamp(str(run.started_at) ?? undefined),
    completed_at: timestamp(str(run.completed_at) ?? undefined),
    output: {
      title: str(output.title),
      summary: str(output.summary),
      text: str(output.text),
      annotations_count: 0,
      annotations_url: `${url}/annotations`,
    },
    name: String(run.name ?? ''),
    check_suite: { id: numericId(`suite:${r.owner}/${r.name}@${headSha}`) },
    app: integrationJson(site, (run.app as Stored | undefined)?.id === OUR_APP.id ? OUR_APP : ACTIONS_APP),
    pull_requests: pullsWithHead(site, r, headSha),
  };
}

/**
 * The app a check run is created by, as stored (and sent in webhooks as `check_run.app`): the app when it
 * uses its installation token, GitHub Actions for any other token (a workflow's GITHUB_TOKEN).
 */
export function checkRunApp(asApp: boolean | undefined): Stored {
  const app: AppIdentity = asApp ? OUR_APP : ACTIONS_APP;
  return { id: app.id, slug: app.slug, name: app.name, owner: { login: app.owner } };
}

/** Open pull requests of this repository whose head is the commit (pull-request-minimal). */
function pullsWithHead(site: Site, r: RepoState, sha: string) {
  const repo = {
    id: numericId(`repo:${r.owner}/${r.name}`.toLowerCase()),
    url: repoApi(site, r),
    name: r.name,
  };
  return [...r.pulls.values()]
    .filter((p) => p.state === 'open' && !p.headRepo && site.state.pullHeadSha(r, p) === sha)
    .map((p) => ({
      id: numericId(`pull:${p.nodeId}`),
      number: p.number,
      url: `${repoApi(site, r)}/pulls/${p.number}`,
      head: { ref: p.head, sha, repo },
      base: { ref: p.base, sha: site.state.headSha(r, p.base) ?? '', repo },
    }));
}

export function deploymentJson(site: Site, r: RepoState, d: Stored): Record<string, unknown> {
  const url = `${repoApi(site, r)}/deployments/${d.id}`;
  const environment = str(d.environment) ?? 'production';
  return {
    url,
    id: d.id,
    node_id: nodeId('DE', `${r.owner}/${r.name}#${d.id}`),
    sha: String(d.sha ?? ''),
    ref: String(d.ref ?? ''),
    task: str(d.task) ?? 'deploy',
    payload: d.payload ?? {},
    original_environment: environment,
    environment,
    description: str(d.description) ?? '',
    creator: userJson(site, d.creator as Account),
    created_at: timestamp(String(d.created_at)),
    updated_at: timestamp(String(d.created_at)),
    statuses_url: `${url}/statuses`,
    repository_url: repoApi(site, r),
    transient_environment: false,
    production_environment: environment === 'production',
  };
}

export function deploymentStatusJson(
  site: Site,
  r: RepoState,
  d: Stored,
  status: Stored,
): Record<string, unknown> {
  const deploymentUrl = `${repoApi(site, r)}/deployments/${d.id}`;
  return {
    url: `${deploymentUrl}/statuses/${status.id}`,
    id: status.id,
    node_id: nodeId('DES', `${r.owner}/${r.name}#${status.id}`),
    state: status.state,
    creator: userJson(site, status.creator as Account),
    description: str(status.description) ?? '',
    environment: str(status.environment) ?? str(d.environment) ?? 'production',
    // GitHub copies log_url into the older target_url; with neither, the repository's deployments page.
    target_url: str(status.log_url) ?? str(status.target_url) ?? `${repoWeb(r)}/deployments`,
    ...optional('log_url', str(status.log_url) ?? str(status.target_url)),
    ...optional('environment_url', str(status.environment_url)),
    created_at: timestamp(String(status.created_at)),
    updated_at: timestamp(String(status.created_at)),
    deployment_url: deploymentUrl,
    repository_url: repoApi(site, r),
  };
}
