// `{target}` is the region/target a check verifies (the NEW active target after a failover). It is
// replaced in every string of the check, including nested ones (url, name, host, query, expect lists,
// header values), so a single check definition serves every target.

const PLACEHOLDER = /\{target\}/g;

export function substituteTarget<T>(value: T, target: string): T {
  return deepMap(value, target) as T;
}

function deepMap(value: unknown, target: string): unknown {
  if (typeof value === 'string') return value.replace(PLACEHOLDER, () => target);
  if (Array.isArray(value)) return value.map((v) => deepMap(v, target));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepMap(v, target)]));
  }
  return value;
}
