// The policy compares severities on one scale (info < warning < error < critical). Sources and teams use
// many words for the same thing; known synonyms are mapped, anything else is left as the team wrote it.
import type { Severity } from '../types.js';

const SYNONYMS: Record<string, Severity> = {
  critical: 'critical',
  crit: 'critical',
  fatal: 'critical',
  emergency: 'critical',
  emerg: 'critical',
  disaster: 'critical',
  page: 'critical',
  p1: 'critical',
  sev1: 'critical',
  sev0: 'critical',
  error: 'error',
  err: 'error',
  high: 'error',
  major: 'error',
  p2: 'error',
  sev2: 'error',
  warning: 'warning',
  warn: 'warning',
  medium: 'warning',
  average: 'warning',
  minor: 'warning',
  p3: 'warning',
  sev3: 'warning',
  info: 'info',
  informational: 'info',
  information: 'info',
  notice: 'info',
  low: 'info',
  p4: 'info',
  p5: 'info',
  sev4: 'info',
};

export function normaliseSeverity(value: string): Severity | undefined {
  const key = value
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
  return Object.hasOwn(SYNONYMS, key) ? SYNONYMS[key] : undefined;
}

/**
 * Rewrites labels.severity to the normalised word when it is a known synonym. The original word is kept
 * in annotations.source_severity so nothing the sender said is lost.
 */
export function normaliseSeverityLabel(
  labels: Record<string, string>,
  annotations: Record<string, string>,
): void {
  const raw = labels.severity;
  if (raw === undefined || !Object.hasOwn(labels, 'severity')) return;
  const normalised = normaliseSeverity(raw);
  if (normalised === undefined || normalised === raw) return;
  labels.severity = normalised;
  if (!Object.hasOwn(annotations, 'source_severity')) annotations.source_severity = raw;
}
