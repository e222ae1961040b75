// How fast alert bodies become signals. The bot accepts bodies up to 1 MiB and must answer within the
// alert → PR budget (DESIGN §9), so normalising the largest body has to be a small share of it.
import { readFileSync } from 'node:fs';
import { normaliseNotification } from '../src/core/alerts/index.js';
import type { Figures } from './run.js';

const template = JSON.parse(
  readFileSync(
    new URL('../test/fixtures/alertmanager/firing-single-high-memory-load.json', import.meta.url),
    'utf8',
  ),
) as { alerts: Record<string, unknown>[] } & Record<string, unknown>;

/** An Alertmanager group of `count` distinct alerts without fingerprints (so each one is hashed). */
function group(count: number): unknown {
  const alert = template.alerts[0] ?? {};
  const alerts = Array.from({ length: count }, (_, i) => ({
    ...alert,
    labels: {
      ...(alert.labels as object),
      instance: `10.0.${i >> 8}.${i & 255}:9100`,
      region: i % 2 ? 'us-east-1' : 'us-west-2',
    },
  }));
  return { ...template, alerts };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function time(body: unknown, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    normaliseNotification(body);
    samples.push(performance.now() - started);
  }
  return median(samples);
}

export default async function (): Promise<Figures> {
  const thousand = group(1000);
  time(thousand, 5); // warm-up
  const perThousandMs = time(thousand, 31);
  // Grow the group until its JSON is just over 1 MiB, the bot's body limit.
  let count = 1000;
  while (JSON.stringify(group(count)).length < 1024 * 1024) count += 250;
  const largest = group(count);
  const largestMs = time(largest, 11);
  return {
    alerts_normalised_per_s: {
      value: Math.round(1000 / (perThousandMs / 1000)),
      unit: 'alerts/s',
      budget: 50_000,
      higher: true,
    },
    normalise_1mib_body_ms: { value: Number(largestMs.toFixed(2)), unit: 'ms', budget: 50 },
  };
}
