// The example infra repo as the sandbox loads it into the in-memory GitHub. Only the checkout service's
// timings and URLs change, in the example's own .github/failover.yml (comments kept): its checks go
// through the sandbox's entry point instead of checkout.example.com, and the waits shrink from minutes
// to seconds so a recovery can be watched. Every rule (quorum, cooldown, max per day, rollback) stays.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { readTree } from '../memory-github/state.js';

export const EXAMPLE_REPO = 'examples/infra-repo';
export const STATE_FILE = 'envs/prod/failover.auto.tfvars.json';

export function sandboxPolicy(exampleYaml: string, entryUrl: string): string {
  const doc = parseDocument(exampleYaml);
  const at = (...path: string[]) => ['services', 'checkout', ...path];
  // Prometheus' `for` (2s) is the stabilisation here; the example's 2m would dominate the RTO.
  doc.setIn(at('automation', 'stabilize'), '0s');
  doc.setIn(
    at('verify'),
    doc.createNode({
      timeout: '10s',
      checks: [
        {
          name: 'traffic',
          http: { url: `${entryUrl}/`, status: 200, json: { path: 'region', equals: '{target}' } },
          interval: '250ms',
          successes: 3,
        },
        {
          name: 'health',
          http: { url: `${entryUrl}/{target}/healthz`, status: 200 },
          interval: '250ms',
          successes: 2,
        },
      ],
    }),
  );
  doc.setIn(
    at('preflight'),
    doc.createNode({
      checks: [{ name: 'target-healthy', http: { url: `${entryUrl}/{target}/healthz`, status: 200 } }],
    }),
  );
  return doc.toString();
}

/** The files of the example repo with the sandbox's policy. */
export function sandboxRepoFiles(root: string, entryUrl: string): Record<string, string> {
  const files = readTree(join(root, EXAMPLE_REPO));
  const policy = readFileSync(join(root, EXAMPLE_REPO, '.github/failover.yml'), 'utf8');
  files['.github/failover.yml'] = sandboxPolicy(policy, entryUrl);
  return files;
}
