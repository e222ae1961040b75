// Stable alert identity when a source sends none. Same algorithm as Prometheus' label-set fingerprint
// (64-bit FNV-1a over sorted `name 0xff value 0xff`), so a computed fingerprint equals the one
// Alertmanager itself would have sent for the same labels.
//
// The 64-bit state is kept in four 16-bit limbs instead of a BigInt: a 1 MiB Alertmanager body has
// thousands of alerts and BigInt arithmetic made hashing most of the normalisation time.

const SEPARATOR = 0xff;
/** FNV prime 2^40 + 0x1b3: multiplying is `h * 0x1b3 + (h << 40)`. */
const PRIME_LOW = 0x1b3;

class Fnv64 {
  // Offset basis 0xcbf29ce484222325, low limb first.
  private h0 = 0x2325;
  private h1 = 0x8422;
  private h2 = 0x9ce4;
  private h3 = 0xcbf2;

  byte(value: number): void {
    const h0 = this.h0 ^ value;
    const t0 = h0 * PRIME_LOW;
    const t1 = this.h1 * PRIME_LOW + (t0 >>> 16);
    const t2 = this.h2 * PRIME_LOW + ((h0 & 0xff) << 8) + (t1 >>> 16);
    const t3 = this.h3 * PRIME_LOW + (h0 >>> 8) + ((this.h1 & 0xff) << 8) + (t2 >>> 16);
    this.h0 = t0 & 0xffff;
    this.h1 = t1 & 0xffff;
    this.h2 = t2 & 0xffff;
    this.h3 = t3 & 0xffff;
  }

  /** The string's UTF-8 bytes (lone surrogates as U+FFFD, like TextEncoder), without allocating. */
  text(value: string): void {
    for (let i = 0; i < value.length; i++) {
      let code = value.charCodeAt(i);
      if (code < 0x80) {
        this.byte(code);
        continue;
      }
      if (code < 0x800) {
        this.byte(0xc0 | (code >> 6));
        this.byte(0x80 | (code & 0x3f));
        continue;
      }
      if (code >= 0xd800 && code <= 0xdfff) {
        const next = value.charCodeAt(i + 1);
        if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
          i++;
          this.byte(0xf0 | (code >> 18));
          this.byte(0x80 | ((code >> 12) & 0x3f));
          this.byte(0x80 | ((code >> 6) & 0x3f));
          this.byte(0x80 | (code & 0x3f));
          continue;
        }
        code = 0xfffd;
      }
      this.byte(0xe0 | (code >> 12));
      this.byte(0x80 | ((code >> 6) & 0x3f));
      this.byte(0x80 | (code & 0x3f));
    }
  }

  hex(): string {
    return [this.h3, this.h2, this.h1, this.h0].map((limb) => limb.toString(16).padStart(4, '0')).join('');
  }
}

/** 64-bit FNV-1a of a UTF-8 string, as 16 lowercase hex digits. */
export function fnv1a64(text: string): string {
  const hash = new Fnv64();
  hash.text(text);
  return hash.hex();
}

/** Fingerprint of a label set, independent of key order. */
export function labelsFingerprint(labels: Record<string, string>): string {
  const hash = new Fnv64();
  // Code-unit order, like Go's sort.Strings on ASCII label names.
  const names = Object.keys(labels).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    hash.text(name);
    hash.byte(SEPARATOR);
    hash.text(labels[name] ?? '');
    hash.byte(SEPARATOR);
  }
  return hash.hex();
}
