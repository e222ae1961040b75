// Public surface of the verification module (DESIGN §2, brief "src/verify/index.ts").

export { looksSecret, redactHeaders, redactText, redactUrl } from './redact.js';
export { renderVerifyReport } from './render.js';
export { DEFAULT_ATTEMPT_TIMEOUT_MS, type RunChecksOptions, runChecks } from './runner.js';
export type { Attempt, CheckReport, ProbeKind, Verdict, VerifyReport } from './types.js';
