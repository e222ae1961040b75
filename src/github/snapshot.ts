// readSnapshot: everything decide() needs, read at ONE commit of the default branch in at most two
// sequential GraphQL round trips (config + freeze + open failover PRs + history, then the state files
// the config names at the same oid). The config is cached by blob oid, so when it has not changed the
// state files ride along in the first query and a warm read costs one round trip.
import { parseConfig } from '../core/config/load.js';
import { ConfigError, describeThrown } from '../core/errors.js';
import type { FailoverConfig, FailoverRecord, OpenFailoverPr, RepoView } from '../core/types.js';
import { GitHubError, type PortContext, toGitHubError } from './client.js';
import { toRecord } from './marker.js';
import { judgeMarker, type PrOrigin } from './trust.js';

export const CONFIG_PATH = '.github/failover.yml';
const DEFAULT_FREEZE = '.github/failover.freeze';

export interface RepoSnapshot {
  config?: FailoverConfig;
  configError?: ConfigError;
  view: RepoView;
  repositoryId: string;
  /** PRs whose marker was refused (not the app's, from a fork, unsigned or altered): never acted on. */
  untrusted?: { pr: number; why: string }[];
  /** Branches `failover/*` that exist without an open PR (left over after a merge or a failed run): oid by branch. */
  staleBranches: Record<string, string>;
}

/** What the port remembers between reads (per port instance; the bot keeps no other state). */
export interface SnapshotCache {
  configOid?: string;
  config?: FailoverConfig;
  configError?: ConfigError;
}

interface Blob {
  oid?: string;
  object?: { text?: string | null; isTruncated?: boolean } | null;
}

/**
 * GitHub cuts Blob.text of a large file and says so in isTruncated. A cut YAML or JSON file may still
 * parse (into something else), so it is an error, never parsed.
 */
export function blobText(path: string, object: Blob['object']): string | undefined {
  if (!object || typeof object.text !== 'string') return undefined;
  if (object.isTruncated)
    throw new ConfigError([
      {
        file: path,
        line: 1,
        column: 1,
        path: '',
        message: `${path} is too large for GitHub to return whole (Blob.isTruncated); keep it under 512 KiB`,
      },
    ]);
  return object.text;
}
interface CommitNode {
  commit: { author?: { name?: string | null; user?: { login: string } | null } | null };
}

/**
 * Renovate's rule: once someone else pushed to the branch, the bot stops editing it. The PR's first
 * commit is ours; any commit by another author is someone else's. An App's commits have no User behind
 * them, so a commit with a user login after a user-less first commit is a human push.
 */
export function pushedByOthers(nodes: CommitNode[]): boolean {
  const who = (n: CommitNode) => n.commit.author?.user?.login ?? `name:${n.commit.author?.name ?? ''}`;
  const first = nodes[0];
  return first !== undefined && nodes.some((n) => who(n) !== who(first));
}

/** Who opened a PR and from where (GraphQL: a Bot's login has no `[bot]` suffix). */
interface PrAuthorship {
  author?: { __typename?: string; login: string } | null;
  isCrossRepository?: boolean;
}
interface PrNode extends PrAuthorship {
  number: number;
  url: string;
  headRefName: string;
  headRefOid: string;
  body: string | null;
  commits?: { nodes: CommitNode[] };
}
interface MergedNode extends PrAuthorship {
  number: number;
  body: string | null;
  mergedAt: string;
  headRefName?: string;
}

function originOf(pr: PrAuthorship): PrOrigin {
  return {
    author: pr.author ? { login: pr.author.login, isBot: pr.author.__typename === 'Bot' } : null,
    // Unknown counts as a fork: a marker is believed only when GitHub says the branch is ours.
    crossRepository: pr.isCrossRepository !== false,
  };
}
interface SnapshotAnswer {
  repository: {
    id: string;
    defaultBranchRef: {
      name: string;
      target: { oid: string; config: Blob | null; freeze: { oid: string } | null } & Record<
        string,
        Blob | null | unknown
      >;
    } | null;
    refs: {
      nodes: {
        name: string;
        prefix?: string;
        target: { oid: string };
        associatedPullRequests: { nodes: PrNode[] };
      }[];
    };
    merged: { nodes: MergedNode[] };
    recent?: { nodes: (MergedNode & { headRefName: string })[] };
  } | null;
}

const AUTHORSHIP = 'author { __typename login } isCrossRepository';
const PR_FIELDS = `id number url headRefName headRefOid body ${AUTHORSHIP}
  commits(last: 10) { nodes { commit { oid author { name user { login } } committer { name user { login } } } } }`;

export function snapshotQuery(fileCount: number): string {
  const fileVars = Array.from({ length: fileCount }, (_, i) => `, $s${i}: String!`).join('');
  const files = Array.from(
    { length: fileCount },
    (_, i) => `s${i}: file(path: $s${i}) { oid object { ... on Blob { text isTruncated } } }`,
  ).join('\n');
  return `query FailoverSnapshot($owner: String!, $name: String!, $configPath: String!, $freezePath: String!${fileVars}) {
  repository(owner: $owner, name: $name) {
    id
    defaultBranchRef {
      name
      target {
        ... on Commit {
          oid
          config: file(path: $configPath) { oid object { ... on Blob { text isTruncated } } }
          freeze: file(path: $freezePath) { oid }
          ${files}
        }
      }
    }
    refs(refPrefix: "refs/heads/failover/", first: 100) {
      nodes { name prefix target { oid } associatedPullRequests(states: OPEN, first: 1) { nodes { ${PR_FIELDS} } } }
    }
    merged: pullRequests(states: MERGED, labels: ["failover"], first: 30, orderBy: { field: UPDATED_AT, direction: DESC }) {
      nodes { number body mergedAt ${AUTHORSHIP} }
    }
    recent: pullRequests(states: MERGED, first: 30, orderBy: { field: UPDATED_AT, direction: DESC }) {
      nodes { number body mergedAt headRefName ${AUTHORSHIP} }
    }
  }
}`;
}

export function stateFilesQuery(fileCount: number): string {
  const fileVars = Array.from({ length: fileCount }, (_, i) => `, $s${i}: String!`).join('');
  const files = Array.from(
    { length: fileCount },
    (_, i) => `s${i}: object(expression: $s${i}) { ... on Blob { oid text isTruncated } }`,
  ).join('\n');
  return `query FailoverStateFiles($owner: String!, $name: String!${fileVars}) {
  repository(owner: $owner, name: $name) {
    ${files}
  }
}`;
}

/** The repo paths a config needs at read time: every service's state file. */
export function statePaths(config: FailoverConfig | undefined): string[] {
  if (!config) return [];
  return [...new Set(Object.values(config.services).map((s) => s.state.file))].sort();
}

/**
 * Retried as a whole: when the second read fails and is retried after a wait, the first is read again
 * too, so the view of failover branches and PRs is never older than that wait (another replica may have
 * opened and merged the same failover meanwhile, and a decision on the older view would repeat it).
 */
export function readSnapshot(ctx: PortContext, cache: SnapshotCache): Promise<RepoSnapshot> {
  if (!ctx.retryStep) return readSnapshotOnce(ctx, cache);
  return ctx.retryStep((_attempt, gh) => readSnapshotOnce({ ...ctx, gh }, cache));
}

async function readSnapshotOnce(ctx: PortContext, cache: SnapshotCache): Promise<RepoSnapshot> {
  const guessPaths = statePaths(cache.config);
  const guessFreeze = cache.config?.freeze_file ?? DEFAULT_FREEZE;
  const vars: Record<string, unknown> = {
    owner: ctx.owner,
    name: ctx.repo,
    configPath: CONFIG_PATH,
    freezePath: guessFreeze,
  };
  guessPaths.forEach((p, i) => {
    vars[`s${i}`] = p;
  });
  const answer = await ctx.gh
    .graphql<SnapshotAnswer>(snapshotQuery(guessPaths.length), vars)
    .catch((thrown: unknown) => {
      // GraphQL says "not found" inside a 200; callers (the alert endpoint's 404) want the REST meaning.
      const err = toGitHubError(thrown);
      // Anything else goes up as thrown: its headers (retry-after) set the wait of the step's retry.
      throw err.graphqlErrors.some((e) => e.type === 'NOT_FOUND')
        ? new GitHubError(404, false, err.message, err.graphqlErrors)
        : thrown;
    });
  const repository = answer.repository;
  const head = repository?.defaultBranchRef;
  if (!repository || !head)
    throw new GitHubError(404, false, `${ctx.owner}/${ctx.repo} has no default branch`);
  const oid = head.target.oid;

  // The config: parsed again only when its blob changed.
  const configBlob = head.target.config;
  const configOid = configBlob?.oid ?? '(none)';
  if (cache.configOid !== configOid) {
    cache.configOid = configOid;
    cache.config = undefined;
    cache.configError = undefined;
    try {
      const text = blobText(CONFIG_PATH, configBlob?.object);
      if (typeof text === 'string') {
        cache.config = parseConfig(text, CONFIG_PATH);
      }
    } catch (thrown: unknown) {
      cache.configError =
        thrown instanceof ConfigError
          ? thrown
          : new ConfigError([
              { file: CONFIG_PATH, line: 1, column: 1, path: '', message: describeThrown(thrown) },
            ]);
    }
  }

  const files: Record<string, string> = {};
  // A state file GitHub returned cut is reported like a broken config: nothing is decided on it.
  const fileErrors: ConfigError[] = [];
  const keep = (p: string, object: Blob['object']) => {
    try {
      const text = blobText(p, object);
      if (typeof text === 'string') files[p] = text;
    } catch (thrown: unknown) {
      if (!(thrown instanceof ConfigError)) throw thrown;
      fileErrors.push(thrown);
    }
  };
  guessPaths.forEach((p, i) => {
    keep(p, (head.target[`s${i}`] as Blob | null | undefined)?.object);
  });
  let frozen = head.target.freeze !== null && head.target.freeze !== undefined;

  // Second round trip only for what the first could not know: state files of a new or changed config.
  const needed = statePaths(cache.config).filter((p) => !guessPaths.includes(p));
  const freezePath = cache.config?.freeze_file ?? DEFAULT_FREEZE;
  const freezeMissed = freezePath !== guessFreeze;
  if (needed.length > 0 || freezeMissed) {
    const paths = freezeMissed ? [...needed, freezePath] : needed;
    const second: Record<string, unknown> = { owner: ctx.owner, name: ctx.repo };
    paths.forEach((p, i) => {
      second[`s${i}`] = `${oid}:${p}`;
    });
    const more = await ctx.gh.graphql<{ repository: Record<string, Blob['object']> | null }>(
      stateFilesQuery(paths.length),
      second,
    );
    paths.forEach((p, i) => {
      const object = more.repository?.[`s${i}`];
      if (p === freezePath && freezeMissed) {
        frozen = typeof object?.text === 'string';
        return;
      }
      keep(p, object);
    });
  }

  const untrusted: RepoSnapshot['untrusted'] = [];
  const judge = (pr: PrAuthorship & { number: number; body: string | null }) => {
    const verdict = judgeMarker(ctx.trust, `${ctx.owner}/${ctx.repo}`, pr.body, originOf(pr));
    if (verdict.ok) return verdict.marker;
    if (verdict.hasMarker) {
      untrusted.push({ pr: pr.number, why: verdict.why });
      ctx.reportUntrusted({ repo: `${ctx.owner}/${ctx.repo}`, pr: pr.number, why: verdict.why });
    }
    return undefined;
  };
  const openPrs: OpenFailoverPr[] = [];
  const staleBranches: Record<string, string> = {};
  for (const ref of repository.refs?.nodes ?? []) {
    // Ref.name is relative to Ref.prefix (the refPrefix asked for); together they are the full ref.
    const branch = `${ref.prefix ?? 'refs/heads/failover/'}${ref.name}`.replace(/^refs\/heads\//, '');
    const pr = ref.associatedPullRequests?.nodes[0];
    if (!pr) {
      staleBranches[branch] = ref.target.oid;
      continue;
    }
    const marker = judge(pr);
    if (!marker) continue;
    const humanEdited = pushedByOthers(pr.commits?.nodes ?? []);
    openPrs.push({
      number: pr.number,
      url: pr.url,
      branch: pr.headRefName,
      headSha: pr.headRefOid,
      marker,
      ...(humanEdited ? { humanEdited } : {}),
    });
  }

  // History feeds cooldown and max_per_day, so it must not depend on the labels alone (they are added
  // off the critical path and may be missing): recent merges from failover/* branches count too.
  const history: FailoverRecord[] = [];
  const seen = new Set<number>();
  const unlabelled = (repository.recent?.nodes ?? []).filter((pr) => pr.headRefName.startsWith('failover/'));
  for (const pr of [...(repository.merged?.nodes ?? []), ...unlabelled]) {
    if (seen.has(pr.number)) continue;
    seen.add(pr.number);
    const marker = judge(pr);
    const record = marker && pr.mergedAt ? toRecord(marker, pr.number, pr.mergedAt) : undefined;
    if (record) history.push(record);
  }
  history.sort((a, b) => b.mergedAt.localeCompare(a.mergedAt));

  const configError =
    cache.configError ??
    (fileErrors.length > 0 ? new ConfigError(fileErrors.flatMap((e) => e.issues)) : undefined);
  return {
    // Without a whole state file there is nothing safe to decide on: no config, the error instead.
    ...(cache.config && fileErrors.length === 0 ? { config: cache.config } : {}),
    ...(configError ? { configError } : {}),
    repositoryId: repository.id,
    untrusted,
    staleBranches,
    view: {
      owner: ctx.owner,
      repo: ctx.repo,
      defaultBranch: head.name,
      headSha: oid,
      files,
      frozen,
      history,
      openPrs,
    },
  };
}
