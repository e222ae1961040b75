// The shared vocabulary of the domain core. Every adapter (bot, Action, CLI) speaks in these types.
import type { FailoverConfig, Permission } from './config/schema.js';

export type { CheckConfig, FailoverConfig, Permission, ServiceConfig, Severity } from './config/schema.js';

export const ALERT_SOURCES = ['alertmanager', 'grafana', 'sns', 'pagerduty', 'azure', 'generic'] as const;
export type AlertSource = (typeof ALERT_SOURCES)[number];

/** One alert from any monitoring source, normalised. Times are ISO-8601 strings. */
export interface Signal {
  source: AlertSource;
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  /** Stable identity of the alert across notifications (the source's own where it has one). */
  fingerprint: string;
  url?: string;
}

/** What a normaliser made of one notification body. */
export interface NormalisedNotification {
  source: AlertSource;
  signals: Signal[];
  /** Parts of the payload deliberately not turned into signals (e.g. INSUFFICIENT_DATA), with why. */
  ignored: { reason: string }[];
  /** Present when the body is an SNS SubscriptionConfirmation (or UnsubscribeConfirmation). */
  subscription?: {
    type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
    topicArn: string;
    subscribeUrl: string;
  };
}

export type FailoverKind = 'auto' | 'manual' | 'drill' | 'rollback' | 'failback';

/** A failover that has already landed on the default branch (read from merged PR markers). */
export interface FailoverRecord {
  services: string[];
  from: string;
  to: string;
  kind: FailoverKind;
  mergedAt: string;
  pr: number;
}

/** A failover PR that is still open. */
export interface OpenFailoverPr {
  number: number;
  url: string;
  branch: string;
  headSha: string;
  marker: FailoverMarker;
  /** A human pushed to the branch: the bot stops editing it (Renovate's rule). */
  humanEdited?: boolean;
}

/** A desired-state file as it is on the default branch. */
export interface StateFile {
  path: string;
  text: string;
}

/** Everything decide() needs to know about the repo, read at one commit of the default branch. */
export interface RepoView {
  owner: string;
  repo: string;
  defaultBranch: string;
  headSha: string;
  /** Desired-state files by repo path; a path missing here is a file that does not exist. */
  files: Record<string, string>;
  /** True when the freeze file exists on the default branch. */
  frozen: boolean;
  /** Landed failovers, newest first (enough for cooldown and max_per_day). */
  history: FailoverRecord[];
  openPrs: OpenFailoverPr[];
}

export type RuleName =
  | 'route'
  | 'target'
  | 'severity'
  | 'stabilize'
  | 'quorum'
  | 'cooldown'
  | 'max_per_day'
  | 'freeze'
  | 'automation'
  | 'open_pr'
  | 'target_alerting'
  | 'safety'
  | 'permission'
  | 'group'
  | 'alert_source'
  | 'target_health'
  | 'clock';

/** Rules a manual command may override with `--force <rule> --reason "..."`. */
export const FORCEABLE_RULES = [
  'target_alerting',
  'target_health',
  'cooldown',
  'max_per_day',
  'freeze',
  'safety',
] as const;
export type ForceableRule = (typeof FORCEABLE_RULES)[number];

/** One line of a decision trace: the rule, whether it passed, and the value it saw. */
export interface RuleResult {
  rule: RuleName;
  ok: boolean;
  /** The value the rule looked at, in words: `2 distinct probe values (need 2)`. */
  seen: string;
  /** Set when a manual command overrode a failing rule (`by`: who gave the command). */
  forced?: { reason: string; by?: string };
  /** False when the rule could not be evaluated (nothing configured, or unreadable): never shown as a pass. */
  checked?: false;
}

/** The change to one desired-state file, computed by the core; the GitHub port only ships the bytes. */
export interface FileEdit {
  path: string;
  oldText: string;
  newText: string;
  /** Unified diff of oldText → newText. */
  diff: string;
}

export type DecisionAction = 'none' | 'open-pr' | 'merge' | 'update-pr' | 'close-pr' | 'comment';

export interface Decision {
  /** The service, or `group-<name>` when a group flips together. */
  service: string;
  /** Every service this decision changes (one, or a group's members in order). */
  services: string[];
  action: DecisionAction;
  kind: FailoverKind;
  from?: string;
  to?: string;
  /** Short human reasons, the first one the headline ("cooldown: last failover 12m ago (need 1h)"). */
  reasons: string[];
  trace: RuleResult[];
  edits: FileEdit[];
  /** The open PR this decision acts on (update-pr, close-pr, comment). */
  pr?: number;
  /** The signals that caused this decision. */
  signals: Signal[];
  /** For `comment`: the text to post. */
  comment?: string;
  /** An open PR this decision replaces: closed with `comment` before the new one opens. */
  supersedes?: { pr: number; comment: string };
  /** Parts of the world view that could not be read: the decision goes no further than a PR for a human. */
  unseen?: string[];
  /** A drill's failover leg: each member's state value before it, so the failback can restore it. */
  before?: Record<string, unknown>;
  /** Targets this decision saw failing, with why: a PR that won the branch lock is re-judged with them. */
  seenFailing?: Record<string, string>;
}

/** Who asked, for manual (chatops or CLI) decisions. */
export interface Actor {
  login: string;
  permission: Permission;
  /** Team slugs the actor belongs to (only needed when the config names teams). */
  teams?: string[];
  isBot?: boolean;
}

/** The hidden JSON at the end of every failover PR body: `<!-- gitops-failover {json} -->`. */
export interface FailoverMarker {
  v: 1;
  kind: FailoverKind;
  services: string[];
  /** Per service: from → to (weighted mode uses the target that lost its traffic / gained it). */
  changes: { service: string; from: string; to: string }[];
  /** Earliest startsAt of the triggering alerts (RTO starts here); for manual: the command time. */
  startedAt: string;
  receivedAt: string;
  openedAt?: string;
  fingerprints: string[];
  trigger:
    | { type: 'alert'; sources: AlertSource[] }
    | { type: 'command'; by: string; command: string; commentUrl?: string };
  forced?: { rule: ForceableRule; reason: string; by?: string }[];
  /** Drills: the failback leg follows a verified failover. */
  drill?: {
    leg: 'failover' | 'failback';
    originPr?: number;
    failoverLeg?: DrillLegRecord;
    /** The failover leg: each service's state value before the drill (the failback restores it). */
    before?: Record<string, unknown>;
  };
  /** Rollbacks: the PR whose verification failed. */
  rollbackOf?: number;
}

/** One verified leg of a drill, as the Action's verify record reported it (carried to the failback PR). */
export interface DrillLegRecord {
  pr: number;
  /** When the leg started (the drill command for the failover leg). */
  startedAt: string;
  appliedAt?: string;
  verifiedAt?: string;
  rtoSeconds?: number;
}

/** Everything the GitHub port needs to open (or update) one failover PR. Pure data. */
export interface PrPlan {
  branch: string;
  baseSha: string;
  title: string;
  body: string;
  labels: string[];
  commitMessage: string;
  edits: FileEdit[];
  marker: FailoverMarker;
  merge: boolean;
}

export type ChatCommand =
  | { verb: 'failover'; service?: string; target: string; reason?: string; force?: ForceableRule }
  | { verb: 'failback'; service: string; reason?: string; force?: ForceableRule }
  | { verb: 'status' }
  | { verb: 'cancel' }
  | { verb: 'drill'; service: string; target: string; reason?: string }
  | { verb: 'help' };

/** What the chatops parser makes of one comment. */
export type ParsedComment =
  | { type: 'command'; command: ChatCommand; line: string }
  | { type: 'reply'; message: string; line: string }
  | { type: 'ignore' };

export type { FailoverConfig as Config };
