// In-memory repositories for the GitHub double: commits with whole trees (so reads at an oid work),
// refs, pull requests, comments, labels, permissions, check runs and deployments.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

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
  autoMerge?: { mergeMethod: string };
  createdAt: string;
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
}

export interface Comment {
  id: number;
  issueNumber: number;
  body: string;
  user: Person;
  reactions: { content: string; user: Person }[];
  createdAt: string;
  updatedAt: string;
}

export interface RepoFlags {
  /** A ruleset or merge queue refuses direct merges: PUT merge answers 405 with this message. */
  mergeRefusal?: string;
  /** Required checks are pending: mergeable_state `blocked`. */
  requiredChecksPending?: boolean;
  /** PR conflicts with its base: mergeable_state `dirty`. */
  conflicting?: boolean;
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
  labels: Map<string, { name: string; color: string }>;
  collaborators: Map<string, Role>;
  checkRuns: Map<number, Record<string, unknown>>;
  deployments: Map<number, Record<string, unknown> & { statuses: Record<string, unknown>[] }>;
  flags: RepoFlags;
  nextNumber: number;
}

export const APP_BOT: Person = { login: 'gitops-failover[bot]', type: 'Bot' };

export class DoubleState {
  readonly repos = new Map<string, RepoState>();
  /** `org/slug` → active member logins. */
  readonly teams = new Map<string, Set<string>>();
  private nextId = 1000;
  private clock = Date.parse('2026-11-26T03:00:00Z');

  /**
   * `true`: timestamps follow real time (end-to-end runs that mix the double with real programs); a
   * function: timestamps follow that clock (`failover test` moves it through a scenario); default: a fake
   * clock that ticks one second per timestamp.
   */
  constructor(private readonly wallClock: boolean | (() => number) = false) {}

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
      flags: {},
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
    const sha = createHash('sha1')
      .update(`${parents.join(',')}\n${message}\n${committedAt}\n${this.nextId++}`)
      .update([...tree.entries()].map(([p, t]) => `${p}\0${t}`).join('\0'))
      .digest('hex');
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

  openPullForHead(repo: RepoState, head: string): Pull | undefined {
    return [...repo.pulls.values()].find((p) => p.state === 'open' && p.head === head);
  }

  pullHeadSha(repo: RepoState, pull: Pull): string {
    return (pull.state === 'open' ? this.headSha(repo, pull.head) : undefined) ?? pull.lastHeadSha;
  }

  /** GitHub's mergeable_state as far as the double models it. */
  mergeableState(repo: RepoState, pull: Pull): 'clean' | 'blocked' | 'dirty' | 'unknown' {
    if (pull.state !== 'open') return 'unknown';
    if (repo.flags.conflicting) return 'dirty';
    if (repo.flags.requiredChecksPending) return 'blocked';
    return 'clean';
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
    pull.mergeCommitSha = commit.sha;
    pull.lastHeadSha = headSha;
    return commit;
  }

  /** Pull requests associated with a commit: its head, or the merge commit it produced. */
  pullsForCommit(repo: RepoState, sha: string): Pull[] {
    return [...repo.pulls.values()].filter(
      (p) => p.mergeCommitSha === sha || this.pullHeadSha(repo, p) === sha,
    );
  }
}

function readTree(dir: string): Record<string, string> {
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
