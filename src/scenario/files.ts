// The disk side of `failover test`: which files a FILE|DIR argument names, and reading a repo folder.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { DEFAULT_CONFIG_FILE } from '../core/config/load.js';
import type { ScenarioFiles } from './resolve.js';

export const nodeScenarioFiles: ScenarioFiles = {
  readFile: (path) => readFileSync(path, 'utf8'),
  exists: (path) => existsSync(path),
  readTree,
};

/**
 * The scenario files an argument names: a file itself, or every .yaml/.yml under a folder in name
 * order, skipping dot-folders and the repos scenarios point at (folders with .github/failover.yml),
 * whose YAML is config and state, not scenarios.
 */
export function scenarioFilesIn(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  const found: string[] = [];
  const walk = (dir: string) => {
    if (existsSync(join(dir, DEFAULT_CONFIG_FILE))) return;
    for (const entry of readdirSync(dir).sort()) {
      if (entry.startsWith('.') || entry === 'node_modules') continue;
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.ya?ml$/i.test(entry)) found.push(full);
    }
  };
  walk(path);
  return found;
}

/** Every file under `dir` by its path relative to it; dot-folders other than .github are skipped. */
function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      if (
        entry === 'node_modules' ||
        entry === '.terraform' ||
        (entry.startsWith('.') && entry !== '.github')
      )
        continue;
      const full = join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else files[relative(dir, full).split(sep).join('/')] = readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return files;
}
