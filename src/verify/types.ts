// The verification vocabulary: what a probe reports for one attempt and what a check run adds up to.
// Reports are shown in PR comments, check runs and job summaries, so every string in them has been
// through redaction (see redact.ts) before it lands here.

export type ProbeKind = 'http' | 'dns' | 'tcp' | 'prometheus';

export type Verdict = 'pass' | 'fail' | 'inconclusive' | 'timeout';

/** One measurement. `ok: null` is inconclusive (e.g. an empty Prometheus result): it is never a success. */
export interface Attempt {
  /** ISO time the attempt started (from the injected clock). */
  at: string;
  ok: boolean | null;
  /** How long the attempt took, in milliseconds. */
  ms: number;
  /** What the probe saw, short and human-readable: `HTTP 200`, `10.0.0.7`, `1.5`. */
  observed: string;
  /** Why the attempt did not succeed, when it did not. */
  error?: string;
}

export interface CheckReport {
  name: string;
  kind: ProbeKind;
  ok: boolean;
  verdict: Verdict;
  attempts: Attempt[];
  /** One sentence saying how the verdict was reached. */
  message: string;
}

export interface VerifyReport {
  /** True when every check passed (vacuously true for an empty list). */
  ok: boolean;
  startedAt: string;
  finishedAt: string;
  checks: CheckReport[];
}

/** What one probe attempt produced; the runner adds timing. */
export interface ProbeOutcome {
  ok: boolean | null;
  observed: string;
  error?: string;
}

/**
 * A probe ready to run: configuration already validated and `{target}` already substituted.
 * `attempt` must settle promptly once `signal` aborts and should not throw (the runner still
 * turns a throw into a failed attempt).
 */
export interface Probe {
  kind: ProbeKind;
  /** Redacted description of what is probed, for messages (`GET https://***@host/healthz`). */
  describe: string;
  attempt(signal: AbortSignal): Promise<ProbeOutcome>;
}
