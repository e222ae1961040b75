import type { CheckConfig } from '../../core/config/schema.js';
import { UserError } from '../../core/errors.js';
import type { Probe, ProbeKind } from '../types.js';
import { createDnsProbe } from './dns.js';
import { createHttpProbe } from './http.js';
import { createPrometheusProbe } from './prometheus.js';
import { createTcpProbe } from './tcp.js';

/** Which probe a check runs (the schema guarantees exactly one; createProbe reports a missing one). */
export function probeKind(check: CheckConfig): ProbeKind {
  if (check.dns) return 'dns';
  if (check.tcp) return 'tcp';
  if (check.prometheus) return 'prometheus';
  return 'http';
}

/** Builds the probe for a check whose `{target}` is already substituted; throws UserError on bad settings. */
export function createProbe(check: CheckConfig): Probe {
  if (check.http) return createHttpProbe(check.http);
  if (check.dns) return createDnsProbe(check.dns);
  if (check.tcp) return createTcpProbe(check.tcp);
  if (check.prometheus) return createPrometheusProbe(check.prometheus);
  throw new UserError(`check "${check.name}" has no probe (http, dns, tcp or prometheus)`);
}
