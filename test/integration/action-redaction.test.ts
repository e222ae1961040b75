import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkoutConfig,
  expectReportsWithoutPr,
  fakeTerraformPerFile,
  infraReposPerTest,
  type RequestBodies,
  regionTargetsPerFile,
  runOnPush,
} from '../helpers/action-harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const PLAN_JSON = join(here, '..', 'fixtures', 'iac', 'plan-flip-terraform-data-tf1.11.json');
const TOKEN = 'ghs_redactionTestToken0123456789abcd';
const AWS_KEY_ID = 'AKIAIOSFODNN7REDACT1';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYREDACTKEY1';
const STATE_PASSWORD = 'st4te-backend-pw-9d2e';
const DB_PASSWORD = 'db-password-not-in-env-5c1';

const FAKE_TERRAFORM = `#!/bin/sh
case "$1" in
  init) echo "Terraform has been successfully initialized!"; exit 0 ;;
  plan) for a in "$@"; do case "$a" in -out=*) : > "\${a#-out=}" ;; esac; done; exit 2 ;;
  show) cat "$FAKE_PLAN_JSON"; exit 0 ;;
  apply)
    echo "Error: Failed to get existing workspaces: GET https://ops:${STATE_PASSWORD}@state.example.com/v1/ws?access_token=$GITHUB_TOKEN_COPY failed" >&2
    echo "Error: InvalidClientTokenId: key ${AWS_KEY_ID} secret $AWS_SECRET_ACCESS_KEY rejected" >&2
    echo "Error: connecting to postgres: password=${DB_PASSWORD} token=$GITHUB_TOKEN_COPY" >&2
    exit 1 ;;
esac
exit 3
`;

const targets = regionTargetsPerFile();
const infraRepo = infraReposPerTest();
const fakeTerraform = fakeTerraformPerFile(FAKE_TERRAFORM);

describe('the Action redacts what it reports', () => {
  it('terraform stderr with URL credentials, AWS keys, password= and the token reaches no report verbatim', async () => {
    const r = infraRepo(checkoutConfig({ httpBase: targets.http.url }));
    const bodies: RequestBodies = {};
    const scope = expectReportsWithoutPr(r.after, bodies);
    const run = await runOnPush(r, {
      inputs: { 'iac-binary': fakeTerraform(), 'github-token': TOKEN },
      env: {
        FAKE_PLAN_JSON: PLAN_JSON,
        AWS_SECRET_ACCESS_KEY: AWS_SECRET,
        GITHUB_TOKEN_COPY: TOKEN,
      },
    });
    scope.done();
    expect(run.exitCode).toBe(1);
    const reports = {
      check: JSON.stringify(bodies.check),
      status: JSON.stringify(bodies.status),
      summary: run.summary,
      log: run.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
    };
    // The failure is still explained: what failed, and where.
    expect(reports.check).toContain('terraform apply');
    expect(reports.check).toContain('state.example.com');
    expect(reports.check).toContain('InvalidClientTokenId');
    for (const [where, text] of Object.entries(reports)) {
      for (const secret of [TOKEN, AWS_KEY_ID, AWS_SECRET, STATE_PASSWORD, DB_PASSWORD]) {
        expect(text, `${where} holds ${secret.slice(0, 4)}…`).not.toContain(secret);
      }
    }
    expect(reports.check).toContain('https://***@state.example.com');
    expect(reports.check).toContain('password=***');
  });
});
