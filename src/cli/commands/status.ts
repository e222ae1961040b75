// `failover status --repo DIR [--json]`: the active target of every service, from the state files as
// they are in DIR.
import { readStateValue } from '../../core/state/index.js';
import type { ServiceConfig } from '../../core/types.js';
import { parseCommandArgs } from '../args.js';
import { CliError, EXIT_OK } from '../errors.js';
import type { CliIo } from '../io.js';
import { readLocalRepo } from '../repo.js';

export const STATUS_HELP = `Usage: failover status --repo DIR [--ref REF] [--json]

Shows the active target (or the traffic weights) of every service, read from the desired-state files in
DIR, and whether automation is frozen.

Options:
  --repo DIR  root of the infra repo (holds .github/failover.yml)
  --ref REF   read the files from this git commit (e.g. origin/main) instead of the working tree
  --json      print { "frozen", "services": [{ "service", "mode", "active", "value", "file", "key", "error" }] }
  -h, --help  show this help

Exit status: 0 done, 2 unreadable repo or invalid config.
`;

export interface ServiceStatus {
  service: string;
  mode: ServiceConfig['mode'];
  /** Targets taking traffic: the one active target, or every target with a weight above 0. */
  active: string[];
  value: unknown;
  file: string;
  key: string;
  error: string | null;
}

export function runStatus(args: string[], io: CliIo): number {
  const { values } = parseCommandArgs('status', args, {
    repo: { type: 'string' },
    ref: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    io.stdout(STATUS_HELP);
    return EXIT_OK;
  }
  if (typeof values.repo !== 'string') {
    throw new CliError("failover status: --repo DIR is required\nRun 'failover status --help' for usage.");
  }
  const { config, view } = readLocalRepo(io, values.repo, values.ref);
  const rows = Object.entries(config.services).map(([name, svc]) => serviceStatus(name, svc, view.files));
  if (values.json) {
    io.stdout(`${JSON.stringify({ frozen: view.frozen, services: rows }, null, 2)}\n`);
    return EXIT_OK;
  }
  io.stdout(renderTable(rows));
  io.stdout(
    view.frozen
      ? `\nautomation is FROZEN (${config.freeze_file} exists); manual commands still work\n`
      : '\nautomation is on\n',
  );
  return EXIT_OK;
}

export function serviceStatus(
  name: string,
  svc: ServiceConfig,
  files: Record<string, string>,
): ServiceStatus {
  const base = { service: name, mode: svc.mode, file: svc.state.file, key: svc.state.key };
  const text = files[svc.state.file];
  if (text === undefined) return { ...base, active: [], value: null, error: 'state file does not exist' };
  let value: unknown;
  try {
    value = readStateValue(svc.state.file, text, svc.state.key);
  } catch (err: unknown) {
    return { ...base, active: [], value: null, error: err instanceof Error ? err.message : String(err) };
  }
  if (svc.mode === 'active-passive') {
    const active = typeof value === 'string' && svc.targets.includes(value) ? [value] : [];
    const ok = active.length > 0;
    return {
      ...base,
      active,
      value,
      error: ok ? null : `value ${JSON.stringify(value)} is not one of ${svc.targets.join(', ')}`,
    };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ...base, active: [], value, error: 'value is not a {target: weight} map' };
  }
  const weights = value as Record<string, unknown>;
  const active = svc.targets.filter((t) => typeof weights[t] === 'number' && (weights[t] as number) > 0);
  return { ...base, active, value, error: active.length > 0 ? null : 'no target has a weight above 0' };
}

function renderTable(rows: ServiceStatus[]): string {
  const cells = rows.map((r) => [r.service, r.mode, describeActive(r), `${r.file}#${r.key}`]);
  const header = ['SERVICE', 'MODE', 'ACTIVE', 'STATE'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]?.length ?? 0)));
  const line = (c: string[]) =>
    `${c
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()}\n`;
  return [line(header), ...cells.map(line)].join('');
}

function describeActive(r: ServiceStatus): string {
  if (r.error) return `? (${r.error})`;
  if (r.mode === 'weighted') {
    const weights = r.value as Record<string, number>;
    return Object.entries(weights)
      .map(([t, w]) => `${t}=${w}`)
      .join(' ');
  }
  return r.active.join(', ');
}
