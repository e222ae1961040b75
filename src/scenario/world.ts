// The scenario plays the repo's alert source of record and the preflight checks: a WorldReader whose
// firing alerts are every alert delivered earlier in the scenario (any source) that has not resolved and
// whose endsAt is not past, and whose target health is what the scenario's `health:` says.

import type { ServiceConfig, Signal } from '../core/types.js';
import type { FiringAlert, HealthVerdict, WorldRead, WorldReader } from '../core/world.js';
import type { HealthMap } from './format.js';

export interface ScriptedWorld extends WorldReader {
  /** Records what a notification said: firing alerts are remembered (by fingerprint), resolved ones forgotten. */
  deliver(signals: readonly Signal[]): void;
  /** Merges new health values (per service and target) over the current ones. */
  setHealth(health: HealthMap): void;
  /** `alert_source: unreadable` makes the source API fail until `readable` again. */
  setReadable(readable: boolean): void;
  /** Fingerprints firing now, for a step's outcome. */
  firingNow(): string[];
  /** How many times the scripted source and checks were read (a decision that never looks is a bug). */
  reads(): { alerts: number; health: number };
}

export function createScriptedWorld(
  services: Record<string, ServiceConfig>,
  now: () => number,
  initial: HealthMap = {},
): ScriptedWorld {
  // The contract hands over a service's config, not its name, and the bot parses its own copy of the
  // config from the repo: the name is found by content (two services can never be equal: each writes
  // its own state key).
  const byContent = new Map(Object.entries(services).map(([name, svc]) => [JSON.stringify(svc), name]));
  const firing = new Map<string, Signal>();
  const health: HealthMap = {};
  let readable = true;
  let alertReads = 0;
  let healthReads = 0;
  const mergeHealth = (more: HealthMap) => {
    for (const [service, targets] of Object.entries(more))
      health[service] = { ...health[service], ...targets };
  };
  mergeHealth(initial);
  const live = (): Signal[] =>
    [...firing.values()].filter((s) => s.endsAt === undefined || Date.parse(s.endsAt) > now());

  return {
    async firingAlerts(): Promise<WorldRead<FiringAlert[]>> {
      alertReads++;
      if (!readable)
        return {
          status: 'unreadable',
          why: 'the alert source API did not answer (scenario: alert_source: unreadable)',
        };
      return { status: 'read', value: live().map((s) => ({ ...s, state: 'active' as const })) };
    },
    async targetHealth(service: ServiceConfig, target: string): Promise<WorldRead<HealthVerdict>> {
      healthReads++;
      if (service.preflight.checks.length === 0) return { status: 'not-configured' };
      const name = byContent.get(JSON.stringify(service));
      const value = (name ? health[name]?.[target] : undefined) ?? 'up';
      return {
        status: 'read',
        value: { health: value, detail: value === 'up' ? '' : `scenario health: ${value}` },
      };
    },
    deliver(signals) {
      for (const s of signals) {
        if (s.status === 'firing') firing.set(s.fingerprint, s);
        else firing.delete(s.fingerprint);
      }
    },
    setHealth: mergeHealth,
    setReadable(value) {
      readable = value;
    },
    firingNow: () => live().map((s) => s.fingerprint),
    reads: () => ({ alerts: alertReads, health: healthReads }),
  };
}
