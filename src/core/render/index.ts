// Rendering: PR plans, the hidden marker, status tables, the timeline and the body-size guard.
export { BODY_LIMIT, fitBody } from './fit.js';
export { MARKER_PREFIX, parseMarker, renderMarker } from './marker.js';
export { type PlanContext, planPr, prTitle, renderPrBody } from './pr.js';
export { renderStatus } from './status.js';
export {
  mergeRefusals,
  parseStatusRecord,
  type RefusalRecord,
  type Refusals,
  renderStatusIssue,
  STATUS_ISSUE_TITLE,
} from './status-issue.js';
export {
  renderTimeline,
  replaceTimeline,
  TIMELINE_END,
  TIMELINE_START,
  type TimelineEvents,
} from './timeline.js';
