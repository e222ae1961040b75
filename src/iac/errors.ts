import { UserError } from '../core/errors.js';

export type IacStep = 'synth' | 'init' | 'plan' | 'show' | 'apply';

/**
 * An IaC step failed. The message is safe to show (Terraform masks sensitive values in its own
 * output) and says what to do; `stderrTail` holds the last lines for the report. It is a UserError
 * (same `name`, code `iac_error`) so adapters that show UserErrors show it without special cases.
 */
export class IacError extends UserError {
  constructor(
    message: string,
    readonly step: IacStep,
    readonly exitCode?: number,
    readonly stderrTail = '',
  ) {
    super(message, 'iac_error');
  }
}

/** The last `maxLines` non-empty lines of `text`, capped at `maxChars`. */
export function tailLines(text: string, maxLines = 20, maxChars = 4000): string {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const tail = lines.slice(-maxLines).join('\n');
  return tail.length > maxChars ? `…${tail.slice(-(maxChars - 1))}` : tail;
}
