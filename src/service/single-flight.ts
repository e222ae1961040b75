// In-process coalescing. Across replicas the `failover/<service>` branch is the lock (DESIGN §11); inside
// one process these two helpers keep duplicates from even reaching GitHub.

/** Runs tasks with the same key one after the other (FIFO); different keys run concurrently. */
export function createKeyedQueue() {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(task, task);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      // Forget the key once nothing is queued behind this task, so the map stays as small as the load.
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    get size() {
      return tails.size;
    },
  };
}

/**
 * Concurrent calls with the same key share one promise. A successful answer is also remembered for
 * `recentWindowMs` so a storm of resends right after it costs no GitHub calls; failures are not
 * remembered (the sender's retry must really retry), nor is an answer `remember` declines (one that
 * may differ a moment later). The recent map is bounded.
 */
export function createSingleFlight<T extends { status: number }>(opts: {
  recentWindowMs: number;
  now: () => number;
  maxRecent?: number;
  remember?: (value: T) => boolean;
}) {
  const inFlight = new Map<string, Promise<T>>();
  const recent = new Map<string, { at: number; value: T }>();
  const maxRecent = opts.maxRecent ?? 1_000;
  return {
    run(key: string, task: () => Promise<T>): Promise<T> {
      const hit = recent.get(key);
      if (hit && opts.now() - hit.at < opts.recentWindowMs) return Promise.resolve(hit.value);
      if (hit) recent.delete(key);
      const pending = inFlight.get(key);
      if (pending) return pending;
      const started = task().then(
        (value) => {
          inFlight.delete(key);
          if (value.status < 500 && opts.recentWindowMs > 0 && (opts.remember?.(value) ?? true)) {
            if (recent.size >= maxRecent) {
              const oldest = recent.keys().next().value;
              if (oldest !== undefined) recent.delete(oldest);
            }
            recent.set(key, { at: opts.now(), value });
          }
          return value;
        },
        (thrown: unknown) => {
          inFlight.delete(key);
          throw thrown;
        },
      );
      inFlight.set(key, started);
      return started;
    },
  };
}
