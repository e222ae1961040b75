// In-memory copies of the example infra repo (under `repo/`), to change one thing per test.
import { readFileSync } from 'node:fs';

export const EXAMPLE_CONFIG = readFileSync('examples/infra-repo/.github/failover.yml', 'utf8');
export const EXAMPLE_STATE = readFileSync('examples/infra-repo/envs/prod/failover.auto.tfvars.json', 'utf8');
export const REGION_DOWN = readFileSync('examples/alerts/alertmanager-region-down.json', 'utf8');

export function exampleRepo(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const files: Record<string, string | undefined> = {
    'repo/.github/failover.yml': EXAMPLE_CONFIG,
    'repo/envs/prod/failover.auto.tfvars.json': EXAMPLE_STATE,
    'alert.json': REGION_DOWN,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(files).filter((e): e is [string, string] => e[1] !== undefined));
}
