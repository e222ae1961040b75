// The one error type the constructs throw. cdktn reports it as a synth failure, so the message is
// everything the engineer sees: it names the file and key, or the construct and prop, that is wrong.

export class FailoverSynthError extends Error {
  override readonly name = 'FailoverSynthError';
}

/** Throws one error listing every problem, so a bad stack is fixed in one round, not one per synth. */
export function throwIfProblems(subject: string, problems: string[]): void {
  if (problems.length === 0) return;
  const list = problems.length === 1 ? ` ${problems[0]}` : `\n${problems.map((p) => `  - ${p}`).join('\n')}`;
  throw new FailoverSynthError(`${subject}:${list}`);
}

/** The flag is the one prop nothing else can be checked without; its absence is reported alone. */
export function assertFlagGiven(subject: string, flag: unknown, accessor: string): void {
  const targets = (flag as { targets?: unknown } | undefined)?.targets;
  if (!flag || !Array.isArray(targets)) {
    throwIfProblems(subject, [`flag is missing (pass readFailoverState(repo).${accessor}(service))`]);
  }
}
