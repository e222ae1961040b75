// What the Action needs from its runtime: logs, outputs, masking and the job summary. main.ts binds it
// to @actions/core; tests bind it to memory.
import type { SecretRegistry } from '../core/redact.js';
import { describeFailure } from './failure.js';

/** Where an error annotation points (GitHub shows it on that line of the file). */
export interface AnnotationPlace {
  title?: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
}

export interface ActionIo {
  info(message: string): void;
  warning(message: string): void;
  error(message: string, place?: AnnotationPlace): void;
  setOutput(name: string, value: string): void;
  /** Masks a value in every later log line. */
  setSecret(value: string): void;
  setFailed(message: string): void;
  /** Appends markdown to the job summary. */
  summary(markdown: string): Promise<void>;
  startGroup(name: string): void;
  endGroup(): void;
}

export interface StepRecord {
  step: string;
  ok: boolean;
  ms: number;
  detail?: string;
}

/** Runs one step inside a log group, records its duration and outcome (even when it throws). */
export async function step<T>(
  io: ActionIo,
  steps: StepRecord[],
  name: string,
  now: () => number,
  fn: () => Promise<T>,
): Promise<T> {
  const started = now();
  io.startGroup(name);
  try {
    const result = await fn();
    steps.push({ step: name, ok: true, ms: now() - started });
    return result;
  } catch (err: unknown) {
    steps.push({
      step: name,
      ok: false,
      ms: now() - started,
      detail: describeFailure(err),
    });
    throw err;
  } finally {
    io.info(`${name}: ${now() - started} ms`);
    io.endGroup();
  }
}

/**
 * Everything the Action writes (log lines, outputs, the job summary, the failure message) passes the
 * product's one redaction; a value given to setSecret is also masked in our own reports, not only in
 * the runner's log.
 */
export function redactingIo(io: ActionIo, secrets: SecretRegistry): ActionIo {
  const r = (text: string) => secrets.redact(text);
  return {
    info: (message) => io.info(r(message)),
    warning: (message) => io.warning(r(message)),
    error: (message, place) => io.error(r(message), place),
    setOutput: (name, value) => io.setOutput(name, r(value)),
    setSecret: (value) => {
      secrets.add(value);
      io.setSecret(value);
    },
    setFailed: (message) => io.setFailed(r(message)),
    summary: (markdown) => io.summary(r(markdown)),
    startGroup: (name) => io.startGroup(r(name)),
    endGroup: () => io.endGroup(),
  };
}
