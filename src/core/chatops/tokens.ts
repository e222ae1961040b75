// Splits the arguments of a command line into words, honouring quotes around a reason: "...", '...',
// and the curly quotes phones and some editors type (“...”, ‘...’). `--flag=value` is split here too.

export interface Token {
  text: string;
  quoted: boolean;
}

export type Tokenized = { ok: true; tokens: Token[] } | { ok: false; message: string };

const CLOSING: Record<string, string> = { '"': '"', "'": "'", '“': '”', '”': '”', '‘': '’', '’': '’' };

export function tokenize(rest: string): Tokenized {
  const tokens: Token[] = [];
  let i = 0;
  const n = rest.length;
  const readQuoted = (): string | undefined => {
    const open = rest[i]!;
    const close = CLOSING[open]!;
    i++;
    let text = '';
    while (i < n) {
      const c = rest[i]!;
      if (c === '\\' && open === '"' && (rest[i + 1] === '"' || rest[i + 1] === '\\')) {
        text += rest[i + 1];
        i += 2;
        continue;
      }
      if (c === close) {
        i++;
        return text;
      }
      text += c;
      i++;
    }
    return undefined;
  };
  while (i < n) {
    while (i < n && /\s/.test(rest[i]!)) i++;
    if (i >= n) break;
    if (rest[i]! in CLOSING) {
      const text = readQuoted();
      if (text === undefined) return { ok: false, message: 'A quote is not closed' };
      tokens.push({ text, quoted: true });
      continue;
    }
    let word = '';
    while (i < n && !/\s/.test(rest[i]!)) {
      // `--reason="two words"`: the quote may follow the '=' of a flag.
      if (word.startsWith('--') && word.endsWith('=') && rest[i]! in CLOSING) {
        const text = readQuoted();
        if (text === undefined) return { ok: false, message: 'A quote is not closed' };
        tokens.push({ text: word.slice(0, -1), quoted: false }, { text, quoted: true });
        word = '';
        break;
      }
      word += rest[i];
      i++;
    }
    if (word === '') continue;
    const eq = word.indexOf('=');
    if (word.startsWith('--') && eq > 2) {
      tokens.push({ text: word.slice(0, eq), quoted: false }, { text: word.slice(eq + 1), quoted: false });
    } else tokens.push({ text: word, quoted: false });
  }
  return { ok: true, tokens };
}
