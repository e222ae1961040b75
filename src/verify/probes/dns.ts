// DNS probe: asks one resolver (configurable host:port, so a check can query the authoritative server
// directly instead of a cache that still holds the pre-failover answer) for A, AAAA or CNAME records.
// The answer must be exactly the expected set: a leftover record of the old region is a failure.
import { Resolver } from 'node:dns/promises';
import { isIPv6 } from 'node:net';
import type { CheckConfig } from '../../core/config/schema.js';
import { UserError } from '../../core/errors.js';
import type { Probe, ProbeOutcome } from '../types.js';
import { describeNetworkError, errorCode } from './errors.js';

export type DnsProbeConfig = NonNullable<CheckConfig['dns']>;

export function createDnsProbe(cfg: DnsProbeConfig): Probe {
  const type = cfg.type ?? 'A';
  const servers = cfg.resolver === undefined ? undefined : [resolverAddress(cfg.resolver)];
  const expected = sortedUnique(
    (Array.isArray(cfg.expect) ? cfg.expect : [cfg.expect]).map((v) => normalise(v, type)),
  );
  const via = cfg.resolver === undefined ? '' : ` @${cfg.resolver}`;

  return {
    kind: 'dns',
    describe: `${type} ${cfg.name}${via}`,
    async attempt(signal: AbortSignal): Promise<ProbeOutcome> {
      // c-ares retries a lost UDP packet once; the runner's per-attempt signal bounds the total.
      const resolver = new Resolver({ tries: 2 });
      if (servers) resolver.setServers(servers);
      const cancel = () => resolver.cancel();
      signal.addEventListener('abort', cancel, { once: true });
      let records: string[];
      try {
        records =
          type === 'A'
            ? await resolver.resolve4(cfg.name)
            : type === 'AAAA'
              ? await resolver.resolve6(cfg.name)
              : await resolver.resolveCname(cfg.name);
      } catch (err: unknown) {
        return failureFor(err, cfg.name, type);
      } finally {
        signal.removeEventListener('abort', cancel);
      }
      const got = sortedUnique(records.map((r) => normalise(r, type)));
      const observed = got.join(', ');
      if (got.length === expected.length && got.every((v, i) => v === expected[i]))
        return { ok: true, observed };
      const missing = expected.filter((v) => !got.includes(v));
      const extra = got.filter((v) => !expected.includes(v));
      const parts = [
        missing.length > 0 ? `missing ${missing.join(', ')}` : '',
        extra.length > 0 ? `unexpected ${extra.join(', ')}` : '',
      ].filter(Boolean);
      return { ok: false, observed, error: `${type} ${cfg.name}: ${parts.join('; ')}` };
    },
  };
}

function failureFor(err: unknown, name: string, type: string): ProbeOutcome {
  switch (errorCode(err)) {
    case 'ENOTFOUND':
      return { ok: false, observed: 'NXDOMAIN', error: `${name} does not exist (NXDOMAIN)` };
    case 'ENODATA':
      return { ok: false, observed: `no ${type} records`, error: `${name} has no ${type} records` };
    case 'ECANCELLED':
      return { ok: false, observed: 'no answer', error: 'query cancelled' };
    case 'ETIMEOUT':
      return { ok: false, observed: 'no answer', error: 'the resolver did not answer' };
    default:
      return { ok: false, observed: 'no answer', error: describeNetworkError(err) };
  }
}

/** `10.0.0.53`, `10.0.0.53:5353`, `[::1]:5353` or `::1` → the form Resolver.setServers accepts (validated). */
export function resolverAddress(text: string): string {
  const address = isIPv6(text) ? `[${text}]` : text;
  try {
    new Resolver().setServers([address]);
  } catch {
    throw new UserError(
      `resolver "${text}" must be an IP address with an optional port (10.0.0.53:53, [::1]:53)`,
    );
  }
  return address;
}

/** Names compare case-insensitively without the trailing dot; IPv6 addresses in canonical form. */
function normalise(value: string, type: string): string {
  const v = value.trim().toLowerCase().replace(/\.$/, '');
  if (type === 'AAAA' && isIPv6(v)) return new URL(`http://[${v}]/`).hostname.slice(1, -1);
  return v;
}

function sortedUnique(values: string[]): string[] {
  return [...new Set(values)].sort();
}
