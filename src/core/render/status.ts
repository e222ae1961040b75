// `/failover status` and `failover status`: one table row per service.
import { formatDuration, parseDuration } from '../duration.js';
import { historyFor, openPrFor, readCurrent } from '../policy/context.js';
import type { FailoverConfig, RepoView } from '../types.js';
import { cell } from './text.js';

export function renderStatus(config: FailoverConfig, repo: RepoView, now: string): string {
  const nowMs = Date.parse(now);
  const rows = [
    '| service | active | pending PR | last change | cooldown left |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const [name, svc] of Object.entries(config.services)) {
    const cur = readCurrent(svc, repo);
    const active = cur.ok
      ? svc.mode === 'weighted'
        ? Object.entries(cur.value as Record<string, number>)
            .map(([t, w]) => `${t}=${w}`)
            .join(' ')
        : String(cur.value)
      : `⚠️ ${cur.why}`;
    const group = Object.entries(config.groups).find(([, m]) => m.includes(name))?.[0];
    const pr = openPrFor(repo, group ? `group-${group}` : name, [name]);
    const pending = pr
      ? `#${pr.number} → ${pr.marker.changes.find((c) => c.service === name)?.to ?? pr.marker.changes[0]?.to ?? '?'}`
      : '-';
    const last = historyFor(repo, [name])[0];
    let lastChange = '-';
    let cooldown = '-';
    if (last) {
      const ago = nowMs - Date.parse(last.mergedAt);
      lastChange = `${last.kind} ${last.from} → ${last.to}, ${formatDuration(ago)} ago (#${last.pr})`;
      const left = parseDuration(svc.automation.cooldown) - ago;
      cooldown = left > 0 ? formatDuration(left) : '-';
    }
    rows.push(`| ${cell(name)} | ${cell(active)} | ${cell(pending)} | ${cell(lastChange)} | ${cooldown} |`);
  }
  if (repo.frozen)
    rows.push(
      '',
      `Automation is frozen (the freeze file ${config.freeze_file} exists); manual commands still work.`,
    );
  return rows.join('\n');
}
