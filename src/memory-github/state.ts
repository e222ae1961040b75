// In-memory repositories for the GitHub double: commits with whole trees (so reads at an oid work),
// refs, pull requests, comments, labels, permissions, check runs and deployments.
import { EventEmitter } from 'node:events';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { IssuedTokens } from './credentials.js';
import { commitSha } from './git-objects.js';

export type Role = 'read' | 'triage' | 'write' | 'maintain' | 'admin';

export interface Person {
  login: string;
  type: 'User' | 'Bot';
}

export interface Commit {
  sha: string;
  parents: string[];
  tree: Map<string, string>;
  message: string;
  author: Person;
  committedAt: string;
}

export interface Pull {
  number: number;
  nodeId: string;
  title: string;
  body: string;
  head: string;
  base: string;
  state: 'open' | 'closed';
  merged: boolean;
  mergedAt?: string;
  mergeCommitSha?: string;
  /** The head sha at merge/close time (the branch may be gone afterwards). */
  lastHeadSha: string;
  labels: string[];
  user: Person;
  /** `owner/name` of the fork the head branch lives in; absent: a branch of this repository. */
  headRepo?: string;
  autoMerge?: { mergeMethod: string };
  /** In the base branch's merge queue since this clock reading (merged by the queue once its checks pass). */
  queuedAt?: number;
  /** The (base, head) pair GitHub last started computing mergeability for, and when (clock ms). */
  mergeability?: { base: string; head: string; since: number };
  createdAt: string;
  /** When it was closed or merged. */
  closedAt?: string;
}

/** A plain issue (not a pull request); issues and pulls share one number sequence, as on GitHub. */
export interface Issue {
  number: number;
  nodeId: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  user: Person;
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
}

export interface Reaction {
  id: number;
  content: string;
  user: Person;
  createdAt: string;
}

export interface Comment {
  id: number;
  issueNumber: number;
  body: string;
  user: Person;
  reactions: Reaction[];
  createdAt: string;
  updatedAt: string;
}

export interface RepoFlags {
  /** A ruleset refuses direct merges: PUT merge answers 405 with this message. */
  mergeRefusal?: string;
  /** Required checks are pending: mergeable_state `blocked`. */
  requiredChecksPending?: boolean;
  /** An approving review is required and missing: mergeable_state `blocked`. */
  requiredReviewPending?: boolean;
  /** PR conflicts with its base: mergeable_state `dirty`. */
  conflicting?: boolean;
  /**
   * The repository setting "Allow auto-merge" (`allow_auto_merge`). GitHub's default is off; a repo seeded
   * here is set up the way docs/bot.md asks (on), so a test turns it off to see the refusal.
   */
  allowAutoMerge?: boolean;
  /** Branches protected by a merge queue: direct merges answer 405, the queue merges. */
  mergeQueue?: string[];
}

export interface RepoState {
  owner: string;
  name: string;
  id: string;
  installationId: number;
  defaultBranch: string;
  commits: Map<string, Commit>;
  refs: Map<string, string>;
  pulls: Map<number, Pull>;
  issues: Map<number, Issue>;
  comments: Map<number, Comment>;
  labels: Map<string, { name: string; color: string; description?: string }>;
  collaborators: Map<string, Role>;
  checkRuns: Map<number, Record<string, unknown>>;
  deployments: Map<number, Record<string, unknown> & { statuses: Record<string, unknown>[] }>;
  flags: RepoFlags;
  nextNumber: number;
}

export const APP_BOT: Person = { login: 'gitops-failover[bot]', type: 'Bot' };
const ZERO_SHA = '0'.repeat(40);

/** What happened, for webhook delivery (src/memory-github/webhooks.ts). */
export interface DoubleEvents {
  push: [{ repo: RepoState; ref: string; before: string; after: string; pusher: Person }];
  check_run: [{ repo: RepoState; run: Record<string, unknown> }];
  issue_comment: [{ repo: RepoState; comment: Comment }];
}

/** A permission level of a GitHub App installation. */
export type PermissionLevel = 'read' | 'write';

/**
 * The permissions app.yml asks for (a contract test keeps the two equal). Requests made with the
 * installation token the double mints are held to these; other tokens (a workflow's GITHUB_TOKEN, a
 * test's client) are not.
 */
export const APP_PERMISSIONS: Readonly<Record<string, PermissionLevel>> = {
  contents: 'write',
  pull_requests: 'write',
  issues: 'write',
  checks: 'read',
  metadata: 'read',
  actions: 'read',
  members: 'read',
};

export interface DoubleStateOptions {
  /** Timestamps: `true` real time, a function that clock, default a fake clock (see the constructor). */
  wallClock?: boolean | (() => number);
  /**
   * How long a PR's mergeability stays `unknown` after it opens or its base or head moves, as GitHub
   * computes it in the background (default 1,000 ms; 0: known at once).
   */
  mergeabilityMs?: number;
  /** Milliseconds for the mergeability clock (default performance.now). */
  clock?: () => number;
}

export class DoubleState {
  readonly repos = new Map<string, RepoState>();
  /** Fired after the change is stored; webhooks.ts turns these into GitHub's webhook deliveries. */
  readonly events = new EventEmitter<DoubleEvents>();
  /** Personal access tokens of people (not the app): a call with one acts as that person. */
  readonly people = new Map<string, Person>();
  /** Installation tokens this GitHub minted (random per instance: see credentials.ts). */
  readonly issuedTokens = new IssuedTokens();
  /** `org/slug` → active member logins. */
  readonly teams = new Map<string, Set<string>>();
  /** The installation's permissions; delete or lower one to see GitHub's 403 for it. */
  readonly appPermissions: Record<string, PermissionLevel> = { ...APP_PERMISSIONS };
  mergeabilityMs: number;
  private nextId = 1000;
  private clock = Date.parse('2026-11-26T03:00:00Z');
  private readonly wallClock: boolean | (() => number);
  private readonly msClock: () => number;

  /**
   * A boolean or function is the older form of `{ wallClock }`. `wallClock` true: timestamps follow real
   * time (end-to-end runs that mix the double with real programs); a function: timestamps follow that
   * clock (`failover test` moves it through a scenario), and so does mergeability; default: a fake clock
   * that ticks one second per timestamp.
   */
  constructor(opts: DoubleStateOptions | boolean | (() => number) = {}) {
    const o = typeof opts === 'object' ? opts : { wallClock: opts };
    this.wallClock = o.wallClock ?? false;
    this.mergeabilityMs = o.mergeabilityMs ?? 1_000;
    const wall = this.wallClock;
    this.msClock = o.clock ?? (typeof wall === 'function' ? wall : () => performance.now());
  }

  id(): number {
    return this.nextId++;
  }

  /** A monotonic fake clock so timestamps are ordered and deterministic. */
  now(): string {
    if (typeof this.wallClock === 'function') return new Date(this.wallClock()).toISOString();
    if (this.wallClock) return new Date().toISOString();
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  repo(owner: string, name: string): RepoState | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /** Creates a repo whose default branch holds `files` in one initial commit. */
  seed(owner: string, name: string, files: Record<string, string>, defaultBranch = 'main'): RepoState {
    const repo: RepoState = {
      owner,
      name,
      id: `R_${Buffer.from(`${owner}/${name}`).toString('base64url')}`,
      installationId: this.repos.size + 1,
      defaultBranch,
      commits: new Map(),
      refs: new Map(),
      pulls: new Map(),
      issues: new Map(),
      comments: new Map(),
      labels: new Map(),
      collaborators: new Map(),
      checkRuns: new Map(),
      deployments: new Map(),
      flags: { allowAutoMerge: true },
      nextNumber: 1,
    };
    const root = this.commit(repo, [], new Map(Object.entries(files)), 'Initial commit', {
      login: 'octocat',
      type: 'User',
    });
    repo.refs.set(`refs/heads/${defaultBranch}`, root.sha);
    this.repos.set(`${owner}/${name}`.toLowerCase(), repo);
    return repo;
  }

  /** Seeds from a directory on disk (e.g. examples/infra-repo); dot-directories other than .github are skipped. */
  seedFromDirectory(owner: string, name: string, dir: string): RepoState {
    return this.seed(owner, name, readTree(dir));
  }

  commit(
    repo: RepoState,
    parents: string[],
    tree: Map<string, string>,
    message: string,
    author: Person,
  ): Commit {
    const committedAt = this.now();
    // Git's own id for this commit, so the sandbox runner can materialise it into a real repository.
    const sha = commitSha({ tree, parents, message, author, committedAt });
    const commit: Commit = { sha, parents, tree, message, author, committedAt };
    repo.commits.set(sha, commit);
    return commit;
  }

  /** Changes files on a branch as a new commit (a test's "someone pushed"). */
  push(
    repo: RepoState,
    branch: string,
    files: Record<string, string | null>,
    author: Person = { login: 'octocat', type: 'User' },
  ): Commit {
    const ref = `refs/heads/${branch}`;
    const parentSha = repo.refs.get(ref);
    const parent = parentSha ? repo.commits.get(parentSha) : undefined;
    const tree = new Map(parent?.tree ?? []);
    for (const [path, text] of Object.entries(files)) {
      if (text === null) tree.delete(path);
      else tree.set(path, text);
    }
    const commit = this.commit(
      repo,
      parent ? [parent.sha] : [],
      tree,
      `Update ${Object.keys(files).join(', ')}`,
      author,
    );
    repo.refs.set(ref, commit.sha);
    this.events.emit('push', { repo, ref, before: parentSha ?? ZERO_SHA, after: commit.sha, pusher: author });
    return commit;
  }

  headSha(repo: RepoState, branch = repo.defaultBranch): string | undefined {
    return repo.refs.get(`refs/heads/${branch}`);
  }

  /** Files of the default branch head (for assertions). */
  files(repo: RepoState, branch = repo.defaultBranch): Record<string, string> {
    const sha = this.headSha(repo, branch);
    return Object.fromEntries(sha ? (repo.commits.get(sha)?.tree ?? []) : []);
  }

  /** Opens a plain issue (a person filing it, or the App through POST /issues). */
  openIssue(
    repo: RepoState,
    fields: { title: string; body?: string; labels?: string[] },
    user: Person = { login: 'octocat', type: 'User' },
  ): Issue {
    const number = repo.nextNumber++;
    const at = this.now();
    const labels = [...new Set(fields.labels ?? [])];
    // Like GitHub: a label named on an issue that the repo does not have yet is created.
    for (const name of labels) if (!repo.labels.has(name)) repo.labels.set(name, { name, color: 'ededed' });
    const issue: Issue = {
      number,
      nodeId: `I_${repo.id}_${number}`,
      title: fields.title,
      body: fields.body ?? '',
      state: 'open',
      labels,
      user,
      createdAt: at,
      updatedAt: at,
    };
    repo.issues.set(number, issue);
    return issue;
  }

  /** A comment on an issue or PR by anyone (a person's `/failover` command in a test or scenario). */
  addComment(repo: RepoState, issueNumber: number, body: string, user: Person): Comment {
    const at = this.now();
    const comment: Comment = {
      id: this.id(),
      issueNumber,
      body,
      user,
      reactions: [],
      createdAt: at,
      updatedAt: at,
    };
    repo.comments.set(comment.id, comment);
    return comment;
  }

  /** Elapsed clock for mergeability (ms). */
  clockMs(): number {
    return this.msClock();
  }

  openPullForHead(repo: RepoState, head: string): Pull | undefined {
    // A fork's branch of the same name is another ref: it never holds this repo's branch lock.
    return [...repo.pulls.values()].find((p) => p.state === 'open' && p.head === head && !p.headRepo);
  }

  pullHeadSha(repo: RepoState, pull: Pull): string {
    // A fork's head lives in the fork: lastHeadSha is all this repository knows of it.
    const live = pull.state === 'open' && !pull.headRepo ? this.headSha(repo, pull.head) : undefined;
    return live ?? pull.lastHeadSha;
  }

  /**
   * GitHub's mergeable_state as far as the double models it. Like GitHub, mergeability is computed in the
   * background after the PR opens or its base or head moves, and reads `unknown` until then.
   */
  mergeableState(repo: RepoState, pull: Pull): 'clean' | 'blocked' | 'dirty' | 'unknown' {
    if (pull.state !== 'open') return 'unknown';
    if (!this.mergeabilityKnown(repo, pull)) return 'unknown';
    if (repo.flags.conflicting) return 'dirty';
    if (repo.flags.requiredChecksPending || repo.flags.requiredReviewPending) return 'blocked';
    if (this.hasMergeQueue(repo, pull.base)) return 'blocked';
    return 'clean';
  }

  hasMergeQueue(repo: RepoState, branch: string): boolean {
    return repo.flags.mergeQueue?.includes(branch) ?? false;
  }

  /** Ends every running mergeability computation now (tests that look at what comes after `unknown`). */
  computeMergeability(repo: RepoState): void {
    for (const pull of repo.pulls.values()) {
      this.mergeabilityKnown(repo, pull);
      if (pull.mergeability) pull.mergeability.since = Number.NEGATIVE_INFINITY;
    }
  }

  private mergeabilityKnown(repo: RepoState, pull: Pull): boolean {
    const base = this.headSha(repo, pull.base) ?? '';
    const head = this.pullHeadSha(repo, pull);
    const m = pull.mergeability;
    if (!m || m.base !== base || m.head !== head) pull.mergeability = { base, head, since: this.msClock() };
    return this.msClock() - (pull.mergeability?.since ?? 0) >= this.mergeabilityMs;
  }

  /**
   * What GitHub does on its own: merges PRs whose auto-merge is on once they are clean, and PRs in a merge
   * queue once the queue's checks pass (the same required checks). Returns the PRs merged.
   */
  settle(): Pull[] {
    const merged: Pull[] = [];
    for (const repo of this.repos.values()) {
      for (const pull of repo.pulls.values()) {
        if (pull.state !== 'open') continue;
        if (pull.autoMerge && this.mergeableState(repo, pull) === 'clean') {
          this.merge(repo, pull, pull.autoMerge.mergeMethod.toLowerCase());
          merged.push(pull);
        } else if (pull.queuedAt !== undefined && this.queueCanMerge(repo, pull)) {
          this.merge(repo, pull, 'squash');
          merged.push(pull);
        }
      }
    }
    return merged;
  }

  private queueCanMerge(repo: RepoState, pull: Pull): boolean {
    if (!this.mergeabilityKnown(repo, pull) || repo.flags.conflicting) return false;
    return !repo.flags.requiredChecksPending && !repo.flags.requiredReviewPending;
  }

  /** Merges a PR: a merge commit on the base with the head's tree. */
  merge(repo: RepoState, pull: Pull, method: string): Commit {
    const headSha = this.pullHeadSha(repo, pull);
    const head = repo.commits.get(headSha);
    const baseSha = this.headSha(repo, pull.base) ?? '';
    const parents = method === 'merge' ? [baseSha, headSha] : [baseSha];
    const commit = this.commit(
      repo,
      parents,
      new Map(head?.tree ?? []),
      `${pull.title} (#${pull.number})`,
      APP_BOT,
    );
    repo.refs.set(`refs/heads/${pull.base}`, commit.sha);
    pull.state = 'closed';
    pull.merged = true;
    pull.mergedAt = this.now();
    pull.closedAt = pull.mergedAt;
    pull.mergeCommitSha = commit.sha;
    pull.lastHeadSha = headSha;
    pull.autoMerge = undefined;
    pull.queuedAt = undefined;
    this.events.emit('push', {
      repo,
      ref: `refs/heads/${pull.base}`,
      before: baseSha,
      after: commit.sha,
      pusher: APP_BOT,
    });
    return commit;
  }

  /** Closes a pull request without merging it; its head is remembered (the branch may go next). */
  closePull(repo: RepoState, pull: Pull): void {
    if (pull.state !== 'open') return;
    pull.lastHeadSha = this.pullHeadSha(repo, pull);
    pull.state = 'closed';
    pull.closedAt = this.now();
  }

  /** Pull requests associated with a commit: its head, or the merge commit it produced. */
  pullsForCommit(repo: RepoState, sha: string): Pull[] {
    return [...repo.pulls.values()].filter(
      (p) => p.mergeCommitSha === sha || this.pullHeadSha(repo, p) === sha,
    );
  }
}

export function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      if (entry === 'node_modules' || entry === '.git' || entry === '.terraform') continue;
      const full = join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else files[relative(dir, full).split(sep).join('/')] = readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return files;
}
