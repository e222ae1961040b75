// The GraphQL operations the port sends, dispatched by operation name with their variables. GitHub
// answers GraphQL failures as HTTP 200 with an `errors` array (and null for the failed fields), and
// runs the fields of a mutation one after another: the double does the same.
import { APP_BOT, type DoubleState, type PermissionLevel, type Pull, type RepoState } from './state.js';

type Vars = Record<string, unknown>;
interface GqlError {
  type: string;
  message: string;
  path: string[];
}
export interface GqlAnswer {
  data: Record<string, unknown> | null;
  errors?: GqlError[];
}

/** The operation name of a document (`query FailoverSnapshot(...)` → `FailoverSnapshot`). */
export function operationNameOf(query: string): string | undefined {
  return /^\s*(?:query|mutation)\s+(\w+)/.exec(query.replace(/^\s*#.*$/gm, ''))?.[1];
}

/** The installation permissions each operation needs (the fields it reads or the mutations it runs). */
const OPERATION_NEEDS: Record<string, [string, PermissionLevel][]> = {
  FailoverSnapshot: [
    ['contents', 'read'],
    ['pull_requests', 'read'],
  ],
  FailoverStateFiles: [['contents', 'read']],
  FailoverOpenPr: [
    ['contents', 'write'],
    ['pull_requests', 'write'],
  ],
  FailoverMergeState: [['pull_requests', 'read']],
  FailoverAutoMerge: [['pull_requests', 'write']],
  FailoverEnqueue: [['pull_requests', 'write']],
  FailoverDeleteBranch: [['contents', 'write']],
};

export function handleGraphql(
  s: DoubleState,
  query: string,
  vars: Vars,
  opts: { asApp?: boolean } = {},
): GqlAnswer {
  const op = operationNameOf(query);
  const missing = opts.asApp && op ? missingPermission(s, OPERATION_NEEDS[op] ?? []) : undefined;
  if (missing) {
    return {
      data: null,
      errors: [{ type: 'FORBIDDEN', message: 'Resource not accessible by integration', path: [] }],
    };
  }
  switch (op) {
    case 'FailoverSnapshot':
      return snapshot(s, vars, refPrefixOf(query));
    case 'FailoverStateFiles':
      return stateFiles(s, vars);
    case 'FailoverOpenPr':
      return openPr(s, vars);
    case 'FailoverMergeState':
      return mergeState(s, vars);
    case 'FailoverAutoMerge':
      return autoMerge(s, vars);
    case 'FailoverEnqueue':
      return enqueue(s, vars);
    case 'FailoverDeleteBranch':
      return deleteBranch(s, vars);
    default:
      return {
        data: null,
        errors: [
          {
            type: 'NOT_IMPLEMENTED',
            message: `the GitHub double has no operation ${op ?? '(anonymous)'}`,
            path: [],
          },
        ],
      };
  }
}

function missingPermission(s: DoubleState, needs: [string, PermissionLevel][]): string | undefined {
  for (const [name, level] of needs) {
    const has = s.appPermissions[name];
    if (!has || (level === 'write' && has !== 'write')) return name;
  }
  return undefined;
}

/** The refPrefix argument of the document's refs field (the port writes it as a literal). */
function refPrefixOf(query: string): string {
  return /refPrefix:\s*"([^"]*)"/.exec(query)?.[1] ?? 'refs/heads/';
}

/** Blob.text beyond this many bytes is cut and isTruncated set, as GitHub does for large blobs. */
export const BLOB_TEXT_LIMIT = 512 * 1024;

function repoOf(s: DoubleState, vars: Vars): RepoState | undefined {
  if (typeof vars.repositoryId === 'string')
    return [...s.repos.values()].find((r) => r.id === vars.repositoryId);
  return s.repo(String(vars.owner ?? ''), String(vars.name ?? ''));
}

const notFound = (what: string): GqlAnswer => ({
  data: { repository: null },
  errors: [
    {
      type: 'NOT_FOUND',
      message: `Could not resolve to a Repository with the name '${what}'.`,
      path: ['repository'],
    },
  ],
});

/** Variables named s0, s1, ... are file reads; the answer uses the same names as aliases. */
function fileVars(vars: Vars): [string, string][] {
  return Object.entries(vars)
    .filter(([k, v]) => /^s\d+$/.test(k) && typeof v === 'string')
    .map(([k, v]) => [k, v as string]);
}

function blob(text: string | undefined) {
  return text === undefined ? null : { oid: blobOid(text), object: blobObject(text) };
}

function blobObject(text: string) {
  const isTruncated = Buffer.byteLength(text, 'utf8') > BLOB_TEXT_LIMIT;
  const shown = isTruncated ? Buffer.from(text, 'utf8').subarray(0, BLOB_TEXT_LIMIT).toString('utf8') : text;
  return { __typename: 'Blob', oid: blobOid(text), text: shown, isTruncated };
}

function blobOid(text: string): string {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return `b${(h >>> 0).toString(16).padStart(8, '0')}${text.length.toString(16).padStart(31, '0')}`.slice(
    0,
    40,
  );
}

function snapshot(s: DoubleState, vars: Vars, refPrefix: string): GqlAnswer {
  const r = repoOf(s, vars);
  if (!r) return notFound(`${vars.owner}/${vars.name}`);
  const oid = s.headSha(r) ?? '';
  const tree = r.commits.get(oid)?.tree ?? new Map<string, string>();
  const target: Record<string, unknown> = {
    __typename: 'Commit',
    oid,
    config: blob(tree.get(String(vars.configPath))),
    freeze: tree.has(String(vars.freezePath))
      ? { oid: blobOid(tree.get(String(vars.freezePath)) ?? '') }
      : null,
  };
  for (const [alias, path] of fileVars(vars)) target[alias] = blob(tree.get(path));
  // Ref.name is the part after the refPrefix asked for; Ref.prefix is that prefix.
  const refs = [...r.refs.entries()]
    .filter(([name]) => name.startsWith(refPrefix))
    .map(([name, sha]) => {
      const branch = name.slice('refs/heads/'.length);
      const open = s.openPullForHead(r, branch);
      return {
        name: name.slice(refPrefix.length),
        prefix: refPrefix,
        target: { oid: sha },
        associatedPullRequests: { nodes: open ? [prNode(s, r, open)] : [] },
      };
    });
  const merged = [...r.pulls.values()]
    .filter((p) => p.merged && p.labels.includes('failover'))
    .sort((a, b) => (b.mergedAt ?? '').localeCompare(a.mergedAt ?? ''))
    .slice(0, 30)
    .map((p) => ({
      number: p.number,
      url: prUrl(r, p),
      body: p.body,
      mergedAt: p.mergedAt,
      ...authorship(p),
    }));
  const recent = [...r.pulls.values()]
    .filter((p) => p.merged)
    .sort((a, b) => (b.mergedAt ?? '').localeCompare(a.mergedAt ?? ''))
    .slice(0, 30)
    .map((p) => ({
      number: p.number,
      body: p.body,
      mergedAt: p.mergedAt,
      headRefName: p.head,
      ...authorship(p),
    }));
  return {
    data: {
      repository: {
        id: r.id,
        defaultBranchRef: { name: r.defaultBranch, target },
        refs: { nodes: refs },
        merged: { nodes: merged },
        recent: { nodes: recent },
      },
    },
  };
}

/** Like GitHub's GraphQL: an App author is a `Bot` whose login has no `[bot]` suffix. */
function authorship(p: Pull) {
  const bot = p.user.type === 'Bot';
  return {
    author: {
      __typename: bot ? 'Bot' : 'User',
      login: bot ? p.user.login.replace(/\[bot\]$/, '') : p.user.login,
    },
    isCrossRepository: p.headRepo !== undefined,
  };
}

function prUrl(r: RepoState, p: Pull): string {
  return `https://github.com/${r.owner}/${r.name}/pull/${p.number}`;
}

function prNode(s: DoubleState, r: RepoState, p: Pull) {
  // The commits a PR adds: walk first parents from its head until the base branch's history.
  const baseHistory = new Set<string>();
  for (let sha = s.headSha(r, p.base); sha; sha = r.commits.get(sha)?.parents[0]) baseHistory.add(sha);
  const commits = [];
  for (
    let sha: string | undefined = s.pullHeadSha(r, p);
    sha && !baseHistory.has(sha);
    sha = r.commits.get(sha)?.parents[0]
  ) {
    const c = r.commits.get(sha);
    if (!c) break;
    // Bots (Apps) are not Users in GraphQL: their commits have author.user null.
    const user = c.author.type === 'User' ? { login: c.author.login } : null;
    commits.unshift({
      commit: {
        oid: c.sha,
        author: { name: c.author.login, user },
        committer: { name: c.author.login, user },
      },
    });
  }
  return {
    id: p.nodeId,
    number: p.number,
    url: prUrl(r, p),
    headRefName: p.head,
    headRefOid: s.pullHeadSha(r, p),
    body: p.body,
    ...authorship(p),
    commits: { nodes: commits.slice(-10) },
  };
}

function stateFiles(s: DoubleState, vars: Vars): GqlAnswer {
  const r = repoOf(s, vars);
  if (!r) return notFound(`${vars.owner}/${vars.name}`);
  const repository: Record<string, unknown> = {};
  for (const [alias, expression] of fileVars(vars)) {
    const cut = expression.indexOf(':');
    const text = r.commits.get(expression.slice(0, cut))?.tree.get(expression.slice(cut + 1));
    repository[alias] = text === undefined ? null : blobObject(text);
  }
  return { data: { repository } };
}

interface Addition {
  path: string;
  contents: string;
}

function openPr(s: DoubleState, vars: Vars): GqlAnswer {
  const r = repoOf(s, vars);
  if (!r)
    return {
      data: null,
      errors: [
        { type: 'NOT_FOUND', message: 'Could not resolve to a node with the global id', path: ['ref'] },
      ],
    };
  const errors: GqlError[] = [];
  const data: Record<string, unknown> = {};
  const refName = String(vars.ref);
  const headSha = String(vars.headSha);

  // 1. The branch: createRef (fails when it exists: the lock) or a compare-and-swap of a stale branch.
  if (typeof vars.staleOid === 'string') {
    if (r.refs.get(refName) !== vars.staleOid) {
      data.ref = null;
      errors.push({
        type: 'STALE_DATA',
        message: `Reference ${refName} is not at ${vars.staleOid}.`,
        path: ['ref'],
      });
    } else {
      r.refs.set(refName, headSha);
      data.ref = { clientMutationId: null };
    }
  } else if (r.refs.has(refName)) {
    data.ref = null;
    errors.push({
      type: 'UNPROCESSABLE',
      message: `A ref named "${refName}" already exists in the repository.`,
      path: ['ref'],
    });
  } else if (!r.commits.has(headSha)) {
    data.ref = null;
    errors.push({ type: 'UNPROCESSABLE', message: `Object ${headSha} does not exist.`, path: ['ref'] });
  } else {
    r.refs.set(refName, headSha);
    data.ref = { ref: { name: refName } };
  }

  // 2. The commit, only onto the oid the caller expects (the compare-and-swap of createCommitOnBranch).
  const branch = (vars.branch ?? {}) as { branchName?: string };
  const branchRef = `refs/heads/${branch.branchName ?? ''}`;
  const current = r.refs.get(branchRef);
  if (current !== headSha) {
    data.commit = null;
    errors.push({
      type: 'STALE_DATA',
      message: `Expected branch to point to "${headSha}" but it did not. Pull and try again.`,
      path: ['commit'],
    });
  } else {
    const tree = new Map(r.commits.get(current)?.tree ?? []);
    for (const a of (vars.additions as Addition[] | undefined) ?? [])
      tree.set(a.path, Buffer.from(a.contents, 'base64').toString('utf8'));
    const commit = s.commit(r, [current], tree, String(vars.headline ?? ''), APP_BOT);
    r.refs.set(branchRef, commit.sha);
    data.commit = {
      commit: { oid: commit.sha, url: `https://github.com/${r.owner}/${r.name}/commit/${commit.sha}` },
    };
  }

  // 3. The pull request: one open PR per head branch.
  const head = String(vars.head);
  if (s.openPullForHead(r, head)) {
    data.pr = null;
    errors.push({
      type: 'UNPROCESSABLE',
      message: `A pull request already exists for ${r.owner}:${head}.`,
      path: ['pr'],
    });
  } else if (!r.refs.has(`refs/heads/${head}`) || head === vars.base) {
    data.pr = null;
    errors.push({
      type: 'UNPROCESSABLE',
      message: `Head sha can't be blank, Base sha can't be blank, No commits between ${vars.base} and ${head}`,
      path: ['pr'],
    });
  } else {
    const number = r.nextNumber++;
    const pull: Pull = {
      number,
      nodeId: `PR_${r.id}_${number}`,
      title: String(vars.title ?? ''),
      body: String(vars.prBody ?? ''),
      head,
      base: String(vars.base),
      state: 'open',
      merged: false,
      lastHeadSha: s.headSha(r, head) ?? '',
      labels: [],
      user: APP_BOT,
      createdAt: s.now(),
    };
    r.pulls.set(number, pull);
    // GitHub starts computing mergeability when the PR opens; until it is done it reads `unknown`.
    s.mergeableState(r, pull);
    const headOid = pull.lastHeadSha;
    const baseOid = s.headSha(r, pull.base) ?? '';
    data.pr = {
      pullRequest: {
        id: pull.nodeId,
        number,
        url: prUrl(r, pull),
        ...pullMergeFields(s, r, pull),
        headRef: {
          target: {
            oid: headOid,
            messageHeadline: (r.commits.get(headOid)?.message ?? '').split('\n')[0],
            parents: { nodes: (r.commits.get(headOid)?.parents ?? []).map((oid) => ({ oid })) },
          },
        },
        baseRef: { target: { oid: baseOid } },
      },
    };
  }
  return errors.length > 0 ? { data, errors } : { data };
}

function pullByNodeId(s: DoubleState, id: unknown): { r: RepoState; p: Pull } | undefined {
  for (const r of s.repos.values()) {
    for (const p of r.pulls.values()) if (p.nodeId === id) return { r, p };
  }
  return undefined;
}

const nodeNotFound = (field: string): GqlAnswer => ({
  data: null,
  errors: [{ type: 'NOT_FOUND', message: 'Could not resolve to a node with the global id', path: [field] }],
});

const unprocessable = (field: string, message: string): GqlAnswer => ({
  data: { [field]: null },
  errors: [{ type: 'UNPROCESSABLE', message, path: [field] }],
});

const MERGE_STATE: Record<string, string> = {
  clean: 'CLEAN',
  blocked: 'BLOCKED',
  dirty: 'DIRTY',
  unknown: 'UNKNOWN',
};

function mergeState(s: DoubleState, vars: Vars): GqlAnswer {
  const r = repoOf(s, vars);
  if (!r) return notFound(`${vars.owner}/${vars.name}`);
  const p = r.pulls.get(Number(vars.number));
  if (!p) {
    return {
      data: { repository: { autoMergeAllowed: r.flags.allowAutoMerge === true, pullRequest: null } },
      errors: [
        {
          type: 'NOT_FOUND',
          message: `Could not resolve to a PullRequest with the number of ${vars.number}.`,
          path: ['repository', 'pullRequest'],
        },
      ],
    };
  }
  const { repository: _repo, ...fields } = pullMergeFields(s, r, p);
  return {
    data: {
      repository: {
        autoMergeAllowed: r.flags.allowAutoMerge === true,
        pullRequest: { id: p.nodeId, number: p.number, ...fields, isInMergeQueue: p.queuedAt !== undefined },
      },
    },
  };
}

/** A PullRequest's merge-related fields as GitHub answers them (FailoverMergeState, createPullRequest). */
function pullMergeFields(s: DoubleState, r: RepoState, p: Pull) {
  return {
    state: p.merged ? 'MERGED' : p.state === 'open' ? 'OPEN' : 'CLOSED',
    merged: p.merged,
    isDraft: false,
    mergeStateStatus: MERGE_STATE[s.mergeableState(r, p)] ?? 'UNKNOWN',
    isMergeQueueEnabled: s.hasMergeQueue(r, p.base),
    headRefOid: s.pullHeadSha(r, p),
    autoMergeRequest: p.autoMerge ? { mergeMethod: p.autoMerge.mergeMethod } : null,
    repository: { autoMergeAllowed: r.flags.allowAutoMerge === true },
  };
}

function autoMerge(s: DoubleState, vars: Vars): GqlAnswer {
  const field = 'enablePullRequestAutoMerge';
  const found = pullByNodeId(s, vars.pullRequestId);
  if (!found) return nodeNotFound(field);
  const { r, p } = found;
  if (r.flags.allowAutoMerge !== true)
    return unprocessable(field, 'Auto merge is not allowed for this repository');
  if (typeof vars.expectedHeadOid === 'string' && vars.expectedHeadOid !== s.pullHeadSha(r, p))
    return unprocessable(field, 'Head branch was modified. Review and try the merge again.');
  const state = s.mergeableState(r, p);
  // GitHub refuses auto-merge on a PR that can merge now, or never can.
  if (state === 'clean' || state === 'dirty' || p.state !== 'open')
    return unprocessable(field, `Pull request is in ${state} status`);
  p.autoMerge = { mergeMethod: String(vars.mergeMethod ?? 'MERGE') };
  return { data: { [field]: { pullRequest: { number: p.number } } } };
}

function enqueue(s: DoubleState, vars: Vars): GqlAnswer {
  const field = 'enqueuePullRequest';
  const found = pullByNodeId(s, vars.pullRequestId);
  if (!found) return nodeNotFound(field);
  const { r, p } = found;
  if (!s.hasMergeQueue(r, p.base) || p.state !== 'open')
    return unprocessable(field, 'Pull request is not in a state that can be enqueued');
  if (typeof vars.expectedHeadOid === 'string' && vars.expectedHeadOid !== s.pullHeadSha(r, p))
    return unprocessable(field, 'Head branch was modified. Review and try the merge again.');
  p.queuedAt ??= s.clockMs();
  const position = [...r.pulls.values()].filter((q) => q.queuedAt !== undefined).length;
  return { data: { [field]: { mergeQueueEntry: { position } } } };
}

const ZERO_OID = '0'.repeat(40);

/** updateRefs with a zero afterOid: deletes the ref only when it still points at beforeOid (a compare-and-swap). */
function deleteBranch(s: DoubleState, vars: Vars): GqlAnswer {
  const r = repoOf(s, vars);
  if (!r)
    return {
      data: null,
      errors: [
        {
          type: 'NOT_FOUND',
          message: 'Could not resolve to a node with the global id',
          path: ['updateRefs'],
        },
      ],
    };
  const ref = String(vars.ref);
  const current = r.refs.get(ref);
  if (current === undefined || current !== vars.beforeOid || vars.beforeOid === ZERO_OID) {
    return {
      data: { updateRefs: null },
      errors: [
        {
          type: 'STALE_DATA',
          message:
            current === undefined
              ? `Reference ${ref} does not exist.`
              : `Reference ${ref} is not at ${String(vars.beforeOid)}.`,
          path: ['updateRefs'],
        },
      ],
    };
  }
  for (const p of r.pulls.values()) {
    // GitHub closes an open PR whose head branch is deleted.
    if (!p.headRepo && `refs/heads/${p.head}` === ref) s.closePull(r, p);
  }
  r.refs.delete(ref);
  return { data: { updateRefs: { clientMutationId: null } } };
}
