// Markdown as GitHub renders it on a PR page (CommonMark + tables, raw HTML such as <details>, hidden
// HTML comments). Used by the report and the in-memory GitHub's web view. The bodies rendered here
// were written by the bot and the Action, whose renderers escape every value that came from outside.
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: true, linkify: true });

export function renderMarkdown(text: string): string {
  return md.render(text);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
