// The `failover test` scenario file, version 1 (docs/testing.md): its schema and the checks that need
// only the file itself (steps in time order, one event per step). Pure; resolve.ts adds what needs the
// disk (the repo, alert files) and the repo's config (service and target names).
import { z } from 'zod';
import { PERMISSIONS } from '../core/config/schema.js';
import {
  issueAt,
  type LocatedDocument,
  readYamlDocument,
  validateDocument,
} from '../core/config/yaml-read.js';
import { DURATION_PATTERN, parseDuration } from '../core/duration.js';
import { ConfigError, type ConfigIssue } from '../core/errors.js';
import { ALERT_SOURCES } from '../core/types.js';
import { YAML_MAX_ALIAS_COUNT } from '../core/yaml-limits.js';

export const HEALTH_VALUES = ['up', 'down', 'inconclusive'] as const;
export const DECISION_ACTIONS = ['none', 'open-pr', 'merge', 'update-pr', 'close-pr', 'comment'] as const;
/** The events a step can carry; at most one per step. */
export const STEP_EVENTS = [
  'alert',
  'health',
  'command',
  'merge',
  'verify',
  'alert_source',
  'freeze',
] as const;

const duration = z
  .string()
  .regex(DURATION_PATTERN, 'must be a duration since start, like 0s, 90s, 2m or 1h30m');

/** service → target → up | down | inconclusive */
const healthMap = z.record(z.string(), z.record(z.string(), z.enum(HEALTH_VALUES)));

const alertEvent = z.union([
  z.string().min(1),
  z.strictObject({
    source: z.enum(ALERT_SOURCES).optional(),
    body: z.unknown().refine((b) => b !== undefined && b !== null, 'is required (the notification body)'),
  }),
]);

const decisionExpectation = z.strictObject({
  action: z.enum(DECISION_ACTIONS).optional(),
  reason: z.string().min(1).optional(),
});

/** A state value on the default branch: the active target, or the weights in weighted mode. */
const stateValue = z.union([z.string().min(1), z.record(z.string(), z.number())]);

const expectation = z
  .object({
    reply: z.string().min(1).optional(),
    state: z.record(z.string(), stateValue).optional(),
    open_prs: z.number().int().min(0).optional(),
    status_issue: z.string().min(1).optional(),
  })
  .catchall(decisionExpectation);

const step = z
  .strictObject({
    at: duration,
    alert: alertEvent.optional(),
    health: healthMap.optional(),
    command: z.string().min(1).optional(),
    user: z.string().min(1).optional(),
    permission: z.enum(PERMISSIONS).optional(),
    on: z.string().min(1).optional(),
    merge: z.string().min(1).optional(),
    verify: z.record(z.string(), z.enum(['pass', 'fail'])).optional(),
    alert_source: z.enum(['readable', 'unreadable']).optional(),
    freeze: z.enum(['on', 'off']).optional(),
    expect: expectation.optional(),
  })
  .superRefine((s, ctx) => {
    const events = STEP_EVENTS.filter((e) => s[e] !== undefined);
    if (events.length > 1)
      ctx.addIssue({
        code: 'custom',
        message: `one event per step (found ${events.join(' and ')}); give each its own step`,
      });
    if (events.length === 0 && s.expect === undefined)
      ctx.addIssue({
        code: 'custom',
        message: `a step needs an event (${STEP_EVENTS.join(', ')}) or an expect`,
      });
    for (const key of ['user', 'permission', 'on'] as const) {
      if (s[key] !== undefined && s.command === undefined)
        ctx.addIssue({ code: 'custom', path: [key], message: 'only applies to a command step' });
    }
  });

export const scenarioSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().min(1),
  repo: z.string().min(1),
  start: z.iso.datetime({ offset: true }),
  health: healthMap.optional(),
  steps: z.array(step).min(1),
});

export type ScenarioDoc = z.output<typeof scenarioSchema>;
export type ScenarioStepDoc = ScenarioDoc['steps'][number];
export type HealthMap = z.output<typeof healthMap>;
export type Expectation = z.output<typeof expectation>;
export type DecisionExpectation = z.output<typeof decisionExpectation>;

/** A scenario is a page of YAML; anything this large is a mistake. */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

/** Parses and validates a scenario file's text; throws ConfigError with FILE:LINE:COL issues. */
export function parseScenarioText(
  text: string,
  file: string,
): { doc: ScenarioDoc; located: LocatedDocument } {
  const located = readYamlDocument(text, file, {
    maxBytes: MAX_SCENARIO_BYTES,
    maxAliasCount: YAML_MAX_ALIAS_COUNT,
    needs: '"version: 1", "name:", "repo:", "start:" and "steps:"',
    what: 'a scenario',
    noun: 'scenario',
  });
  const doc = validateDocument(located, scenarioSchema);
  const issues = timeOrderIssues(doc, located);
  if (issues.length > 0) throw new ConfigError(issues);
  return { doc, located };
}

/** `at` never goes back: steps run in order on one clock. */
function timeOrderIssues(doc: ScenarioDoc, located: LocatedDocument): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  let previous = 0;
  doc.steps.forEach((s, i) => {
    const at = parseDuration(s.at);
    if (at < previous) {
      const before = doc.steps[i - 1]?.at ?? '0s';
      issues.push(
        issueAt(
          located,
          ['steps', i, 'at'],
          `goes back in time: ${s.at} is before the previous step's ${before}`,
        ),
      );
    }
    previous = Math.max(previous, at);
  });
  return issues;
}
