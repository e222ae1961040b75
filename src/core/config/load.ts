// Reads `.github/failover.yml` text into a validated FailoverConfig. Every problem (YAML syntax,
// duplicate keys, schema violations, bad alert matchers) becomes a ConfigIssue at FILE:LINE:COL with the
// path inside the document, and all problems found are reported together in one ConfigError.
import { ConfigError, type ConfigIssue } from '../errors.js';
import { parseMatcher } from '../matchers.js';
import { YAML_MAX_ALIAS_COUNT } from '../yaml-limits.js';
import { configSchema, type FailoverConfig } from './schema.js';
import { issueAt, type LocatedDocument, readYamlDocument, validateDocument } from './yaml-read.js';

export { MAX_ISSUES } from './yaml-read.js';

export const DEFAULT_CONFIG_FILE = '.github/failover.yml';
/** A failover config is a few KiB; anything this large is a mistake or an attack. */
export const MAX_CONFIG_BYTES = 256 * 1024;
/** Anchors are handy for sharing a check list; expansion beyond this is a "billion laughs" bomb. */
export const MAX_ALIAS_COUNT = YAML_MAX_ALIAS_COUNT;

/** Parses and validates the repo config; throws ConfigError listing every problem found. */
export function parseConfig(text: string, file = DEFAULT_CONFIG_FILE): FailoverConfig {
  const located = readYamlDocument(text, file, {
    maxBytes: MAX_CONFIG_BYTES,
    maxAliasCount: MAX_ALIAS_COUNT,
    needs: '"version: 1" and "services:"',
    what: 'a failover config',
    noun: 'config',
  });
  const config = validateDocument(located, configSchema);
  const matcherIssues = checkMatchers(config, located);
  if (matcherIssues.length > 0) throw new ConfigError(matcherIssues);
  return config;
}

/** Alert matchers are strings to zod; their Alertmanager syntax is checked here. */
function checkMatchers(config: FailoverConfig, located: LocatedDocument): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [service, svc] of Object.entries(config.services)) {
    svc.alerts.forEach((route, r) => {
      route.matchers.forEach((text, m) => {
        try {
          parseMatcher(text);
        } catch (err: unknown) {
          const message = err instanceof Error ? err.message : 'is not a valid matcher';
          issues.push(issueAt(located, ['services', service, 'alerts', r, 'matchers', m], message));
        }
      });
    });
  }
  return issues;
}
