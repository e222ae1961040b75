// ChatOps: `/failover ...` and `/failback ...` comments → Command | Reply | Ignore, and the help text.
export { renderHelp, USAGE_LINES } from './help.js';
export { type CommentContext, parseComment } from './parse.js';
export { closest, editDistance } from './suggest.js';
