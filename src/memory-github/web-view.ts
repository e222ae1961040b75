// A small read-only web view of the in-memory GitHub, served on the same port under GitHub's own paths
// (/<owner>/<repo>, /pulls, /pull/<n>), so a person can watch a failover PR appear, merge and collect
// its timeline, check runs and comments. Pages refresh themselves every two seconds.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml, renderMarkdown } from './markdown.js';
import type { DoubleState, Pull, RepoState } from './state.js';

const API_PREFIXES = new Set(['api', 'repos', 'app', 'orgs', 'graphql', 'installation', 'user', 'users']);

const STYLE = `body{font:14px/1.5 -apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1000px;margin:1.5em auto;color:#1f2328}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left}
.box{border:1px solid #d0d7de;border-radius:6px;padding:0 1em;margin:1em 0}.muted{color:#59636e}
.state{display:inline-block;border-radius:2em;padding:2px 10px;color:#fff}.open{background:#1f883d}.merged{background:#8250df}.closed{background:#cf222e}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

function stateBadge(p: Pull): string {
  const state = p.merged ? 'merged' : p.state;
  return `<span class="state ${state}">${state}</span>`;
}

function repoPage(s: DoubleState, r: RepoState): string {
  const base = `/${r.owner}/${r.name}`;
  const head = s.headSha(r);
  const files = Object.keys(s.files(r)).sort();
  const commits: string[] = [];
  for (let sha = head; sha && commits.length < 10; sha = r.commits.get(sha)?.parents[0]) {
    const c = r.commits.get(sha);
    if (c)
      commits.push(
        `<li><code>${sha.slice(0, 7)}</code> ${escapeHtml(c.message)} <span class="muted">${escapeHtml(c.author.login)}, ${c.committedAt}</span></li>`,
      );
  }
  return page(
    `${r.owner}/${r.name}`,
    `<h1>${escapeHtml(r.owner)}/${escapeHtml(r.name)}</h1><p><a href="${base}/pulls">Pull requests (${r.pulls.size})</a></p>
<h2>${escapeHtml(r.defaultBranch)}</h2><ul>${files.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>
<h2>Commits</h2><ul>${commits.join('')}</ul>`,
  );
}

function pullsPage(r: RepoState): string {
  const base = `/${r.owner}/${r.name}`;
  const rows = [...r.pulls.values()]
    .reverse()
    .map(
      (p) =>
        `<tr><td>${stateBadge(p)}</td><td><a href="${base}/pull/${p.number}">${escapeHtml(p.title)}</a> #${p.number}</td><td>${escapeHtml(p.labels.join(', '))}</td><td class="muted">${p.createdAt}</td></tr>`,
    );
  return page(
    `Pull requests · ${r.owner}/${r.name}`,
    `<h1><a href="${base}">${escapeHtml(r.owner)}/${escapeHtml(r.name)}</a>: pull requests</h1>${rows.length === 0 ? '<p>No pull requests yet.</p>' : `<table>${rows.join('')}</table>`}`,
  );
}

function pullPage(s: DoubleState, r: RepoState, p: Pull): string {
  const base = `/${r.owner}/${r.name}`;
  const shas = new Set([s.pullHeadSha(r, p), p.mergeCommitSha].filter(Boolean));
  const checks = [...r.checkRuns.values()]
    .filter((c) => shas.has(String(c.head_sha)))
    .map((c) => {
      const output = (c.output ?? {}) as { title?: string; summary?: string; text?: string };
      return `<details class="box check"><summary><b>${escapeHtml(String(c.name))}</b>: ${escapeHtml(String(c.conclusion ?? c.status ?? ''))} ${escapeHtml(output.title ?? '')}</summary>${renderMarkdown(`${output.summary ?? ''}\n\n${output.text ?? ''}`)}</details>`;
    });
  const events = [
    `<li>${p.createdAt} opened by ${escapeHtml(p.user.login)} (${escapeHtml(p.head)} → ${escapeHtml(p.base)})</li>`,
    ...(p.merged ? [`<li>${p.mergedAt} merged as <code>${p.mergeCommitSha?.slice(0, 7)}</code></li>`] : []),
    ...(!p.merged && p.state === 'closed' ? ['<li>closed</li>'] : []),
  ];
  const comments = [...r.comments.values()]
    .filter((c) => c.issueNumber === p.number)
    .map(
      (c) =>
        `<div class="box comment"><p class="muted"><b>${escapeHtml(c.user.login)}</b> commented ${c.createdAt}</p>${renderMarkdown(c.body)}</div>`,
    );
  return page(
    `${p.title} #${p.number}`,
    `<p><a href="${base}">${escapeHtml(r.owner)}/${escapeHtml(r.name)}</a> / <a href="${base}/pulls">pulls</a></p>
<h1 class="pr-title">${escapeHtml(p.title)} <span class="muted">#${p.number}</span></h1><p>${stateBadge(p)} labels: ${escapeHtml(p.labels.join(', ') || 'none')}</p>
<div class="box pr-body">${renderMarkdown(p.body)}</div>
<h2>Timeline</h2><ul class="events">${events.join('')}</ul>
<h2>Checks</h2>${checks.join('') || '<p class="muted">No check runs yet.</p>'}
<h2>Comments</h2>${comments.join('') || '<p class="muted">No comments yet.</p>'}`,
  );
}

/** Answers a web-view GET and returns true, or returns false for anything else (the API). */
export function serveWebView(s: DoubleState, req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET') return false;
  const parts = (req.url ?? '/').split('?')[0]?.split('/').filter(Boolean).map(decodeURIComponent) ?? [];
  if (parts[0] && API_PREFIXES.has(parts[0])) return false;
  const send = (status: number, html: string) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  };
  if (parts.length === 0) {
    const list = [...s.repos.values()].map(
      (r) => `<li><a href="/${r.owner}/${r.name}">${escapeHtml(r.owner)}/${escapeHtml(r.name)}</a></li>`,
    );
    send(200, page('in-memory GitHub', `<h1>in-memory GitHub</h1><ul>${list.join('')}</ul>`));
    return true;
  }
  const r = s.repo(parts[0] ?? '', parts[1] ?? '');
  if (!r) {
    send(404, page('Not found', '<h1>Not found</h1>'));
    return true;
  }
  if (parts.length === 2) send(200, repoPage(s, r));
  else if (parts[2] === 'pulls') send(200, pullsPage(r));
  else if (parts[2] === 'pull' && r.pulls.has(Number(parts[3]))) {
    send(200, pullPage(s, r, r.pulls.get(Number(parts[3])) as Pull));
  } else send(404, page('Not found', '<h1>Not found</h1>'));
  return true;
}
