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
import { startAlertmanager } from './alertmanager.js';
import { appKeyPair, type RunningBot, startBotProcess } from './bot.js';
import { type EntryPoint, startHaproxy } from './entry-point.js';
import { checkout } from './git-materialise.js';
import { type Load, startLoad } from './load.js';
import { type FiringAlert, regionAlerts, startMonitoring } from './monitoring.js';
import { sandboxRepoFiles } from './policy.js';
import { waitFor } from './ports.js';
import { type RegionService, startRegion } from './regions.js';
import { missingPrograms } from './requirements.js';
import { RUNNER_TOKEN, type Runner, startRunner } from './runner.js';
import { startBuiltInProxy, startProbeLoop } from './stand-ins.js';

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
  monitoring: SandboxMonitoring;
  /** Parts that ran as built-in stand-ins, with why (empty when every program was real). */
  standIns: string[];
  runner: Runner;
  load: Load;
  startedAt: number;
  stop(): Promise<void>;
}

/** Whatever watches the regions and tells the bot: Prometheus + Alertmanager, or the stand-in loop. */
export interface SandboxMonitoring {
  kind: 'prometheus' | 'stand-in';
  /** RegionDown alerts right now (pending or firing). */
  alerts(): Promise<FiringAlert[]>;
  logs(): string;
}

export interface SandboxOptions {
  /** Use the stand-ins even when the programs are installed (tests of the stand-ins). */
  forceStandIns?: boolean;
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

export async function startSandbox(
  root: string,
  log: (line: string) => void = () => {},
  options: SandboxOptions = {},
): Promise<Sandbox> {
  const missing = new Set(missingPrograms().map((p) => p.part));
  if (missing.has('terraform')) throw new Error('terraform is not installed');
  const haproxyStandIn = options.forceStandIns || missing.has('haproxy');
  const monitoringStandIn =
    options.forceStandIns ||
    missing.has('prometheus') ||
    missing.has('blackbox') ||
    missing.has('alertmanager');
  const standIns: string[] = [];
  if (haproxyStandIn) standIns.push('entry point: the built-in proxy instead of HAProxy');
  if (monitoringStandIn)
    standIns.push(
      'monitoring: the built-in probe loop (same probes, `for`, Alertmanager v4 payloads) instead of Prometheus, the blackbox exporter and Alertmanager',
    );
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
    const entry = haproxyStandIn
      ? await startBuiltInProxy(dir, addresses, PRIMARY)
      : await startHaproxy(dir, addresses, PRIMARY);
    stops.push(() => entry.stop());
    log(`entry point  ${entry.kind} ${entry.url} (backend ${entry.backend()})`);

    // The sandbox's story is the failover itself: GitHub's mergeability delay and secondary rate limit
    // (both on by default in the in-memory GitHub) are the subject of their own tests, not of the demo.
    const state = new DoubleState({ wallClock: true, mergeabilityMs: 0 });
    // Only the sandbox's own parts get in: its bot (JWTs of this key, tokens minted here), its runner
    // and its operator. Another program on this machine holding an old URL now served here gets 401.
    const appKeys = appKeyPair();
    const github = await startGitHubDouble({
      state,
      webView: true,
      secondaryLimit: false,
      strictCredentials: { appPublicKey: appKeys.publicKey, actionsTokens: [RUNNER_TOKEN] },
    });
    stops.push(() => github.close());
    const repo = state.seed(OWNER, REPO, sandboxRepoFiles(root, entry.url));
    repo.collaborators.set(OPERATOR.login, 'admin');
    state.people.set(OPERATOR.token, { login: OPERATOR.login, type: 'User' });
    log(`github       in-memory ${github.url} (${OWNER}/${REPO} from examples/infra-repo)`);

    const bot = await startBotProcess(root, github.url, appKeys.privateKey);
    stops.push(() => bot.stop());
    const webhooks = deliverWebhooks(state, bot.webhookUrl, bot.webhookSecret);
    stops.push(() => webhooks.stop());
    log(`bot          ${bot.url}`);

    const regionUrls = Object.fromEntries(Object.values(regions).map((r) => [r.region, r.url]));
    const alertUrl = `${bot.url}/failover/v1/alerts/${OWNER}/${REPO}`;
    let monitoring: SandboxMonitoring;
    let monitoringReady: () => Promise<boolean>;
    if (monitoringStandIn) {
      const loop = startProbeLoop(regionUrls, alertUrl, bot.alertToken);
      stops.push(() => loop.stop());
      monitoring = { kind: 'stand-in', alerts: () => loop.alerts(), logs: () => loop.logs() };
      monitoringReady = async () => loop.ready();
      log('monitoring   built-in probe loop (stand-in)');
    } else {
      // repeat_interval 1s: a group the bot refused only because an alert in it was not yet stable is
      // sent again a second later, instead of after Alertmanager's usual hours.
      const alertmanager = await startAlertmanager({
        webhookUrl: alertUrl,
        bearerToken: bot.alertToken,
        repeatInterval: '1s',
      });
      stops.push(() => alertmanager.stop());
      const prometheus = await startMonitoring(dir, regionUrls, new URL(alertmanager.url).host);
      stops.push(() => prometheus.stop());
      monitoring = {
        kind: 'prometheus',
        alerts: () => regionAlerts(prometheus.prometheusUrl),
        logs: () => alertmanager.logs(),
      };
      // Live once both probe jobs see both regions up.
      monitoringReady = async () => {
        const res = await fetch(`${prometheus.prometheusUrl}/api/v1/query?query=probe_success`);
        const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
        return body.data.result.length === 4 && body.data.result.every((r) => r.value[1] === '1');
      };
      log(`monitoring   prometheus ${prometheus.prometheusUrl}, alertmanager ${alertmanager.url}`);
    }

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

    await waitFor(monitoringReady, 60_000, 'monitoring to see both regions up from both probes');
    // A probe that timed out while everything was starting may still hold a pending alert: let it clear.
    await waitFor(
      async () => (await monitoring.alerts()).length === 0,
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
      monitoring,
      standIns,
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
