// Finds the commands the documentation tells people to run: fenced ```sh / ```bash blocks (every line)
// and ```console blocks (`$ ` lines, followed by the output they show). Lines ending in `\` continue.
// A command that cannot run in the test suite says why in a trailing `# needs: ...` comment.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DocCommand {
  file: string;
  line: number;
  /** The command as written (continuations joined, comment removed). */
  text: string;
  /** Shell words of `text` (quotes removed). */
  argv: string[];
  /** `# needs: ...`: why it cannot run here. */
  needs?: string;
  /** For console blocks: the output lines shown after the command. */
  output?: string[];
}

/** README.md, docs/*.md and every README.md under examples/. */
export function documentationFiles(root = '.'): string[] {
  const underExamples = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? underExamples(join(dir, e.name)) : e.name === 'README.md' ? [join(dir, e.name)] : [],
    );
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f));
  return ['README.md', ...docs, ...underExamples('examples')].sort();
}

/** Splits a shell command line into words; stops at an unquoted `#` (the comment is returned apart). */
export function shellWords(line: string): { words: string[]; comment?: string } {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word = (word ?? '') + line[++i];
      else word = (word ?? '') + c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '#' && word === undefined) {
      return { words, comment: line.slice(i + 1).trim() };
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return { words };
}

/** Every command of the fenced shell and console blocks of `file`. */
export function documentedCommands(file: string, root = '.'): DocCommand[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const commands: DocCommand[] = [];
  let lang: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const fence = /^\s*```(\w*)/.exec(raw);
    if (fence) {
      lang = lang === undefined ? (fence[1] ?? '') : undefined;
      continue;
    }
    if (lang === undefined) continue;
    const isConsole = lang === 'console';
    if (!['sh', 'bash', 'shell', 'console'].includes(lang)) continue;
    if (isConsole && !raw.startsWith('$ ')) continue;
    if (!isConsole && (raw.trim() === '' || raw.trim().startsWith('#'))) continue;
    const start = i;
    let text = isConsole ? raw.slice(2) : raw;
    while (text.endsWith('\\') && i + 1 < lines.length) text = `${text.slice(0, -1)} ${lines[++i]!.trim()}`;
    const { words, comment } = shellWords(text);
    const needs = comment && /^needs:\s*(.+)$/.exec(comment)?.[1];
    const command: DocCommand = {
      file,
      line: start + 1,
      text: text.replace(/\s+#.*$/, '').trim(),
      argv: words,
    };
    if (needs) command.needs = needs;
    if (isConsole) {
      const output: string[] = [];
      while (i + 1 < lines.length && !lines[i + 1]!.startsWith('$ ') && !/^\s*```/.test(lines[i + 1]!)) {
        output.push(lines[++i]!);
      }
      command.output = output;
    }
    commands.push(command);
  }
  return commands;
}

/** The CLI arguments when `argv` runs the failover CLI (`failover`, `npx failover`, `npm run failover --`). */
export function failoverArgs(argv: string[]): string[] | undefined {
  const words = argv.filter((w, i) => !(i === 0 && /^[A-Z_]+=/.test(w)));
  if (words[0] === 'failover') return words.slice(1);
  if (words[0] === 'npx' && words[1] === 'failover') return words.slice(2);
  if (words[0] === 'npm' && words[1] === 'run') {
    const rest = words.slice(2).filter((w) => w !== '-s' && w !== '--silent');
    if (rest[0] === 'failover' && rest[1] === '--') return rest.slice(2);
  }
  return undefined;
}
