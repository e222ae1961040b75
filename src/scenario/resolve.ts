// From a parsed scenario file to a runnable scenario: the repo folder read and its config parsed, alert
// files read, every service, group and target name checked against that config, each problem located at
// FILE:LINE:COL like the config's own.
import { dirname, join } from 'node:path';
import { DEFAULT_CONFIG_FILE, parseConfig } from '../core/config/load.js';
import type { PathSegment } from '../core/config/yaml-locate.js';
import { issueAt, type LocatedDocument } from '../core/config/yaml-read.js';
import { parseDuration } from '../core/duration.js';
import { ConfigError, type ConfigIssue } from '../core/errors.js';
import type { AlertSource, FailoverConfig, Permission } from '../core/types.js';
import { type Expectation, type HealthMap, parseScenarioText, type ScenarioStepDoc } from './format.js';

export type ScenarioEvent =
  | { type: 'alert'; body: unknown; source?: AlertSource; from: string }
  | { type: 'health'; health: HealthMap }
  | { type: 'command'; text: string; user: string; permission: Permission; on?: string }
  | { type: 'merge'; subject: string }
  | { type: 'verify'; results: Record<string, 'pass' | 'fail'> }
  | { type: 'alert_source'; readable: boolean }
  | { type: 'freeze'; on: boolean };

export interface ScenarioStep {
  /** 1-based, as printed. */
  number: number;
  at: string;
  atMs: number;
  event?: ScenarioEvent;
  expect?: Expectation;
}

export interface Scenario {
  file: string;
  name: string;
  repoDir: string;
  /** The repo's files (the default branch's first commit). */
  repoFiles: Record<string, string>;
  config: FailoverConfig;
  startMs: number;
  health: HealthMap;
  steps: ScenarioStep[];
}

/** What resolving needs from the disk. */
export interface ScenarioFiles {
  readFile(path: string): string;
  exists(path: string): boolean;
  /** Every file under a folder, by path relative to it (dot-folders other than .github skipped). */
  readTree(dir: string): Record<string, string>;
}

/** Parses and resolves one scenario file; throws ConfigError (FILE:LINE:COL issues) when it is not usable. */
export function loadScenario(file: string, files: ScenarioFiles): Scenario {
  const { doc, located } = parseScenarioText(files.readFile(file), file);
  const here = dirname(file);
  const repoDir = join(here, doc.repo);
  const configPath = join(repoDir, DEFAULT_CONFIG_FILE);
  if (!files.exists(configPath))
    throw new ConfigError([issueAt(located, ['repo'], `${doc.repo} has no ${DEFAULT_CONFIG_FILE}`)]);
  const repoFiles = files.readTree(repoDir);
  // A broken config is reported as the config's own FILE:LINE:COL issues.
  const config = parseConfig(repoFiles[DEFAULT_CONFIG_FILE] ?? '', configPath);
  const issues: ConfigIssue[] = [];
  const names = new NameCheck(config, located, issues);
  names.health(doc.health, ['health']);
  const steps = doc.steps.map((s, i) => resolveStep(s, i, { here, files, located, issues, names }));
  if (issues.length > 0) throw new ConfigError(issues);
  return {
    file,
    name: doc.name,
    repoDir,
    repoFiles,
    config,
    startMs: Date.parse(doc.start),
    health: doc.health ?? {},
    steps,
  };
}

interface StepContext {
  here: string;
  files: ScenarioFiles;
  located: LocatedDocument;
  issues: ConfigIssue[];
  names: NameCheck;
}

function resolveStep(s: ScenarioStepDoc, index: number, ctx: StepContext): ScenarioStep {
  const path = (...rest: PathSegment[]): PathSegment[] => ['steps', index, ...rest];
  const step: ScenarioStep = { number: index + 1, at: s.at, atMs: parseDuration(s.at) };
  const event = eventOf(s, path, ctx);
  if (event) step.event = event;
  if (s.expect) {
    ctx.names.expectation(s.expect, path('expect'));
    step.expect = inFileOrder(s.expect, rawExpect(ctx.located, index));
  }
  return step;
}

/** The step's `expect` as written (validation may reorder keys; results print in the file's order). */
function rawExpect(located: LocatedDocument, index: number): Record<string, unknown> {
  const steps = (located.data as { steps?: { expect?: Record<string, unknown> }[] }).steps;
  return steps?.[index]?.expect ?? {};
}

function inFileOrder(expect: Expectation, raw: Record<string, unknown>): Expectation {
  const ordered: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) if (key in expect) ordered[key] = expect[key];
  return ordered as Expectation;
}

function eventOf(
  s: ScenarioStepDoc,
  path: (...rest: PathSegment[]) => PathSegment[],
  ctx: StepContext,
): ScenarioEvent | undefined {
  if (s.alert !== undefined) return alertEvent(s.alert, path('alert'), ctx);
  if (s.health !== undefined) {
    ctx.names.health(s.health, path('health'));
    return { type: 'health', health: s.health };
  }
  if (s.command !== undefined) {
    if (s.on !== undefined) ctx.names.subject(s.on, path('on'));
    return {
      type: 'command',
      text: s.command,
      user: s.user ?? 'alice',
      permission: s.permission ?? 'write',
      ...(s.on !== undefined ? { on: s.on } : {}),
    };
  }
  if (s.merge !== undefined) {
    ctx.names.subject(s.merge, path('merge'));
    return { type: 'merge', subject: s.merge };
  }
  if (s.verify !== undefined) {
    for (const name of Object.keys(s.verify)) ctx.names.subject(name, path('verify', name), true);
    return { type: 'verify', results: s.verify };
  }
  if (s.alert_source !== undefined) return { type: 'alert_source', readable: s.alert_source === 'readable' };
  if (s.freeze !== undefined) return { type: 'freeze', on: s.freeze === 'on' };
  return undefined;
}

function alertEvent(
  alert: NonNullable<ScenarioStepDoc['alert']>,
  at: PathSegment[],
  ctx: StepContext,
): ScenarioEvent | undefined {
  if (typeof alert !== 'string') {
    return {
      type: 'alert',
      body: alert.body,
      from: 'inline',
      ...(alert.source ? { source: alert.source } : {}),
    };
  }
  const path = join(ctx.here, alert);
  let text: string;
  try {
    text = ctx.files.readFile(path);
  } catch (err: unknown) {
    const code = (err as { code?: string } | null)?.code;
    ctx.issues.push(
      issueAt(
        ctx.located,
        at,
        `cannot read ${alert}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(err))}`,
      ),
    );
    return undefined;
  }
  try {
    return { type: 'alert', body: JSON.parse(text) as unknown, from: alert };
  } catch (err: unknown) {
    ctx.issues.push(
      issueAt(
        ctx.located,
        at,
        `${alert} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
      ),
    );
    return undefined;
  }
}

/** Checks names used in the scenario against the repo's config, recording located issues. */
class NameCheck {
  constructor(
    private readonly config: FailoverConfig,
    private readonly located: LocatedDocument,
    private readonly issues: ConfigIssue[],
  ) {}

  private fail(path: PathSegment[], message: string, atKey = false): void {
    this.issues.push(issueAt(this.located, path, message, atKey));
  }

  private services(): string {
    return Object.keys(this.config.services).join(', ');
  }

  /** A service name; with groups, also `group-<name>`. */
  subject(name: string, path: PathSegment[], atKey = false): void {
    if (name in this.config.services) return;
    const group = name.startsWith('group-') ? name.slice('group-'.length) : undefined;
    if (group !== undefined && group in this.config.groups) return;
    const groups = Object.keys(this.config.groups).map((g) => `group-${g}`);
    this.fail(
      path,
      `"${name}" is not a service or group of the repo (services: ${this.services()}${groups.length > 0 ? `; groups: ${groups.join(', ')}` : ''})`,
      atKey,
    );
  }

  health(map: HealthMap | undefined, path: PathSegment[]): void {
    for (const [service, targets] of Object.entries(map ?? {})) {
      const svc = this.config.services[service];
      if (!svc) {
        this.fail(
          [...path, service],
          `"${service}" is not a service of the repo (services: ${this.services()})`,
          true,
        );
        continue;
      }
      for (const target of Object.keys(targets)) {
        if (!svc.targets.includes(target))
          this.fail(
            [...path, service, target],
            `"${target}" is not a target of ${service} (targets: ${svc.targets.join(', ')})`,
            true,
          );
      }
    }
  }

  expectation(expect: Expectation, path: PathSegment[]): void {
    for (const key of Object.keys(expect)) {
      if (key === 'reply' || key === 'open_prs' || key === 'status_issue') continue;
      if (key === 'state') {
        for (const [service, value] of Object.entries(expect.state ?? {}))
          this.stateValue(service, value, [...path, 'state', service]);
        continue;
      }
      this.subject(key, [...path, key], true);
    }
  }

  private stateValue(service: string, value: string | Record<string, number>, path: PathSegment[]): void {
    const svc = this.config.services[service];
    if (!svc) {
      this.fail(path, `"${service}" is not a service of the repo (services: ${this.services()})`, true);
      return;
    }
    const named = typeof value === 'string' ? [value] : Object.keys(value);
    for (const target of named) {
      if (!svc.targets.includes(target))
        this.fail(path, `"${target}" is not a target of ${service} (targets: ${svc.targets.join(', ')})`);
    }
  }
}
