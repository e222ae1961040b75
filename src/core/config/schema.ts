// The `.github/failover.yml` (version 1) schema. The JSON Schema in schema/ is generated from this file
// (npm run schema), so editors and this code agree on one definition.
import { z } from 'zod';
import { DURATION_PATTERN } from '../duration.js';

export const NAME_PATTERN = /^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/;
// Messages read as predicates ("must be ..."): the loader puts the offending value in front of them.
const name = (what: string) =>
  z
    .string()
    .regex(
      NAME_PATTERN,
      "must be lowercase letters, digits, '.', '_' or '-' (at most 64 characters, no spaces)",
    )
    .describe(what);

/**
 * Service and group names become branch names (`failover/<name>`), so they must also be valid git ref
 * components (`git check-ref-format`): NAME_PATTERN already rules out a leading dot, spaces, control
 * characters and `~^:?*[\@{`; what is left is `..` anywhere and a `.lock` ending.
 */
const refName = (what: string) =>
  name(what)
    .regex(/^(?!.*\.\.)/, "must be a valid git branch name: no '..'")
    .regex(/^(?!.*\.lock$)/, "must be a valid git branch name: cannot end in '.lock'");

const DURATION_MESSAGE = 'must be a duration such as 90s, 2m, 1h';
const duration = z.string({ error: DURATION_MESSAGE }).regex(DURATION_PATTERN, DURATION_MESSAGE);

/** A repo-relative path that cannot climb out of the repo. */
const repoPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..') && !p.includes('\0'), {
    message: 'must be a relative path inside the repo (no leading /, no ..)',
  });

export const SEVERITIES = ['info', 'warning', 'error', 'critical'] as const;
export const PERMISSIONS = ['read', 'triage', 'write', 'maintain', 'admin'] as const;

const httpProbe = z.strictObject({
  url: z.string().min(1),
  method: z.enum(['GET', 'HEAD', 'POST']).default('GET'),
  status: z.union([z.number().int(), z.array(z.number().int()).min(1)]).default(200),
  body: z.string().optional().describe('regular expression the response body must match'),
  json: z
    .strictObject({ path: z.string().min(1), equals: z.union([z.string(), z.number(), z.boolean()]) })
    .optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

const dnsProbe = z.strictObject({
  name: z.string().min(1),
  type: z.enum(['A', 'AAAA', 'CNAME']).default('A'),
  expect: z.union([z.string(), z.array(z.string()).min(1)]),
  resolver: z.string().optional().describe('host[:port] of the DNS server to ask'),
});

const tcpProbe = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535),
});

const prometheusProbe = z.strictObject({
  url: z.string().min(1),
  query: z.string().min(1),
  expect: z
    .string()
    .regex(/^\s*(<=|>=|==|!=|<|>)\s*-?\d+(\.\d+)?\s*$/, 'must be a comparison such as "< 5" or ">= 1"'),
});

const PROBE_KINDS = ['http', 'dns', 'tcp', 'prometheus'] as const;

export const checkSchema = z
  .strictObject({
    name: z.string().min(1),
    http: httpProbe.optional(),
    dns: dnsProbe.optional(),
    tcp: tcpProbe.optional(),
    prometheus: prometheusProbe.optional(),
    interval: duration.default('10s'),
    successes: z.number().int().min(1).default(1),
    failure_limit: z.number().int().min(0).optional().describe('failed attempts tolerated before giving up'),
    timeout: duration.optional().describe('per attempt; defaults to 10s'),
  })
  .superRefine((check, ctx) => {
    const kinds = PROBE_KINDS.filter((k) => check[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          kinds.length === 0
            ? `needs one probe: ${PROBE_KINDS.join(', ')}`
            : `has ${kinds.join(' and ')}; a check runs exactly one probe`,
      });
    }
  });

const checkList = z.strictObject({
  timeout: duration.default('5m'),
  checks: z.array(checkSchema).default([]),
});

const alertRoute = z.strictObject({
  matchers: z.array(z.string().min(1)).min(1).describe('Alertmanager matchers, all must match'),
  target_label: z
    .string()
    .optional()
    .describe('label naming the FAILING target; without it the alert concerns the active target'),
});

const automation = z.strictObject({
  on_alert: z
    .enum(['off', 'pr', 'merge'])
    .default('pr')
    .describe('what an alert may do on its own: nothing, open a PR, or open and merge it'),
  min_severity: z.enum(SEVERITIES).default('critical').describe('alerts below this severity are ignored'),
  stabilize: duration.default('0s').describe('the alert must have been firing this long (from startsAt)'),
  quorum: z
    .strictObject({ label: z.string().min(1), min: z.number().int().min(1) })
    .optional()
    .describe('distinct values of this label (e.g. probe) that must be firing together'),
  cooldown: duration.default('1h').describe('no automatic failover this soon after the last one'),
  max_per_day: z.number().int().min(0).default(3).describe('automatic failovers allowed per 24 hours'),
  cancel_on_resolve: z
    .boolean()
    .default(true)
    .describe('close an unmerged failover PR when its alerts resolve'),
  rollback_on_failed_verify: z
    .boolean()
    .default(false)
    .describe('open a rollback PR when verification fails; never for databases'),
  count_manual: z
    .boolean()
    .default(false)
    .describe('manual moves and drills use up the cooldown and max_per_day budget too'),
});

export const serviceSchema = z
  .strictObject({
    description: z.string().optional().describe('free text shown in PRs and status tables'),
    kind: z
      .enum(['dns', 'gateway', 'database', 'ci', 'other'])
      .default('other')
      .describe('databases are never rolled back or failed back automatically'),
    targets: z
      .array(name('a target name (region, cluster, ...)'))
      .min(2, 'needs at least two targets to fail over between')
      .describe('allowed values of the state key; the first is the primary (failback target)'),
    state: z.strictObject({
      file: repoPath.refine((p) => /\.(json|ya?ml)$/.test(p), {
        message: 'must be a .json, .tfvars.json, .yaml or .yml file',
      }),
      key: z
        .string()
        .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'must be a dotted path such as checkout.active_region'),
    }),
    mode: z
      .enum(['active-passive', 'weighted'])
      .default('active-passive')
      .describe('active-passive: the state value is one target; weighted: it is {target: weight}'),
    weights: z
      .record(z.string(), z.number().min(0))
      .optional()
      .describe('weighted mode: the baseline that failback restores; defaults to an even split of 100'),
    alerts: z.array(alertRoute).default([]).describe('which alerts concern this service'),
    automation: automation.default(automation.parse({})),
    verify: checkList
      .default(checkList.parse({}))
      .describe('run by the Action after apply, against the new active target'),
    preflight: checkList
      .default(checkList.parse({}))
      .describe('run on the failover PR before merge, against the target'),
  })
  .superRefine((svc, ctx) => {
    const seen = new Set<string>();
    svc.targets.forEach((t, i) => {
      if (seen.has(t))
        ctx.addIssue({ code: 'custom', path: ['targets', i], message: `"${t}" is listed twice` });
      seen.add(t);
    });
    if (svc.weights) {
      if (svc.mode !== 'weighted') {
        ctx.addIssue({ code: 'custom', path: ['weights'], message: 'only applies to mode: weighted' });
      }
      for (const t of Object.keys(svc.weights)) {
        if (!svc.targets.includes(t)) {
          ctx.addIssue({ code: 'custom', path: ['weights', t], message: `"${t}" is not one of the targets` });
        }
      }
      if (!Object.values(svc.weights).some((w) => w > 0)) {
        ctx.addIssue({ code: 'custom', path: ['weights'], message: 'at least one weight must be above 0' });
      }
    }
    // The same refusals as decideRollback (src/core/policy/follow-up.ts), so the config cannot promise
    // a rollback that would be refused later, at 3 a.m., after a failed verification.
    if (svc.kind === 'database' && svc.automation.rollback_on_failed_verify) {
      ctx.addIssue({
        code: 'custom',
        path: ['automation', 'rollback_on_failed_verify'],
        message: 'a database is never rolled back automatically (split-brain risk); set it to false',
      });
    } else if (svc.mode === 'weighted' && svc.automation.rollback_on_failed_verify) {
      ctx.addIssue({
        code: 'custom',
        path: ['automation', 'rollback_on_failed_verify'],
        message:
          'a weighted service is never rolled back automatically (roll back with /failback or /failover); set it to false',
      });
    }
  });

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const envName = (what: string) =>
  z.string().regex(ENV_NAME, 'must be an environment variable name (letters, digits, _)').describe(what);

/** An http(s) URL without credentials in it: secrets come from the bot's environment, never the repo. */
const sourceUrl = z
  .string()
  .min(1)
  .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), {
    message: 'must be an http:// or https:// URL',
  })
  .refine((u) => !URL.canParse(u) || (new URL(u).username === '' && new URL(u).password === ''), {
    message:
      'must not carry credentials; name environment variables in token_env or username_env/password_env',
  });

export const ALERT_SOURCE_TYPES = ['alertmanager', 'grafana', 'prometheus'] as const;

export const alertSourceSchema = z
  .strictObject({
    type: z
      .enum(ALERT_SOURCE_TYPES)
      .describe(
        'alertmanager: API v2; grafana: its Alertmanager-compatible API; prometheus: ALERTS{alertstate="firing"}',
      ),
    urls: z
      .array(sourceUrl)
      .min(1, 'needs at least one URL')
      .describe('base URLs; for an Alertmanager HA pair list every member (any reachable one answers)'),
    token_env: envName('bot environment variable holding a bearer token').optional(),
    username_env: envName('bot environment variable holding the basic-auth user').optional(),
    password_env: envName('bot environment variable holding the basic-auth password').optional(),
    timeout: duration.default('3s').describe('per URL; past it the alerts count as unreadable'),
  })
  .superRefine((src, ctx) => {
    if ((src.username_env === undefined) !== (src.password_env === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'username_env and password_env go together' });
    }
    if (src.token_env !== undefined && src.username_env !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'use token_env or username_env/password_env, not both' });
    }
  });

export const configSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1, 'must be 1 (the only config version so far)'),
    services: z
      .record(refName('a service name'), serviceSchema)
      .refine((s) => Object.keys(s).length > 0, { message: 'needs at least one service' })
      .describe('services that can fail over, by name'),
    groups: z
      .record(refName('a group name'), z.array(z.string()).min(2, 'a group needs two services'))
      .default({})
      .describe('services flipped together in one PR, in order (e.g. database, then API)'),
    chatops: z
      .strictObject({
        min_permission: z.enum(PERMISSIONS).default('write'),
        teams: z.array(z.string().min(1)).default([]),
        merge: z
          .boolean()
          .default(true)
          .describe(
            'merge the PR a command opens (branch protection still applies: blocked PRs get auto-merge); false: a human merges',
          ),
      })
      .default({ min_permission: 'write', teams: [], merge: true })
      .describe('who may run /failover commands'),
    alert_source: alertSourceSchema
      .optional()
      .describe('the alert source of record: every decision also sees every alert firing there now'),
    freeze_file: repoPath
      .default('.github/failover.freeze')
      .describe(
        'while this file exists on the default branch, automation stops (manual commands still work)',
      ),
  })
  .superRefine((cfg, ctx) => {
    const inGroup = new Map<string, string>();
    for (const [group, members] of Object.entries(cfg.groups)) {
      members.forEach((svc, i) => {
        if (!Object.hasOwn(cfg.services, svc)) {
          ctx.addIssue({ code: 'custom', path: ['groups', group, i], message: `unknown service "${svc}"` });
        } else if (inGroup.has(svc)) {
          ctx.addIssue({
            code: 'custom',
            path: ['groups', group, i],
            message: `"${svc}" is already in group "${inGroup.get(svc)}"`,
          });
        } else inGroup.set(svc, group);
      });
      if (Object.hasOwn(cfg.services, group)) {
        ctx.addIssue({
          code: 'custom',
          path: ['groups', group],
          message: 'a group cannot share a service name',
        });
      }
      // A group's PRs live on failover/group-<name>: a service of that name would share the branch (the lock).
      if (Object.hasOwn(cfg.services, `group-${group}`)) {
        ctx.addIssue({
          code: 'custom',
          path: ['groups', group],
          message: `its branch failover/group-${group} is also the branch of service "group-${group}"; rename one of them`,
        });
      }
      // A group flips in one PR from one target to another, so its members must offer the same targets.
      const known = members.filter((svc) => Object.hasOwn(cfg.services, svc));
      const first = known[0];
      const firstTargets = first ? [...(cfg.services[first]?.targets ?? [])].sort().join(',') : '';
      known.slice(1).forEach((svc) => {
        const targets = [...(cfg.services[svc]?.targets ?? [])].sort().join(',');
        if (targets !== firstTargets) {
          ctx.addIssue({
            code: 'custom',
            path: ['groups', group, members.indexOf(svc)],
            message: `"${svc}" has targets [${targets}] but "${first}" has [${firstTargets}]; a group's services must share their targets`,
          });
        }
      });
    }
    // Two services writing the same value would flip each other.
    const owners = new Map<string, string>();
    for (const [svc, conf] of Object.entries(cfg.services)) {
      const where = `${conf.state.file}#${conf.state.key}`;
      const owner = owners.get(where);
      if (owner) {
        ctx.addIssue({
          code: 'custom',
          path: ['services', svc, 'state', 'key'],
          message: `${conf.state.file} key "${conf.state.key}" is already the state of service "${owner}"`,
        });
      } else owners.set(where, svc);
    }
  });

export type FailoverConfig = z.output<typeof configSchema>;
export type ServiceConfig = z.output<typeof serviceSchema>;
export type CheckConfig = z.output<typeof checkSchema>;
export type AlertSourceConfig = z.output<typeof alertSourceSchema>;
export type Severity = (typeof SEVERITIES)[number];
export type Permission = (typeof PERMISSIONS)[number];
