// Everything the port sends to GitHub passes the product's redaction, and a signed marker survives it:
// the body is redacted before the marker is signed, and the client leaves a signed marker as it is.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretRegistry } from '../../src/core/redact.js';
import { checkMarker } from '../../src/core/render/marker-seal.js';
import { createGitHubPort } from '../../src/github/index.js';
import { checkoutPlan, infraRepoFiles } from '../helpers/github-double/fixtures.js';
import {
  doubleClient,
  type GitHubDouble,
  type RepoState,
  startGitHubDouble,
} from '../helpers/github-double/index.js';
import { knownSecret } from '../helpers/leak-guard.js';

const KEYS = { current: 'marker-key-for-redaction-test-0123456789', previous: [] };
const REGISTERED = 'registered-secret-value-7d1c';
let double: GitHubDouble;
let repo: RepoState;

beforeEach(async () => {
  double = await startGitHubDouble();
  repo = double.state.seed('acme', 'infra', infraRepoFiles());
  knownSecret(REGISTERED);
});
afterEach(() => double.close());

function port() {
  const secrets = new SecretRegistry().add(REGISTERED);
  return createGitHubPort({
    client: doubleClient(double),
    owner: 'acme',
    repo: 'infra',
    trust: { keys: KEYS, appSlug: 'gitops-failover', redact: (text) => secrets.redact(text) },
  });
}

describe('the port redacts what it sends', () => {
  it('a PR body and its signed marker: secrets masked, the marker still verifies', async () => {
    const p = port();
    const snap = await p.readSnapshot();
    const plan = checkoutPlan(snap.view.headSha);
    const leaky = `terraform: https://ops:${REGISTERED}@state.example.com token=ghs_abcdefghijklmnopqrstuvwxyz0123456789`;
    // The secret also sits in the marker's own text, as a --reason would.
    const marker = { ...plan.marker, forced: [{ rule: 'cooldown' as const, reason: `see ${REGISTERED}` }] };
    const body = plan.body.replace(
      /<!-- gitops-failover .* -->/,
      `<!-- gitops-failover ${JSON.stringify(marker)} -->`,
    );
    const pr = await p.ensureFailoverPr({ ...plan, body: `${leaky}\n\n${body}`, marker }, snap);
    const stored = repo.pulls.get(pr.number)?.body ?? '';
    expect(stored).not.toContain(REGISTERED);
    expect(stored).not.toContain('ghs_abcdefghijklmnopqrstuvwxyz');
    expect(stored).toContain('https://***@state.example.com');
    const check = checkMarker(stored, KEYS, 'acme/infra');
    expect(check.status).toBe('valid');
    expect(check.status === 'valid' && check.marker.forced?.[0]?.reason).toBe('see ***');
  });

  it('comments and check runs are redacted too', async () => {
    const p = port();
    const snap = await p.readSnapshot();
    const pr = await p.ensureFailoverPr(checkoutPlan(snap.view.headSha), snap);
    await p.comment(pr.number, `apply failed: password=${REGISTERED}`);
    const run = await p.createCheckRun({
      name: 'gitops-failover/verify',
      headSha: snap.view.headSha,
      status: 'completed',
      conclusion: 'failure',
      output: { title: 'failed', summary: `stderr: AKIAIOSFODNN7EXAMPLE ${REGISTERED}` },
    });
    expect(run.id).toBeGreaterThan(0);
    expect(repo.comments.size).toBe(1);
    expect(repo.checkRuns.size).toBe(1);
    const texts = JSON.stringify([...repo.comments.values(), ...repo.checkRuns.values()]);
    expect(texts).not.toContain(REGISTERED);
    expect(texts).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });
});
