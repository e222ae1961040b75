// Masking of sensitive and unknown values in `terraform show -json` plan output.
//
// The plan JSON carries sensitive values IN CLEAR TEXT next to a parallel "sensitivity" tree
// (`before_sensitive`, `after_sensitive`, `sensitive_values`): `true` marks a sensitive subtree,
// objects/arrays mirror the value's shape, `false`/absent means nothing below is sensitive.
// Every value that leaves this module has gone through `maskValue`, and every sensitive leaf is
// recorded in a SecretSink so the caller can register it with its log masker.

export const SENSITIVE = '(sensitive)';
export const KNOWN_AFTER_APPLY = '(known after apply)';

/** Collects raw sensitive strings. Kept as a set: the same secret often appears in several places. */
export class SecretSink {
  readonly #values = new Set<string>();

  /** Records every scalar leaf of a sensitive value (objects and lists are walked). */
  addValue(value: unknown): void {
    if (value === null || value === undefined || typeof value === 'boolean') return;
    if (typeof value === 'string') {
      if (value !== '') this.#values.add(value);
      return;
    }
    if (typeof value === 'number' || typeof value === 'bigint') {
      this.#values.add(String(value));
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) this.addValue(item);
      return;
    }
    if (typeof value === 'object') {
      for (const item of Object.values(value)) this.addValue(item);
    }
  }

  /** Records the parts of `value` that `sensitivity` marks as sensitive. */
  addMarked(value: unknown, sensitivity: unknown): void {
    if (sensitivity === true) {
      this.addValue(value);
      return;
    }
    if (!isContainer(sensitivity) || !isContainer(value)) return;
    for (const [key, child] of entries(value)) this.addMarked(child, childOf(sensitivity, key));
  }

  list(): string[] {
    // Longest first: a masker that replaces substrings must not leave half of a longer secret behind.
    return [...this.#values].sort((a, b) => b.length - a.length || a.localeCompare(b));
  }

  has(text: string): boolean {
    return this.#values.has(text);
  }

  /** True when `text` contains any recorded secret (values derived from a secret leak it too). */
  leaksInto(text: string): boolean {
    for (const secret of this.#values) {
      // Very short "secrets" (e.g. a sensitive number 1) would mask every ordinary value; the
      // structural mask already hides them where they are marked, so only whole matches count.
      if (secret.length < 4 ? text === secret : text.includes(secret)) return true;
    }
    return false;
  }
}

/**
 * Returns a copy of `value` in which sensitive parts read "(sensitive)" and unknown parts read
 * "(known after apply)". `sensitivity` and `unknown` are the parallel trees from the plan.
 */
export function maskValue(value: unknown, sensitivity: unknown, unknown?: unknown): unknown {
  if (sensitivity === true) return SENSITIVE;
  if (unknown === true) return KNOWN_AFTER_APPLY;
  if (Array.isArray(value)) {
    return value.map((item, index) => maskValue(item, childOf(sensitivity, index), childOf(unknown, index)));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      out[key] = maskValue(child, childOf(sensitivity, key), childOf(unknown, key));
    }
    // Keys that are unknown but absent from the value (Terraform omits them) still matter to a reader.
    if (isContainer(unknown) && !Array.isArray(unknown)) {
      for (const [key, flag] of Object.entries(unknown)) {
        if (flag === true && !(key in out)) out[key] = KNOWN_AFTER_APPLY;
      }
    }
    return out;
  }
  return value;
}

/**
 * Second line of defence: replaces any string that contains a recorded secret. Needed because
 * Terraform does not always propagate sensitivity (e.g. `terraform_data.output` copies a sensitive
 * `input` unmarked), so the structural mask alone can miss a derived copy.
 */
export function scrubSecrets(value: unknown, sink: SecretSink): unknown {
  if (typeof value === 'string') return sink.leaksInto(value) ? SENSITIVE : value;
  if (typeof value === 'number') return sink.leaksInto(String(value)) ? SENSITIVE : value;
  if (Array.isArray(value)) return value.map((item) => scrubSecrets(item, sink));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) out[key] = scrubSecrets(child, sink);
    return out;
  }
  return value;
}

/** True when any part of the sensitivity tree is marked. */
export function anySensitive(sensitivity: unknown): boolean {
  if (sensitivity === true) return true;
  if (!isContainer(sensitivity)) return false;
  return Object.values(sensitivity).some(anySensitive);
}

export function childOf(tree: unknown, key: string | number): unknown {
  if (tree === true) return true;
  if (!isContainer(tree)) return undefined;
  return (tree as Record<string | number, unknown>)[key];
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return value !== null && typeof value === 'object';
}

function entries(value: Record<string, unknown> | unknown[]): [string | number, unknown][] {
  return Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
}
