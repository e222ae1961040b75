// The world view a decision is taken on: besides the signals of the notification being handled, every
// alert the repo's alert source of record says is firing now, and the live health of each candidate
// target. The core only describes it; reading it (an Alertmanager/Grafana/Prometheus API, the preflight
// probes, or a scripted scenario) is the host's job through `WorldReader`.
import type { FailoverConfig, ServiceConfig, Signal } from './types.js';

/** What one part of the world view came back as. "not-configured" is not "unreadable". */
export type WorldRead<T> =
  | { status: 'read'; value: T }
  | { status: 'unreadable'; why: string }
  | { status: 'not-configured' };

/** An alert the source of record reports as firing now. Suppressed (silenced or inhibited) still marks
 *  its target as failing, but only an active one can trigger an automatic failover. */
export interface FiringAlert extends Signal {
  state: 'active' | 'suppressed';
}

export type TargetHealth = 'up' | 'down' | 'inconclusive';

/** The preflight checks' verdict on one target of one service, with a short human reason. */
export interface HealthVerdict {
  health: TargetHealth;
  /** e.g. "HTTP 503 from https://…/healthz", "timed out after 5s"; empty when up. */
  detail: string;
}

/** How the host reads the world; the bot, `failover test` and the benchmarks each bring their own. */
export interface WorldReader {
  /**
   * Every alert firing now for this repo, as its configured alert source API knows it. `config` is the
   * repo's config as the host last read it (so the read can start beside the GitHub snapshot); a reader
   * that takes its source from somewhere else (a scenario) may ignore it. Without it a reader that needs
   * the config answers not-configured.
   */
  firingAlerts(owner: string, repo: string, config?: FailoverConfig): Promise<WorldRead<FiringAlert[]>>;
  /** The service's preflight checks against one candidate target; not-configured without checks. */
  targetHealth(service: ServiceConfig, target: string): Promise<WorldRead<HealthVerdict>>;
}

/**
 * The world view as read for one decision: the source of record's firing alerts and the health of each
 * (service, target) the host read. A service or target missing from `health` was not read (for example
 * it was not a candidate); the policy then says "not checked", never "pass".
 */
export interface WorldView {
  alerts: WorldRead<FiringAlert[]>;
  health: Record<string, Record<string, WorldRead<HealthVerdict>>>;
}

/** The world of a host that configured nothing: decided on the notification alone, traced as such. */
export const UNCONFIGURED_WORLD: WorldView = { alerts: { status: 'not-configured' }, health: {} };

/** The health read for one service's target, or undefined when it was not read. */
export function healthOf(
  world: WorldView | undefined,
  service: string,
  target: string,
): WorldRead<HealthVerdict> | undefined {
  return world?.health[service]?.[target];
}
