// The replay guard: remembers what was already acted on (an HMAC signature, an SNS MessageId, a PagerDuty
// event id) until it could no longer pass the freshness check anyway. A key is first *reserved* while its
// request is being handled, then either *committed* (the request was answered 2xx) or *released* (it was
// not: the sender will retry, as SNS, Alertmanager and our docs tell it to, and must be answered normally).
// A reserved key refuses a concurrent copy, so two replicas of one capture cannot both be in flight here.
// In-process only: across replicas a replay can land once per replica, which the idempotent GitHub port
// turns into "PR already exists".

interface Entry {
  expiresAtMs: number;
  committed: boolean;
}

export class ReplayGuard {
  readonly #entries = new Map<string, Entry>();
  constructor(readonly max = 50_000) {}

  /** Holds `key` for the request in flight; false when it was already used or is in flight now. */
  reserve(key: string, expiresAtMs: number, nowMs: number): boolean {
    const known = this.#entries.get(key);
    if (known !== undefined && known.expiresAtMs > nowMs) return false;
    this.#prune(nowMs);
    while (this.#entries.size >= this.max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    this.#entries.set(key, { expiresAtMs, committed: false });
    return true;
  }

  /** The request holding `key` was answered 2xx: the key is spent until it expires. */
  commit(key: string): void {
    const entry = this.#entries.get(key);
    if (entry) entry.committed = true;
  }

  /** The request holding `key` was not answered 2xx: its sender may send it again. */
  release(key: string): void {
    const entry = this.#entries.get(key);
    if (entry && !entry.committed) this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  #prune(nowMs: number): void {
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAtMs <= nowMs) this.#entries.delete(key);
    }
  }
}
