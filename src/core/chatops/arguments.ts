// Turns the words after the command into positionals, a reason and a forced rule, or into the reply
// that explains what is wrong with them. Names are matched against the config elsewhere (parse.ts).
import { FORCEABLE_RULES, type ForceableRule } from '../types.js';
import { closest, code, didYouMean, orList } from './suggest.js';
import type { Token } from './tokens.js';

export interface CommandArgs {
  /** Positional words, lowercased (config names are lowercase), with the raw spelling kept for messages. */
  positionals: { name: string; raw: string }[];
  reason?: string;
  force?: ForceableRule;
  /** Flags that were present, for "this subcommand takes no flags". */
  flags: string[];
}

export type ArgsResult = { ok: true; args: CommandArgs } | { ok: false; message: string };

const FLAGS = ['--reason', '--force'] as const;
/** A reason is written into the PR and the audit trail; a paragraph is enough. */
export const MAX_REASON_LENGTH = 500;

export function readArguments(tokens: Token[]): ArgsResult {
  const args: CommandArgs = { positionals: [], flags: [] };
  let forceText: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok.quoted || !tok.text.startsWith('-') || tok.text === '-') {
      args.positionals.push({ name: tok.text.toLowerCase(), raw: tok.text });
      continue;
    }
    const flag = tok.text.toLowerCase();
    if (flag !== '--reason' && flag !== '--force') {
      const near = closest(flag.replace(/^-+/, '--'), FLAGS);
      const hint =
        near.length > 0 ? `Did you mean ${code(near[0]!)}?` : `The options are ${orList([...FLAGS])}.`;
      return { ok: false, message: `${code(tok.text)} is not an option. ${hint}` };
    }
    if (args.flags.includes(flag))
      return { ok: false, message: `${code(flag)} is given twice; give it once.` };
    args.flags.push(flag);
    const next = tokens[i + 1];
    if (!next || (!next.quoted && next.text.startsWith('--'))) {
      return {
        ok: false,
        message:
          flag === '--reason'
            ? '`--reason` needs a text: `--reason "primary region is down"`.'
            : `\`--force\` needs the rule to override: one of ${orList([...FORCEABLE_RULES])}.`,
      };
    }
    i++;
    if (flag === '--reason') args.reason = next.text.trim();
    else forceText = next.text;
  }

  if (args.reason !== undefined) {
    if (args.reason === '') return { ok: false, message: '`--reason` is empty; say why in a few words.' };
    if (args.reason.length > MAX_REASON_LENGTH) {
      return {
        ok: false,
        message: `The reason is ${args.reason.length} characters; keep it under ${MAX_REASON_LENGTH}.`,
      };
    }
  }
  if (forceText !== undefined) {
    const rule = forceText.toLowerCase().replaceAll('-', '_');
    if (!(FORCEABLE_RULES as readonly string[]).includes(rule)) {
      const hint = didYouMean(rule, FORCEABLE_RULES);
      return {
        ok: false,
        message: `${code(forceText)} is not a rule that can be forced.${hint} Forceable rules: ${orList([...FORCEABLE_RULES])}.`,
      };
    }
    if (args.reason === undefined) {
      return {
        ok: false,
        message: `\`--force ${rule}\` overrides a safety rule, so it needs \`--reason "..."\`: the reason is written into the PR.`,
      };
    }
    args.force = rule as ForceableRule;
  }
  return { ok: true, args };
}
