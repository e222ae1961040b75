import { readdirSync, readFileSync } from 'node:fs';

const FIXTURES = new URL('../../fixtures/', import.meta.url);

export function loadFixture(path: string): unknown {
  return JSON.parse(readFileSync(new URL(path, FIXTURES), 'utf8'));
}

/** Every alert fixture, as `dir/file.json`. */
export function alertFixturePaths(): string[] {
  return ['alertmanager', 'grafana', 'sns-cloudwatch', 'other-alerts'].flatMap((dir) =>
    readdirSync(new URL(`${dir}/`, FIXTURES))
      .filter((file) => file.endsWith('.json'))
      .map((file) => `${dir}/${file}`),
  );
}
