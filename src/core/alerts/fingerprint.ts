// Stable alert identity when a source sends none. Same algorithm as Prometheus' label-set fingerprint
// (64-bit FNV-1a over sorted `name 0xff value 0xff`), so a computed fingerprint equals the one
// Alertmanager itself would have sent for the same labels.

const FNV_OFFSET_64 = 0xcbf29ce484222325n;
const FNV_PRIME_64 = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;
const SEPARATOR = 0xff;
const utf8 = new TextEncoder();

function addBytes(hash: bigint, bytes: Uint8Array): bigint {
  let h = hash;
  for (const byte of bytes) {
    h ^= BigInt(byte);
    h = (h * FNV_PRIME_64) & MASK_64;
  }
  return h;
}

function addByte(hash: bigint, byte: number): bigint {
  return ((hash ^ BigInt(byte)) * FNV_PRIME_64) & MASK_64;
}

/** 64-bit FNV-1a of a UTF-8 string, as 16 lowercase hex digits. */
export function fnv1a64(text: string): string {
  return addBytes(FNV_OFFSET_64, utf8.encode(text)).toString(16).padStart(16, '0');
}

/** Fingerprint of a label set, independent of key order. */
export function labelsFingerprint(labels: Record<string, string>): string {
  let h = FNV_OFFSET_64;
  // Code-unit order, like Go's sort.Strings on ASCII label names.
  const names = Object.keys(labels).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    h = addBytes(h, utf8.encode(name));
    h = addByte(h, SEPARATOR);
    h = addBytes(h, utf8.encode(labels[name] ?? ''));
    h = addByte(h, SEPARATOR);
  }
  return h.toString(16).padStart(16, '0');
}
