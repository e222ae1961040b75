// Runs every bench/*.bench.ts, prints one table and writes bench/results.json.
// A bench module's default export resolves to { figure: { value, unit, budget } }. Budgets are
// upper bounds unless the figure's name says otherwise (`higher` = true means more is better).
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface Figure {
  value: number;
  unit: string;
  budget: number;
  /** true when the budget is a floor (throughput), false/absent when it is a ceiling. */
  higher?: boolean;
}
export type Figures = Record<string, Figure>;

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const results: Figures = {};
let failedModules = 0;
for (const file of files) {
  const started = Date.now();
  process.stderr.write(`running ${file} ...\n`);
  try {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: () => Promise<Figures> };
    Object.assign(results, await mod.default());
  } catch (err) {
    failedModules++;
    process.stderr.write(`${file} failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  }
  process.stderr.write(`  ${file} took ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
}

const rows = Object.entries(results).map(([name, f]) => {
  const within = f.higher ? f.value >= f.budget : f.value <= f.budget;
  return { name, value: f.value, unit: f.unit, budget: `${f.higher ? '>=' : '<='} ${f.budget}`, within };
});
const width = Math.max(10, ...rows.map((r) => r.name.length));
console.log(`${'figure'.padEnd(width)}  ${'value'.padStart(12)}  unit      budget        ok`);
for (const r of rows) {
  const value = Number.isInteger(r.value) ? String(r.value) : r.value.toFixed(2);
  console.log(
    `${r.name.padEnd(width)}  ${value.padStart(12)}  ${r.unit.padEnd(8)}  ${r.budget.padEnd(12)}  ${r.within ? 'yes' : 'NO'}`,
  );
}
writeFileSync(join(here, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
const over = rows.filter((r) => !r.within).length;
if (over > 0 || failedModules > 0) {
  console.error(`${over} figure(s) outside budget, ${failedModules} bench module(s) failed`);
  process.exitCode = 1;
}
