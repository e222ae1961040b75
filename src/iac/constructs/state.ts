// Synth-time access to the desired state the bot edits: `.github/failover.yml` and the state files it
// points at, read from disk and validated with the same schema and readers the bot and the Action use.
// A stack built from it deploys exactly what the merged failover PR says, or synth fails saying why.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { DEFAULT_CONFIG_FILE, parseConfig } from '../../core/config/load.js';
import { describeThrown } from '../../core/errors.js';
import { weightProblems } from '../../core/policy/weights.js';
import { readStateValue } from '../../core/state/index.js';
import type { FailoverConfig, ServiceConfig } from '../../core/types.js';
import { FailoverSynthError } from './errors.js';

/** Where a service's flag lives, as the config says. */
export interface FlagLocation {
  /** The service name in the config. */
  readonly service: string;
  /** The state file, relative to the repository root. */
  readonly file: string;
  /** The dotted key inside the state file. */
  readonly key: string;
  /** The service's targets in config order (the first is the primary). */
  readonly targets: readonly string[];
}

/** An active-passive service: one target carries all traffic. */
export interface ActivePassiveFlag extends FlagLocation {
  readonly mode: 'active-passive';
  /** The target the flag names now. Always one of `targets`. */
  readonly active: string;
}

/** A weighted service: traffic is split by whole-number weights. */
export interface WeightedFlag extends FlagLocation {
  readonly mode: 'weighted';
  /** The weight of every target (0 for a target the flag leaves out). */
  readonly weights: Readonly<Record<string, number>>;
}

export type ServiceFlag = ActivePassiveFlag | WeightedFlag;

export interface ReadFailoverStateOptions {
  /** The config file, relative to the repository root. Default `.github/failover.yml`. */
  readonly config?: string;
}

/** The failover config and every service's current flag, validated. */
export class FailoverState {
  constructor(
    /** Absolute path of the repository root the files were read from. */
    readonly repoDir: string,
    /** The config file, relative to the repository root. */
    readonly configFile: string,
    /** The parsed and validated config. */
    readonly config: FailoverConfig,
    private readonly flags: ReadonlyMap<string, ServiceFlag>,
  ) {}

  /** The configured service names, in config order. */
  get services(): string[] {
    return [...this.flags.keys()];
  }

  /** The flag of any service. */
  flag(service: string): ServiceFlag {
    const flag = this.flags.get(service);
    if (!flag) {
      throw new FailoverSynthError(
        `${this.configFile}: no service "${service}" (configured: ${this.services.join(', ')})`,
      );
    }
    return flag;
  }

  /** The flag of an active-passive service; a synth error for a weighted one. */
  activePassive(service: string): ActivePassiveFlag {
    const flag = this.flag(service);
    if (flag.mode !== 'active-passive') {
      throw new FailoverSynthError(
        `${this.configFile}: service "${service}" is mode weighted; use weighted("${service}") and WeightedDnsRecords`,
      );
    }
    return flag;
  }

  /** The flag of a weighted service; a synth error for an active-passive one. */
  weighted(service: string): WeightedFlag {
    const flag = this.flag(service);
    if (flag.mode !== 'weighted') {
      throw new FailoverSynthError(
        `${this.configFile}: service "${service}" is mode active-passive; use activePassive("${service}") and ActivePassiveDnsRecord`,
      );
    }
    return flag;
  }
}

/**
 * Reads the config and every service's flag from a checked-out repository. Throws a FailoverSynthError
 * (or the core ConfigError, which gives FILE:LINE:COL) naming the file and key when anything is off:
 * a missing file, a key that is absent, a flag naming a target the service does not have, or weights
 * that break the weighted-mode invariants. Every service is checked, not only the ones a stack uses:
 * the bot refuses to work on a repo in that state, so the infrastructure must not deploy it either.
 */
export function readFailoverState(repoDir: string, options: ReadFailoverStateOptions = {}): FailoverState {
  const root = resolve(repoDir);
  const configFile = options.config ?? DEFAULT_CONFIG_FILE;
  const config = parseConfig(readRepoFile(root, configFile, 'the failover config'), configFile);
  const texts = new Map<string, string>();
  const flags = new Map<string, ServiceFlag>();
  for (const [service, svc] of Object.entries(config.services)) {
    const file = svc.state.file;
    if (!texts.has(file)) texts.set(file, readRepoFile(root, file, `the state file of service "${service}"`));
    flags.set(service, flagOf(service, svc, texts.get(file) as string));
  }
  return new FailoverState(root, configFile, config, flags);
}

function readRepoFile(root: string, file: string, what: string): string {
  const full = join(root, file);
  const inside = relative(root, full);
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw new FailoverSynthError(`${file}: ${what} must be inside the repository ${root}`);
  }
  if (!existsSync(full)) throw new FailoverSynthError(`${file}: ${what} does not exist under ${root}`);
  return readFileSync(full, 'utf8');
}

function flagOf(service: string, svc: ServiceConfig, text: string): ServiceFlag {
  const { file, key } = svc.state;
  let value: unknown;
  try {
    value = readStateValue(file, text, key);
  } catch (err: unknown) {
    throw new FailoverSynthError(`${describeThrown(err)} (key "${key}" of service "${service}")`);
  }
  const location = { service, file, key, targets: [...svc.targets] };
  if (svc.mode === 'weighted')
    return { ...location, mode: 'weighted', weights: weightsOf(service, svc, value) };
  if (typeof value !== 'string' || !svc.targets.includes(value)) {
    throw new FailoverSynthError(
      `${file}: key "${key}" holds ${JSON.stringify(value)}, which is not a target of service "${service}" (targets: ${svc.targets.join(', ')})`,
    );
  }
  return { ...location, mode: 'active-passive', active: value };
}

function weightsOf(service: string, svc: ServiceConfig, value: unknown): Record<string, number> {
  const { file, key } = svc.state;
  const problems = weightProblems(svc, value);
  if (problems.length > 0) {
    throw new FailoverSynthError(
      `${file}: key "${key}" is not a valid weights map for service "${service}": ${problems.join('; ')}`,
    );
  }
  const given = value as Record<string, number>;
  return Object.fromEntries(svc.targets.map((t) => [t, given[t] ?? 0]));
}
