// The Probot app: a composition root and nothing else. Each feature registers itself here with the
// shared pieces (settings, metrics, the per-repo GitHub port); the logic lives in src/.
import type { ApplicationFunctionOptions, Probot } from 'probot';
import type { WorldReader } from '../src/core/world.js';
import { type GitHubClient, redactingClient, toGitHubError } from '../src/github/client.js';
import {
  createGitHubPort,
  type GitHubPort,
  type PortTrust,
  type UntrustedMarker,
} from '../src/github/index.js';
import { ReplayGuard } from '../src/intake/auth.js';
import { BodyBudget } from '../src/intake/body.js';
import { createSnsVerifier, type FetchText } from '../src/intake/sns-verify.js';
import { createAlertService, type ServiceDeps } from '../src/service/alerts.js';
import { createStatusIssues, type StatusIssues } from '../src/service/status-issue.js';
import { VERSION } from '../src/version.js';
import { createLiveWorldReader } from '../src/world/index.js';
import { registerChatOps } from './chatops.js';
import { eventScopedLogger } from './event-scope.js';
import { timedClient } from './github-client.js';
import { createInstallationResolver, type InstallationResolver } from './installations.js';
import { createAlertIntakeHandler } from './intake-route.js';
import { type BotMetrics, createBotMetrics } from './metrics.js';
import { createOpsHandler, startMetricsServer } from './ops-routes.js';
import { registerPullRequests } from './pull-requests.js';
import { registerResultsLoop } from './results.js';
import { type BotSettings, botSecrets, readBotSettings } from './settings.js';
import { keepTokensFresh, warmUp } from './warmup.js';

/** The version /healthz and `failover_build_info` report: package.json's. */
export const BOT_VERSION = VERSION;

/**
 * Retries inside one alert answer stay short: a long retry-after is better spent by the sender (503 +
 * Retry-After), whose retry starts from a fresh snapshot instead of acting on a stale one.
 */
export const BOT_PORT_RETRY = { retries: 2, baseMs: 150, maxWaitMs: 1_000 };

export interface FailoverBotOptions {
  /** Environment to read FAILOVER_* settings from; process.env by default. */
  env?: Record<string, string | undefined>;
  now?: () => number;
  /** Fetches SNS signing certificates and SubscribeURLs (tests inject a fake; default: fetch over https). */
  fetchText?: FetchText;
  metrics?: BotMetrics;
  /**
   * Builds the port from an installation client (benchmarks pass retry/sleep options). `trust` carries
   * the marker keys and the app's slug: a port built without it neither signs nor verifies markers.
   */
  portFactory?: (client: GitHubClient, owner: string, repo: string, trust: PortTrust) => GitHubPort;
  /** Identical notifications inside this window reuse the previous answer (default 10 s). */
  recentWindowMs?: number;
  /** Keep each repo's status issue (default true); off where a test counts every GitHub write. */
  statusIssues?: boolean;
  /** Called with the METRICS_PORT listener once it listens (tests close it). */
  onMetricsServer?: (server: import('node:http').Server) => void;
  /**
   * Start-up warm-up (bot/warmup.ts): tokens, installation ids and each repo's config fetched before the
   * first alert. `background` (production) starts it and serves at once; `await` finishes it before the
   * app is loaded (benchmarks); `off` (default here; tests) skips it.
   */
  warmUp?: 'off' | 'background' | 'await';
  /** Reads the world view; default: the repo's alert_source over HTTP and preflight checks as probes. */
  world?: WorldReader;
}

/** What every feature of the bot gets. ChatOps and the results loop register with the same context. */
export interface BotContext {
  app: Probot;
  addHandler: ApplicationFunctionOptions['addHandler'];
  settings: BotSettings;
  metrics: BotMetrics;
  installations: InstallationResolver;
  /** The GitHub port for a repo the app is installed on (throws when it is not). */
  portFor(owner: string, repo: string): Promise<GitHubPort>;
  now(): number;
  /** The world view reader every service shares (alert source of record, live target health). */
  world: WorldReader;
  /** Each repo's status issue (refusals, active targets), kept by the alert path and the results loop. */
  statusIssues?: StatusIssues;
}

export function createFailoverApp(options: FailoverBotOptions = {}) {
  return async (app: Probot, { addHandler }: ApplicationFunctionOptions): Promise<void> => {
    const env = options.env ?? process.env;
    const settings = readBotSettings(env);
    // Whatever the port factory, every text the bot sends to GitHub passes the same redaction as its logs.
    const secrets = botSecrets(env);
    const redact = (text: string) => secrets.redact(text);
    const now = options.now ?? Date.now;
    const metrics = options.metrics ?? createBotMetrics({ defaultMetrics: true });
    const installations = createInstallationResolver(app);
    const portFactory =
      options.portFactory ??
      ((client: GitHubClient, owner: string, repo: string, trust: PortTrust) =>
        createGitHubPort({ client, owner, repo, now, retry: BOT_PORT_RETRY, trust }));
    const appSlug = createAppSlugLookup(app);
    const onUntrusted = (report: UntrustedMarker) => {
      metrics.untrustedMarker?.();
      app.log.warn({ event: 'marker_untrusted', ...report }, 'marker_untrusted');
    };
    // One port per repo, kept (bounded): the port caches the parsed config by blob oid, which saves a
    // round trip on every later alert. The installation client refreshes its own token.
    const ports = new Map<string, { installationId: number; port: GitHubPort }>();
    const portFor = async (owner: string, repo: string): Promise<GitHubPort> => {
      const id = await installations.lookup(owner, repo);
      if (id === undefined)
        throw Object.assign(new Error(`app not installed on ${owner}/${repo}`), { status: 404 });
      const key = `${owner}/${repo}`.toLowerCase();
      const cached = ports.get(key);
      if (cached && cached.installationId === id) return cached.port;
      const octokit = (await app.auth(id)) as unknown as GitHubClient;
      const trust: PortTrust = { keys: settings.markerKeys, appSlug: await appSlug(), onUntrusted, redact };
      const port = portFactory(
        redactingClient(timedClient(octokit, metrics, now), redact),
        owner,
        repo,
        trust,
      );
      if (ports.size >= 1_000) {
        const oldest = ports.keys().next().value;
        if (oldest !== undefined) ports.delete(oldest);
      }
      ports.set(key, { installationId: id, port });
      return port;
    };
    // Credentials for the alert source come from this environment, under the names the repo's config gives.
    const world =
      options.world ??
      createLiveWorldReader({ env: options.env ?? process.env, healthBoundMs: settings.healthTimeoutMs });
    // GitHub Enterprise (GHE_HOST): the status issue's link points at the same host as the API.
    const gheHost = (options.env ?? process.env).GHE_HOST;
    const webUrl = gheHost ? `https://${gheHost}` : undefined;
    const statusIssues =
      options.statusIssues === false
        ? undefined
        : createStatusIssues({ portFor, now, log: app.log, ...(webUrl ? { webUrl } : {}) });
    const ctx: BotContext = {
      app,
      addHandler,
      settings,
      metrics,
      installations,
      portFor,
      now,
      world,
      ...(statusIssues ? { statusIssues } : {}),
    };

    await registerOps(ctx, options);
    registerAlertIntake(ctx, options);
    registerChatOps(ctx);
    registerResultsLoop(ctx);
    registerPullRequests(ctx);
    const warming = options.warmUp && options.warmUp !== 'off' ? startWarmUp(ctx) : undefined;
    if (options.warmUp === 'await') await warming;
    if (
      settings.alertTokens.length === 0 &&
      !settings.hmacSecret &&
      settings.grafanaSecrets.size === 0 &&
      settings.pagerdutySecrets.size === 0
    ) {
      app.log.warn(
        'alert intake refuses every request: set FAILOVER_ALERT_TOKENS or FAILOVER_ALERT_HMAC_SECRET',
      );
    }
  };
}

/** Warms up, then keeps the tokens of the installations it found fresh. Never throws. */
async function startWarmUp(ctx: BotContext): Promise<void> {
  try {
    const { ids } = await warmUp({
      app: ctx.app,
      installations: ctx.installations,
      portFor: ctx.portFor,
      log: ctx.app.log,
    });
    keepTokensFresh(ctx.app, () => ids, ctx.app.log);
  } catch (thrown: unknown) {
    // Without the warm-up everything still works, each first use pays its own lookups.
    ctx.app.log.warn({ event: 'warmup_failed', error: String(thrown) }, 'warm-up');
  }
}

/** The dependencies every service (alerts, ChatOps, results) takes from the bot, the same for each. */
export function serviceDeps(ctx: BotContext): ServiceDeps<GitHubPort> {
  // Inside a webhook handler (bot/event-scope.ts) lines go to Probot's per-event logger (delivery id).
  return {
    portFor: ctx.portFor,
    now: ctx.now,
    log: eventScopedLogger(ctx.app.log),
    metrics: ctx.metrics,
    world: ctx.world,
  };
}

export async function registerOps(ctx: BotContext, options: FailoverBotOptions = {}): Promise<void> {
  const { metricsPort, metricsHost } = ctx.settings;
  ctx.addHandler(
    createOpsHandler({
      registry: ctx.metrics.registry,
      version: BOT_VERSION,
      serveMetrics: metricsPort === undefined,
    }),
  );
  if (metricsPort === undefined) return;
  const server = await startMetricsServer({
    registry: ctx.metrics.registry,
    version: BOT_VERSION,
    port: metricsPort,
    host: metricsHost,
  });
  ctx.app.log.info({ event: 'metrics_listening', port: metricsPort }, `metrics on port ${metricsPort}`);
  options.onMetricsServer?.(server);
}

export function registerAlertIntake(ctx: BotContext, options: FailoverBotOptions = {}): void {
  const fetchText = options.fetchText ?? httpsFetchText;
  const service = createAlertService({
    ...serviceDeps(ctx),
    ...(ctx.statusIssues ? { statusIssues: ctx.statusIssues } : {}),
    ...(options.recentWindowMs !== undefined ? { recentWindowMs: options.recentWindowMs } : {}),
  });
  ctx.addHandler(
    createAlertIntakeHandler({
      secrets: {
        tokens: ctx.settings.alertTokens,
        hmacSecret: ctx.settings.hmacSecret,
        grafana: ctx.settings.grafanaSecrets,
        pagerduty: ctx.settings.pagerdutySecrets,
      },
      snsTopics: ctx.settings.snsTopics,
      messageMaxAgeMs: ctx.settings.messageMaxAgeMs,
      grafanaTimestampHeader: ctx.settings.grafanaTimestampHeader,
      replay: new ReplayGuard(),
      bodyBudget: new BodyBudget(ctx.settings.maxBodyBytesInFlight),
      sns: createSnsVerifier({ fetchText }),
      fetchText,
      installations: ctx.installations,
      service,
      metrics: ctx.metrics,
      log: ctx.app.log,
      now: ctx.now,
    }),
  );
}

/**
 * The app's slug, asked of GitHub once (GET /app with the app's JWT) and kept: the port recognises the
 * app's own PRs by it. A failed lookup is asked again next time.
 */
function createAppSlugLookup(app: Probot): () => Promise<string> {
  let slug: Promise<string> | undefined;
  return () => {
    slug ??= (async () => {
      const octokit = (await app.auth()) as unknown as GitHubClient;
      const res = await octokit.request('GET /app');
      const value = (res.data as { slug?: unknown }).slug;
      if (typeof value !== 'string' || value.length === 0)
        throw new Error('GET /app answered without a slug');
      return value;
    })().catch((thrown: unknown) => {
      slug = undefined;
      // As GitHub said it (a secondary rate limit is retryable, with its retry-after), so the alert's
      // answer is a 503 with GitHub's wait, not a 500.
      throw toGitHubError(thrown);
    });
    return slug;
  };
}

/** Default fetcher for SNS: https only (the callers check hosts first), no redirects, 10 s, 64 KiB. */
export const httpsFetchText: FetchText = async (url) => {
  if (!url.startsWith('https://')) throw new Error('only https URLs are fetched');
  const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`GET ${new URL(url).host} answered ${res.status}`);
  const text = await res.text();
  if (text.length > 65_536) throw new Error('response too large');
  return text;
};

/** Probot loads the default export: production warms up in the background. */
export default createFailoverApp({ warmUp: 'background' });
