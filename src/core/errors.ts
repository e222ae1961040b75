// Typed errors. Callers decide what to show by type, never by parsing messages.

/** One problem found in a config or state file, located as precisely as the parser allows. */
export interface ConfigIssue {
  file: string;
  line: number;
  column: number;
  /** Dotted path inside the document, e.g. `services.checkout.targets[1]`; empty for the root. */
  path: string;
  message: string;
}

/** The repo config (or a file it points at) is invalid. Safe to show to users. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
  }
}

export function formatIssue(issue: ConfigIssue): string {
  const where = issue.path ? ` ${issue.path}:` : '';
  return `${issue.file}:${issue.line}:${issue.column}${where} ${issue.message}`;
}

/** A request the user made cannot be done as asked; the message is written for them. */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly code = 'user_error',
  ) {
    super(message);
  }
}

/** A notification body is not a valid payload of its source. The message says what is wrong. */
export class PayloadError extends Error {
  override readonly name = 'PayloadError';
  constructor(
    message: string,
    readonly source?: string,
  ) {
    super(message);
  }
}

/** A desired-state file cannot be read or edited as configured. */
export class StateFileError extends Error {
  override readonly name = 'StateFileError';
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/** Turns anything thrown (not only Error) into a message fit for a log line. */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'string') return thrown;
  try {
    return JSON.stringify(thrown) ?? String(thrown);
  } catch {
    return String(thrown);
  }
}
