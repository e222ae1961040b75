// Bad `.github/failover.yml` inputs, each with the first line of the error it must produce:
// `FILE:LINE:COL path: message` (matched as a prefix of one of the reported lines, so long messages may be
// cut short here).
export interface BadConfig {
  name: string;
  yaml: string;
  error: string;
}

const F = '.github/failover.yml';

/** A valid single-service config; `extra` lines are appended inside the service (4-space indent). */
const service = (extra = '') =>
  `version: 1
services:
  checkout:
    targets: [us-east-1, us-west-2]
    state:
      file: envs/prod/failover.auto.tfvars.json
      key: checkout_active_region
${extra}`;

/** The smallest valid config: one service, nothing optional. */
export const MINIMAL = service();

/** Two services and whatever follows at top level. */
const twoServices = (tail: string, apiTargets = '[us-east-1, us-west-2]') =>
  `version: 1
services:
  payments-db:
    targets: [us-east-1, us-west-2]
    state: { file: envs/prod/state.json, key: db }
  payments-api:
    targets: ${apiTargets}
    state: { file: envs/prod/state.json, key: api }
${tail}`;

export const BAD_CONFIGS: BadConfig[] = [
  // ---- the file as a whole -----------------------------------------------------------------------
  { name: 'empty file', yaml: '', error: `${F}:1:1 the file is empty` },
  { name: 'only comments', yaml: '# nothing here\n', error: `${F}:1:1 the file is empty` },
  {
    name: 'root is a list',
    yaml: '- version: 1\n',
    error: `${F}:1:1 must be a mapping (key: value), not a list`,
  },
  {
    name: 'root is a scalar',
    yaml: 'hello\n',
    error: `${F}:1:1 must be a mapping (key: value), not the string "hello"`,
  },
  {
    name: 'two documents',
    yaml: `${service()}---\nversion: 1\n`,
    error: `${F}:8:1 the file holds more than one YAML document`,
  },
  {
    name: 'unclosed flow sequence',
    yaml: 'version: 1\nservices:\n  checkout:\n    targets: [us-east-1, us-west-2\n    state: {}\n',
    error: `${F}:5:5 YAML syntax: flow sequence in block collection must be sufficiently indented and end with a ]`,
  },
  {
    name: 'tab indentation',
    yaml: 'version: 1\nservices:\n\tcheckout: {}\n',
    error: `${F}:3:1 tabs are not allowed`,
  },
  {
    name: 'duplicate service key',
    yaml: `${service()}  checkout:\n    targets: [a, b]\n`,
    error: `${F}:8:3 duplicate key "checkout": each key may appear only once`,
  },
  {
    name: 'duplicate nested key',
    yaml: service('    mode: weighted\n    mode: active-passive\n'),
    error: `${F}:9:5 duplicate key "mode"`,
  },
  {
    name: 'a list as a key',
    yaml: `${service()}? [a, b]\n: c\n`,
    error: `${F}:8:3 a key must be plain text, not a list or mapping`,
  },
  {
    name: 'custom tag',
    yaml: service('    description: !env DESCRIPTION\n'),
    error: `${F}:8:18 unknown YAML tag: !env`,
  },
  {
    name: 'alias bomb',
    yaml: `a: &a [x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
`,
    error: `${F}:1:1 too many alias (*name) expansions; refusing to load it`,
  },
  {
    name: 'larger than 256 KiB',
    yaml: service(`    description: "${'x'.repeat(270_000)}"\n`),
    error: `${F}:1:1 the file is 264 KiB; a failover config may be at most 256 KiB`,
  },

  // ---- top level ---------------------------------------------------------------------------------
  { name: 'version missing', yaml: 'services: {}\n', error: `${F}:1:1 version: is required` },
  {
    name: 'version 2',
    yaml: service().replace('version: 1', 'version: 2'),
    error: `${F}:1:10 version: 2 must be 1`,
  },
  {
    name: 'version as a string',
    yaml: service().replace('version: 1', 'version: "1"'),
    error: `${F}:1:10 version: "1" must be 1`,
  },
  { name: 'services missing', yaml: 'version: 1\n', error: `${F}:1:1 services: is required` },
  {
    name: 'no services',
    yaml: 'version: 1\nservices: {}\n',
    error: `${F}:2:11 services: needs at least one service`,
  },
  {
    name: 'services as a list',
    yaml: 'version: 1\nservices:\n  - checkout\n',
    error: `${F}:3:3 services: must be a mapping (key: value), not a list`,
  },
  {
    name: 'unknown top-level key',
    yaml: `${service()}servces: {}\n`,
    error: `${F}:8:1 servces: unknown key "servces" (did you mean "services"?)`,
  },
  {
    name: 'unknown top-level key without a near miss',
    yaml: `${service()}owner: sre\n`,
    error: `${F}:8:1 owner: unknown key "owner" (allowed: $schema, version, services, groups, chatops, alert_source, freeze_file)`,
  },
  {
    name: 'freeze file outside the repo',
    yaml: `${service()}freeze_file: ../freeze\n`,
    error: `${F}:8:14 freeze_file: "../freeze" must be a relative path inside the repo (no leading /, no ..)`,
  },

  // ---- service -------------------------------------------------------------------------------------
  {
    name: 'service name with capitals',
    yaml: service().replace('  checkout:', '  Checkout:'),
    error: `${F}:3:3 services.Checkout: "Checkout" must be lowercase letters`,
  },
  {
    name: 'service name with a slash',
    yaml: service().replace('  checkout:', '  team/checkout:'),
    error: `${F}:3:3 services["team/checkout"]: "team/checkout" must be lowercase letters`,
  },
  {
    name: 'service name with .. (not a git branch name)',
    yaml: service().replace('  checkout:', '  check..out:'),
    error: `${F}:3:3 services["check..out"]: "check..out" must be a valid git branch name: no '..'`,
  },
  {
    name: 'service name ending in .lock (not a git branch name)',
    yaml: service().replace('  checkout:', '  checkout.lock:'),
    error: `${F}:3:3 services["checkout.lock"]: "checkout.lock" must be a valid git branch name: cannot end in '.lock'`,
  },
  {
    name: 'service is empty',
    yaml: 'version: 1\nservices:\n  checkout:\n',
    error: `${F}:3:3 services.checkout: is empty; it must be a mapping (key: value)`,
  },
  {
    name: 'one target only',
    yaml: service().replace('[us-east-1, us-west-2]', '[us-east-1]'),
    error: `${F}:4:14 services.checkout.targets: needs at least two targets to fail over between`,
  },
  {
    name: 'target with spaces',
    yaml: service().replace('[us-east-1, us-west-2]', '[us-east-1, "us west 2"]'),
    error: `${F}:4:26 services.checkout.targets[1]: "us west 2" must be lowercase letters, digits, '.', '_' or '-'`,
  },
  {
    name: 'target listed twice',
    yaml: service().replace('[us-east-1, us-west-2]', '[us-east-1, us-west-2, us-east-1]'),
    error: `${F}:4:37 services.checkout.targets[2]: "us-east-1" is listed twice`,
  },
  {
    name: 'targets as a string',
    yaml: service().replace('[us-east-1, us-west-2]', 'us-east-1,us-west-2'),
    error: `${F}:4:14 services.checkout.targets: must be a list, not the string "us-east-1,us-west-2"`,
  },
  {
    name: 'state missing',
    yaml: 'version: 1\nservices:\n  checkout:\n    targets: [a, b]\n',
    error: `${F}:3:3 services.checkout.state: is required`,
  },
  {
    name: 'state key missing',
    yaml: service().replace('      key: checkout_active_region\n', ''),
    error: `${F}:5:5 services.checkout.state.key: is required`,
  },
  {
    name: 'state file absolute',
    yaml: service().replace('file: envs/prod', 'file: /envs/prod'),
    error: `${F}:6:13 services.checkout.state.file: "/envs/prod/failover.auto.tfvars.json" must be a relative path`,
  },
  {
    name: 'state file climbing out',
    yaml: service().replace('file: envs/prod', 'file: envs/../../prod'),
    error: `${F}:6:13 services.checkout.state.file: "envs/../../prod/failover.auto.tfvars.json" must be a relative path`,
  },
  {
    name: 'state file of an unsupported type',
    yaml: service().replace('failover.auto.tfvars.json', 'terraform.tfvars'),
    error: `${F}:6:13 services.checkout.state.file: "envs/prod/terraform.tfvars" must be a .json, .tfvars.json, .yaml or .yml file`,
  },
  {
    name: 'state key with spaces',
    yaml: service().replace('key: checkout_active_region', 'key: checkout active'),
    error: `${F}:7:12 services.checkout.state.key: "checkout active" must be a dotted path`,
  },
  {
    name: 'mode typo',
    yaml: service('    mode: active-pasive\n'),
    error: `${F}:8:11 services.checkout.mode: "active-pasive" must be one of "active-passive", "weighted" (did you mean "active-passive"?)`,
  },
  {
    name: 'kind unknown',
    yaml: service('    kind: loadbalancer\n'),
    error: `${F}:8:11 services.checkout.kind: "loadbalancer" must be one of "dns", "gateway", "database", "ci", "other"`,
  },
  {
    name: 'unknown service key with a near miss',
    yaml: service('    automaton:\n      on_alert: merge\n'),
    error: `${F}:8:5 services.checkout.automaton: unknown key "automaton" (did you mean "automation"?)`,
  },
  {
    name: 'weights on an active-passive service',
    yaml: service('    weights: { us-east-1: 50, us-west-2: 50 }\n'),
    error: `${F}:8:14 services.checkout.weights: only applies to mode: weighted`,
  },
  {
    name: 'weights naming an unknown target',
    yaml: service('    mode: weighted\n    weights: { us-east-1: 50, eu-west-1: 50 }\n'),
    error: `${F}:9:31 services.checkout.weights.eu-west-1: "eu-west-1" is not one of the targets`,
  },
  {
    name: 'all weights zero',
    yaml: service('    mode: weighted\n    weights: { us-east-1: 0, us-west-2: 0 }\n'),
    error: `${F}:9:14 services.checkout.weights: at least one weight must be above 0`,
  },
  {
    name: 'negative weight',
    yaml: service('    mode: weighted\n    weights:\n      us-east-1: -10\n      us-west-2: 110\n'),
    error: `${F}:10:18 services.checkout.weights.us-east-1: -10 must be at least 0`,
  },

  // ---- alerts and automation -------------------------------------------------------------------
  {
    name: 'matcher without a closing quote',
    yaml: service(`    alerts:\n      - matchers: ['alertname="RegionDown']\n`),
    error: `${F}:9:20 services.checkout.alerts[0].matchers[0]: invalid matcher "alertname=\\"RegionDown": missing closing double quote`,
  },
  {
    name: 'matcher with a bad regex',
    yaml: service(
      `    alerts:\n      - matchers:\n          - alertname="RegionDown"\n          - 'service=~"check(out"'\n`,
    ),
    error: `${F}:11:13 services.checkout.alerts[0].matchers[1]: invalid matcher "service=~\\"check(out\\"": bad regular expression`,
  },
  {
    name: 'matcher without operator',
    yaml: service(`    alerts:\n      - matchers: [RegionDown]\n`),
    error: `${F}:9:20 services.checkout.alerts[0].matchers[0]: invalid matcher "RegionDown": expected name="value"`,
  },
  {
    name: 'alert route without matchers',
    yaml: service('    alerts:\n      - target_label: region\n'),
    error: `${F}:9:9 services.checkout.alerts[0].matchers: is required`,
  },
  {
    name: 'alert route with an empty matcher list',
    yaml: service('    alerts:\n      - matchers: []\n'),
    error: `${F}:9:19 services.checkout.alerts[0].matchers: needs at least 1 item`,
  },
  {
    name: 'on_alert yes',
    yaml: service('    automation:\n      on_alert: yes\n'),
    error: `${F}:9:17 services.checkout.automation.on_alert: "yes" must be one of "off", "pr", "merge"`,
  },
  {
    name: 'min_severity unknown',
    yaml: service('    automation:\n      min_severity: critcal\n'),
    error: `${F}:9:21 services.checkout.automation.min_severity: "critcal" must be one of "info", "warning", "error", "critical" (did you mean "critical"?)`,
  },
  {
    name: 'stabilize in words',
    yaml: service('    automation:\n      stabilize: 2 minutes\n'),
    error: `${F}:9:18 services.checkout.automation.stabilize: "2 minutes" must be a duration such as 90s, 2m, 1h`,
  },
  {
    name: 'cooldown as a bare number',
    yaml: service('    automation:\n      cooldown: 3600\n'),
    error: `${F}:9:17 services.checkout.automation.cooldown: 3600 must be a duration such as 90s, 2m, 1h`,
  },
  {
    name: 'quorum min zero',
    yaml: service('    automation:\n      quorum: { label: probe, min: 0 }\n'),
    error: `${F}:9:36 services.checkout.automation.quorum.min: 0 must be at least 1`,
  },
  {
    name: 'quorum without label',
    yaml: service('    automation:\n      quorum: { min: 2 }\n'),
    error: `${F}:9:7 services.checkout.automation.quorum.label: is required`,
  },
  {
    name: 'fractional max_per_day',
    yaml: service('    automation:\n      max_per_day: 1.5\n'),
    error: `${F}:9:20 services.checkout.automation.max_per_day: must be a whole number, not 1.5`,
  },
  {
    name: 'database rolled back automatically',
    yaml: service('    kind: database\n    automation:\n      rollback_on_failed_verify: true\n'),
    error: `${F}:10:34 services.checkout.automation.rollback_on_failed_verify: a database is never rolled back automatically`,
  },
  {
    name: 'weighted service rolled back automatically',
    yaml: service('    mode: weighted\n    automation:\n      rollback_on_failed_verify: true\n'),
    error: `${F}:10:34 services.checkout.automation.rollback_on_failed_verify: a weighted service is never rolled back automatically`,
  },
  {
    name: 'boolean as a string',
    yaml: service('    automation:\n      cancel_on_resolve: "no"\n'),
    error: `${F}:9:26 services.checkout.automation.cancel_on_resolve: must be true or false, not the string "no"`,
  },

  // ---- checks --------------------------------------------------------------------------------------
  {
    name: 'check without a probe',
    yaml: service('    verify:\n      checks:\n        - name: health\n'),
    error: `${F}:10:11 services.checkout.verify.checks[0]: needs one probe: http, dns, tcp, prometheus`,
  },
  {
    name: 'check with two probes',
    yaml: service(
      '    verify:\n      checks:\n        - name: health\n          http: { url: "https://x" }\n          tcp: { host: x, port: 443 }\n',
    ),
    error: `${F}:10:11 services.checkout.verify.checks[0]: has http and tcp; a check runs exactly one probe`,
  },
  {
    name: 'http status as a string',
    yaml: service(
      '    verify:\n      checks:\n        - name: health\n          http: { url: "https://x", status: "200" }\n',
    ),
    error: `${F}:11:45 services.checkout.verify.checks[0].http.status: "200" must be a number or a list`,
  },
  {
    name: 'http probe key typo',
    yaml: service(
      '    verify:\n      checks:\n        - name: health\n          http: { uri: "https://x" }\n',
    ),
    error: `${F}:11:19 services.checkout.verify.checks[0].http.uri: unknown key "uri" (did you mean "url"?)`,
  },
  {
    name: 'tcp port out of range',
    yaml: service(
      '    verify:\n      checks:\n        - name: db\n          tcp: { host: db, port: 70000 }\n',
    ),
    error: `${F}:11:34 services.checkout.verify.checks[0].tcp.port: 70000 must be at most 65535`,
  },
  {
    name: 'dns record type unsupported',
    yaml: service(
      '    verify:\n      checks:\n        - name: dns\n          dns: { name: x.example.com, type: MX, expect: x }\n',
    ),
    error: `${F}:11:45 services.checkout.verify.checks[0].dns.type: "MX" must be one of "A", "AAAA", "CNAME"`,
  },
  {
    name: 'prometheus condition without operator',
    yaml: service(
      "    preflight:\n      checks:\n        - name: lag\n          prometheus: { url: http://p:9090, query: up, expect: '5' }\n",
    ),
    error: `${F}:11:64 services.checkout.preflight.checks[0].prometheus.expect: "5" must be a comparison such as "< 5" or ">= 1"`,
  },
  {
    name: 'check interval in words',
    yaml: service(
      '    verify:\n      checks:\n        - name: h\n          tcp: { host: x, port: 1 }\n          interval: often\n',
    ),
    error: `${F}:12:21 services.checkout.verify.checks[0].interval: "often" must be a duration`,
  },
  {
    name: 'checks as a mapping',
    yaml: service('    verify:\n      checks:\n        health: { tcp: { host: x, port: 1 } }\n'),
    error: `${F}:10:9 services.checkout.verify.checks: must be a list, not a mapping`,
  },

  // ---- groups, chatops, cross-service --------------------------------------------------------------
  {
    name: 'group naming an unknown service',
    yaml: twoServices('groups:\n  payments: [payments-db, payments-web]\n'),
    error: `${F}:10:27 groups.payments[1]: unknown service "payments-web"`,
  },
  {
    name: 'group with one service',
    yaml: twoServices('groups:\n  payments: [payments-db]\n'),
    error: `${F}:10:13 groups.payments: a group needs two services`,
  },
  {
    name: 'service in two groups',
    yaml: twoServices('groups:\n  a: [payments-db, payments-api]\n  b: [payments-api, payments-db]\n'),
    error: `${F}:11:7 groups.b[0]: "payments-api" is already in group "a"`,
  },
  {
    name: 'group members with different targets',
    yaml: twoServices('groups:\n  payments: [payments-db, payments-api]\n', '[us-east-1, eu-west-1]'),
    error: `${F}:10:27 groups.payments[1]: "payments-api" has targets [eu-west-1,us-east-1] but "payments-db" has [us-east-1,us-west-2]`,
  },
  {
    name: 'group named like a service',
    yaml: twoServices('groups:\n  payments-db: [payments-db, payments-api]\n'),
    error: `${F}:10:16 groups.payments-db: a group cannot share a service name`,
  },
  {
    name: "group whose branch is a service's branch (service group-payments, group payments)",
    yaml: twoServices('groups:\n  payments: [payments-db, group-payments]\n').replace(
      '  payments-api:',
      '  group-payments:',
    ),
    error: `${F}:10:13 groups.payments: its branch failover/group-payments is also the branch of service "group-payments"`,
  },
  {
    name: 'group name with ..',
    yaml: twoServices('groups:\n  pay..ments: [payments-db, payments-api]\n'),
    error: `${F}:10:3 groups["pay..ments"]: "pay..ments" must be a valid git branch name: no '..'`,
  },
  {
    name: 'group member named after Object.prototype',
    yaml: twoServices('groups:\n  payments: [payments-db, constructor]\n'),
    error: `${F}:10:27 groups.payments[1]: unknown service "constructor"`,
  },
  {
    name: 'two services writing the same key',
    yaml: twoServices('').replace('key: api', 'key: db'),
    error: `${F}:8:47 services.payments-api.state.key: envs/prod/state.json key "db" is already the state of service "payments-db"`,
  },
  {
    name: 'chatops permission unknown',
    yaml: `${service()}chatops:\n  min_permission: owner\n`,
    error: `${F}:9:19 chatops.min_permission: "owner" must be one of "read", "triage", "write", "maintain", "admin"`,
  },
  {
    name: 'chatops teams as a string',
    yaml: `${service()}chatops:\n  teams: sre\n`,
    error: `${F}:9:10 chatops.teams: must be a list, not the string "sre"`,
  },
];
