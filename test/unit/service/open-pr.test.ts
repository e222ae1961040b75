import { describe, expect, it } from 'vitest';
import type { PrPlan } from '../../../src/core/types.js';
import type { RepoSnapshot } from '../../../src/github/index.js';
import { openFailoverPr } from '../../../src/service/open-pr.js';

const plan = { branch: 'failover/checkout', labels: ['failover', 'failover:auto'] } as PrPlan;
const snap = {} as RepoSnapshot;

function portAnswering(created: boolean) {
  const labelled: string[] = [];
  const port = {
    ensureFailoverPr: async () => ({ number: 7, url: 'https://github.com/acme/infra/pull/7', created }),
    addLabels: async (n: number, labels: string[]) => {
      labelled.push(`#${n} ${labels.join(',')}`);
    },
  };
  return { port, labelled };
}

describe('openFailoverPr', () => {
  it('labels a PR the port reports as found, not created: its own lost answer looks the same', async () => {
    const { port, labelled } = portAnswering(false);
    const tasks: Promise<unknown>[] = [];
    const opened: string[] = [];
    const pr = await openFailoverPr(port, plan, snap, {
      kind: 'auto',
      background: (task) => tasks.push(task),
      prOpened: (kind) => opened.push(kind),
    });
    await Promise.all(tasks);
    expect(pr).toEqual({ number: 7, url: 'https://github.com/acme/infra/pull/7', created: false });
    // The history behind cooldown and max_per_day is read by this label: it must never be missing.
    expect(labelled).toEqual(['#7 failover,failover:auto']);
    expect(opened).toEqual([]);
  });

  it('counts a created PR once and labels it off the critical path', async () => {
    const { port, labelled } = portAnswering(true);
    const tasks: Promise<unknown>[] = [];
    const opened: string[] = [];
    await openFailoverPr(port, plan, snap, {
      kind: 'manual',
      background: (task) => tasks.push(task),
      prOpened: (kind) => opened.push(kind),
    });
    expect(tasks).toHaveLength(1);
    await Promise.all(tasks);
    expect(labelled).toEqual(['#7 failover,failover:auto']);
    expect(opened).toEqual(['manual']);
  });
});
