// Git's object format for the in-memory GitHub's commits: every commit id is the id git itself would
// compute for the same tree, parents, author, time and message. That makes the in-memory repository
// materialisable: the sandbox runner writes these objects into a real git repository, and
// `git show <sha>:<path>` (what the Action runs on a checkout) works on the ids GitHub sent in the event.
import { createHash } from 'node:crypto';

export interface GitObject {
  sha: string;
  type: 'blob' | 'tree' | 'commit';
  content: Buffer;
}

export interface CommitFields {
  tree: Map<string, string>;
  parents: string[];
  message: string;
  author: { login: string };
  committedAt: string;
}

function hashObject(type: GitObject['type'], content: Buffer): GitObject {
  const header = Buffer.from(`${type} ${content.length}\0`);
  const sha = createHash('sha1').update(header).update(content).digest('hex');
  return { sha, type, content };
}

interface Dir {
  files: Map<string, string>;
  dirs: Map<string, Dir>;
}

function nest(tree: Map<string, string>): Dir {
  const root: Dir = { files: new Map(), dirs: new Map() };
  for (const [path, text] of tree) {
    const parts = path.split('/');
    const name = parts.pop() ?? path;
    let dir = root;
    for (const part of parts) {
      let next = dir.dirs.get(part);
      if (!next) {
        next = { files: new Map(), dirs: new Map() };
        dir.dirs.set(part, next);
      }
      dir = next;
    }
    dir.files.set(name, text);
  }
  return root;
}

/** Writes a directory's tree object (and everything below it) into `out`; returns the tree. */
function writeTree(dir: Dir, out: GitObject[]): GitObject {
  // Git orders entries bytewise, a directory as if its name ended in "/".
  const entries: { key: string; mode: string; name: string; sha: string }[] = [];
  for (const [name, text] of dir.files) {
    const blob = hashObject('blob', Buffer.from(text, 'utf8'));
    out.push(blob);
    entries.push({ key: name, mode: '100644', name, sha: blob.sha });
  }
  for (const [name, sub] of dir.dirs) {
    const tree = writeTree(sub, out);
    entries.push({ key: `${name}/`, mode: '40000', name, sha: tree.sha });
  }
  entries.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
  const content = Buffer.concat(
    entries.flatMap((e) => [Buffer.from(`${e.mode} ${e.name}\0`), Buffer.from(e.sha, 'hex')]),
  );
  const tree = hashObject('tree', content);
  out.push(tree);
  return tree;
}

function signature(login: string, at: string): string {
  return `${login} <${login.replace(/\[bot\]$/, '')}@users.noreply.github.com> ${Math.floor(Date.parse(at) / 1000)} +0000`;
}

/** Every object of one commit (blobs, trees, the commit last); the commit's id is the last one's sha. */
export function commitObjects(c: CommitFields): GitObject[] {
  const out: GitObject[] = [];
  const tree = writeTree(nest(c.tree), out);
  const who = signature(c.author.login, c.committedAt);
  const text = [
    `tree ${tree.sha}`,
    ...c.parents.map((p) => `parent ${p}`),
    `author ${who}`,
    `committer ${who}`,
    '',
    `${c.message}\n`,
  ].join('\n');
  out.push(hashObject('commit', Buffer.from(text, 'utf8')));
  return out;
}

/** The git id of a commit with these fields. */
export function commitSha(c: CommitFields): string {
  return commitObjects(c).at(-1)?.sha ?? '';
}

/** Git's blob id of a file's text (what GitHub reports as a file's `sha`). */
export function blobSha(text: string): string {
  return hashObject('blob', Buffer.from(text, 'utf8')).sha;
}
