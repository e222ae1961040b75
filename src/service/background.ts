// Work beside a webhook's main path (the 👀 reaction, labels): it must not delay the reply, and a failure
// in it is logged, never thrown. The ChatOps and results services still wait for it before their handler
// returns, so a delivery ends with everything done (and tests see a settled GitHub).
import { describeThrown } from '../core/errors.js';
import type { ServiceLogger } from './alerts.js';

/** Hands over a task that must not delay the main path; `what` names it in the log when it fails. */
export type Background = (task: Promise<unknown>, what: string) => void;

/** Runs `work`, then waits for every background task it started. `observe` also sees each task. */
export async function settleBackground<T>(
  log: ServiceLogger,
  observe: Background | undefined,
  work: (background: Background) => Promise<T>,
): Promise<T> {
  const pending: Promise<unknown>[] = [];
  const background: Background = (task, what) => {
    pending.push(
      task.catch((thrown: unknown) =>
        log.warn({ event: 'background_failed', what, error: describeThrown(thrown) }),
      ),
    );
    observe?.(task, what);
  };
  try {
    return await work(background);
  } finally {
    await Promise.all(pending);
  }
}
