// Which service each signal concerns (Alertmanager-style route matching) and which target it says is
// failing. Matchers are compiled once per config object so a storm of signals stays cheap.
import { labelValue, type Matcher, matchesAll, parseMatcher } from '../matchers.js';
import type { FailoverConfig, RuleResult, Signal } from '../types.js';

interface CompiledRoute {
  matchers: Matcher[];
  targetLabel?: string;
}

export interface Routed {
  signal: Signal;
  service: string;
  /** Index of the first route of the service that matched. */
  route: number;
  /** The label value naming the failing target; undefined when the route has no target_label. */
  labelled?: string;
  /** True when the route names a target_label but the signal does not carry it. */
  labelMissing: boolean;
}

const cache = new WeakMap<FailoverConfig, Map<string, CompiledRoute[]>>();

function compiled(config: FailoverConfig): Map<string, CompiledRoute[]> {
  let routes = cache.get(config);
  if (!routes) {
    routes = new Map();
    for (const [name, svc] of Object.entries(config.services)) {
      routes.set(
        name,
        svc.alerts.map((a) => ({
          matchers: cheapFirst(a.matchers.map((m) => parseMatcher(m))),
          ...(a.target_label !== undefined ? { targetLabel: a.target_label } : {}),
        })),
      );
    }
    cache.set(config, routes);
  }
  return routes;
}

/**
 * The same matchers, equality tests before regular expressions: a route matches only when all hold, so
 * the order changes nothing but the cost (with 50 services, `service="x"` rejects most signals before
 * any regular expression runs).
 */
function cheapFirst(matchers: Matcher[]): Matcher[] {
  const isRegex = (m: Matcher) => m.op === '=~' || m.op === '!~';
  return [...matchers.filter((m) => !isRegex(m)), ...matchers.filter(isRegex)];
}

/** Signals by service (config order); a signal may concern several services. */
export function routeSignals(config: FailoverConfig, signals: Signal[]): Map<string, Routed[]> {
  const out = new Map<string, Routed[]>();
  for (const [service, routes] of compiled(config)) {
    if (routes.length === 0) continue;
    let list: Routed[] | undefined;
    for (const signal of signals) {
      for (let i = 0; i < routes.length; i++) {
        const r = routes[i] as CompiledRoute;
        if (!matchesAll(signal.labels, r.matchers)) continue;
        const value = r.targetLabel === undefined ? undefined : labelValue(signal.labels, r.targetLabel);
        const routed: Routed = {
          signal,
          service,
          route: i,
          labelMissing: r.targetLabel !== undefined && (value === undefined || value === ''),
          ...(value ? { labelled: value } : {}),
        };
        if (!list) {
          list = [];
          out.set(service, list);
        }
        list.push(routed);
        break;
      }
    }
  }
  return out;
}

export function routeRule(config: FailoverConfig, routed: Routed[], total: number): RuleResult {
  const used = new Set<string>();
  for (const r of routed) {
    const matchers = config.services[r.service]?.alerts[r.route]?.matchers;
    if (matchers) used.add(matchers.join(', '));
  }
  const routes = [...used].slice(0, 3).join(' | ');
  return {
    rule: 'route',
    ok: routed.length > 0,
    seen: `${routed.length} of ${total} signal${total === 1 ? '' : 's'} match${routes ? ` [${routes}]` : ''}`,
  };
}
