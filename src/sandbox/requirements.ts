// Which of the sandbox's real programs this machine has. Terraform is required (it is what applies the
// failover); the monitoring programs and HAProxy have built-in stand-ins, named in the output and the
// report whenever they are used.
import { execFileSync } from 'node:child_process';
import { ALERTMANAGER_BIN } from './alertmanager.js';
import { HAPROXY_BIN } from './entry-point.js';
import { BLACKBOX_BIN, PROMETHEUS_BIN } from './monitoring.js';

export interface Program {
  part: 'prometheus' | 'blackbox' | 'alertmanager' | 'haproxy' | 'terraform';
  bin: string;
  /** The Debian package that provides it. */
  debian?: string;
}

export const PROGRAMS: Program[] = [
  { part: 'terraform', bin: 'terraform' },
  { part: 'haproxy', bin: HAPROXY_BIN, debian: 'haproxy' },
  { part: 'prometheus', bin: PROMETHEUS_BIN, debian: 'prometheus' },
  { part: 'blackbox', bin: BLACKBOX_BIN, debian: 'prometheus-blackbox-exporter' },
  { part: 'alertmanager', bin: ALERTMANAGER_BIN, debian: 'prometheus-alertmanager' },
];

export const TERRAFORM_HELP =
  'terraform is required: it applies the failover. Install it from https://developer.hashicorp.com/terraform/install (or OpenTofu as `terraform`), then run the demo again.';

function runs(bin: string): boolean {
  try {
    execFileSync(bin, ['--version'], { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    try {
      // HAProxy prints its version with -v.
      execFileSync(bin, ['-v'], { stdio: 'ignore', timeout: 20_000 });
      return true;
    } catch {
      return false;
    }
  }
}

export function missingPrograms(): Program[] {
  return PROGRAMS.filter((p) => !runs(p.bin));
}

/** `sudo apt-get install …` for the missing Debian packages, or undefined when none is missing. */
export function aptLine(missing: Program[]): string | undefined {
  const packages = missing.flatMap((p) => (p.debian ? [p.debian] : []));
  return packages.length > 0 ? `sudo apt-get install -y ${packages.join(' ')}` : undefined;
}
