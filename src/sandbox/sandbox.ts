// Boots every part of the sandbox on 127.0.0.1 (each program on a port chosen free at start) and stops
// them all: two regions, HAProxy, the in-memory GitHub with the example infra repo, the real bot,
// Alertmanager, Prometheus with the blackbox exporter, the local Actions runner and steady load.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  DoubleState,
  deliverWebhooks,
  type GitHubDouble,
  type RepoState,
  startGitHubDouble,
  type WebhookSender,
} from '../memory-github/index.js';
import { type RunningAlertmanager, startAlertmanager } from './alertmanager.js';
import { type RunningBot, startBotProcess } from './bot.js';
import { type EntryPoint, startHaproxy } from './entry-point.js';
import { checkout } from './git-materialise.js';
import { type Load, startLoad } from './load.js';
import { type Monitoring, regionAlerts, startMonitoring } from './monitoring.js';
import { sandboxRepoFiles } from './policy.js';
import { waitFor } from './ports.js';
import { type RegionService, startRegion } from './regions.js';
import { type Runner, startRunner } from './runner.js';

export const OWNER = 'acme';
export const REPO = 'infra';
export const PRIMARY = 'us-east-1';
export const SECONDARY = 'us-west-2';
/** A person who may type /failover commands (ChatOps needs write). */
export const OPERATOR = { login: 'alice', token: 'ghp_sandbox_alice' };

export interface Sandbox {
  dir: string;
  regions: Record<string, RegionService>;
  entry: EntryPoint;
  github: GitHubDouble;
  repo: RepoState;
  webhooks: WebhookSender;
  bot: RunningBot;
  alertmanager: RunningAlertmanager;
  monitoring: Monitoring;
  runner: Runner;
  load: Load;
  startedAt: number;
  stop(): Promise<void>;
}

const exec = promisify(execFile);

/** The first apply, as the infrastructure stood before the incident: terraform owns HAProxy's backend. */
async function initialApply(
  runner: Runner,
  repo: RepoState,
  state: DoubleState,
  env: Record<string, string>,
) {
  const head = state.headSha(repo);
  if (!head) throw new Error('the example repo has no commit');
  await checkout(runner.workspace, repo, head, repo.defaultBranch);
  const cwd = join(runner.workspace, 'envs/prod');
  const opts = { cwd, env: { ...process.env, ...env, TF_IN_AUTOMATION: '1' } };
  await exec('terraform', ['init', '-input=false', '-no-color'], opts);
  await exec('terraform', ['apply', '-input=false', '-no-color', '-auto-approve'], opts);
}

export async function startSandbox(root: string, log: (line: string) => void = () => {}): Promise<Sandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'failover-sandbox-'));
  const stops: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const regions: Record<string, RegionService> = {};
    for (const region of [PRIMARY, SECONDARY]) {
      regions[region] = await startRegion(region);
      stops.push(() => regions[region]?.stop());
    }
    const addresses = Object.fromEntries(
      Object.values(regions).map((r) => [r.region, `127.0.0.1:${r.port}`]),
    );
    const entry = await startHaproxy(dir, addresses, PRIMARY);
    stops.push(() => entry.stop());
    log(`entry point  ${entry.kind} ${entry.url} (backend ${entry.backend()})`);

    // The sandbox's story is the failover itself: GitHub's mergeability delay and secondary rate limit
    // (both on by default in the in-memory GitHub) are the subject of their own tests, not of the demo.
    const state = new DoubleState({ wallClock: true, mergeabilityMs: 0 });
    const github = await startGitHubDouble({ state, webView: true, secondaryLimit: false });
    stops.push(() => github.close());
    const repo = state.seed(OWNER, REPO, sandboxRepoFiles(root, entry.url));
    repo.collaborators.set(OPERATOR.login, 'admin');
    state.people.set(OPERATOR.token, { login: OPERATOR.login, type: 'User' });
    log(`github       in-memory ${github.url} (${OWNER}/${REPO} from examples/infra-repo)`);

    const bot = await startBotProcess(root, github.url);
    stops.push(() => bot.stop());
    const webhooks = deliverWebhooks(state, bot.webhookUrl, bot.webhookSecret);
    stops.push(() => webhooks.stop());
    log(`bot          ${bot.url}`);

    const alertmanager = await startAlertmanager({
      webhookUrl: `${bot.url}/failover/v1/alerts/${OWNER}/${REPO}`,
      bearerToken: bot.alertToken,
    });
    stops.push(() => alertmanager.stop());
    const monitoring = await startMonitoring(
      dir,
      Object.fromEntries(Object.values(regions).map((r) => [r.region, r.url])),
      new URL(alertmanager.url).host,
    );
    stops.push(() => monitoring.stop());
    log(`monitoring   prometheus ${monitoring.prometheusUrl}, alertmanager ${alertmanager.url}`);

    const tfEnv = {
      TF_VAR_sandbox_entry_point: JSON.stringify({ map_file: entry.mapFile, reload_pid_file: entry.pidFile }),
    };
    const runner = startRunner({
      state,
      repo,
      apiBase: github.url,
      serverUrl: github.url,
      root,
      dir: join(dir, 'runner'),
      env: tfEnv,
    });
    stops.push(() => runner.stop());
    await initialApply(runner, repo, state, tfEnv);
    log(`runner       ${runner.workspace} (terraform applied: backend ${entry.backend()})`);

    // Monitoring is live once both probe jobs see both regions up.
    await waitFor(
      async () => {
        const res = await fetch(`${monitoring.prometheusUrl}/api/v1/query?query=probe_success`);
        const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
        return body.data.result.length === 4 && body.data.result.every((r) => r.value[1] === '1');
      },
      60_000,
      'prometheus to see both regions up from both probe jobs',
    );
    // A probe that timed out while everything was starting may still hold a pending alert: let it clear.
    await waitFor(
      async () => (await regionAlerts(monitoring.prometheusUrl)).length === 0,
      60_000,
      'no RegionDown alert before the story begins',
    );
    const load = startLoad(entry.url);
    stops.push(() => load.stop());
    return {
      dir,
      regions,
      entry,
      github,
      repo,
      webhooks,
      bot,
      alertmanager,
      monitoring,
      runner,
      load,
      startedAt: Date.now(),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
