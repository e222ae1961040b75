// Timestamps arrive as RFC 3339 with nanoseconds (Go), offsets (+01:00, -0500, +0000 from CloudWatch) or Z.
// Everything leaves as ISO-8601 UTC with milliseconds, so signals from different sources compare as strings.

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(?:([Zz])|([+-])(\d{2}):?(\d{2})?)$/;

export type ParsedTime = { kind: 'time'; iso: string } | { kind: 'zero' } | { kind: 'invalid'; why: string };

/** Go's zero time.Time (`0001-01-01T00:00:00Z`) is how Alertmanager and Grafana say "no end yet". */
const ZERO_YEAR = 1;

export function parseTime(text: string): ParsedTime {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return { kind: 'invalid', why: 'is not an RFC 3339 timestamp (like 2024-05-01T12:00:00Z)' };
  const [, y, mo, d, h, mi, s, frac = '', z, sign, oh = '00', om = '00'] = m;
  const year = Number(y);
  if (year === ZERO_YEAR) return { kind: 'zero' };
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  // Truncate (not round) sub-millisecond digits so a nanosecond time never moves into the next ms.
  const millis = Number(frac.slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { kind: 'invalid', why: 'has a date that does not exist' };
  }
  if (hour > 23 || minute > 59 || second > 59)
    return { kind: 'invalid', why: 'has a time of day out of range' };
  let offsetMinutes = 0;
  if (!z) {
    const offH = Number(oh);
    const offM = Number(om);
    if (offH > 23 || offM > 59) return { kind: 'invalid', why: 'has a UTC offset out of range' };
    offsetMinutes = (sign === '-' ? -1 : 1) * (offH * 60 + offM);
  }
  if (year < 1000) return { kind: 'invalid', why: 'has a year before 1000' };
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  return { kind: 'time', iso: new Date(ms).toISOString() };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
