// What `failover test` prints: one line per expectation (and per step that could not be played), then
// `N passed, N failed`; or, with --json, every step's outcome.
import type { ScenarioResult } from './run.js';

export function renderTextReport(results: ScenarioResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    for (const step of r.steps) {
      const where = `${r.file} step ${step.step} (at ${step.at})`;
      if (step.error !== undefined)
        lines.push(`FAIL ${where} ${step.event}: could not be played: ${step.error}`);
      for (const e of step.expectations) {
        const head = `${e.pass ? 'ok  ' : 'FAIL'} ${where} ${e.subject}: ${e.expected}`;
        lines.push(e.pass ? head : `${head}; got ${e.actual}`);
      }
    }
  }
  const { passed, failed } = totals(results);
  lines.push(`${passed} passed, ${failed} failed`);
  return `${lines.join('\n')}\n`;
}

export function renderJsonReport(results: ScenarioResult[], parseErrors: string[]): string {
  return `${JSON.stringify({ ...totals(results), parseErrors, scenarios: results }, null, 2)}\n`;
}

export function totals(results: ScenarioResult[]): { passed: number; failed: number } {
  return {
    passed: results.reduce((n, r) => n + r.passed, 0),
    failed: results.reduce((n, r) => n + r.failed, 0),
  };
}
