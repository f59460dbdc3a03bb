/**
 * Opt-out, opt-in and help keywords as people type them. A message is a keyword only when its WHOLE text is one,
 * after normalizing: NFKC (full-width letters to ASCII, half-width kana to full-width), case folded, runs of white
 * space inside reduced to one space, and white space, punctuation, symbols and invisible format characters cut from
 * both ends ("ｓｔｏｐ", " STOP! ", "「配信停止」。" all read as the keyword). A keyword inside a sentence ("please stop
 * sending", "配信停止したい") is not one: a person who writes a sentence is talking to a human, and suppressing on a
 * fragment would drop numbers that never asked to leave. Pure: no I/O, no clock.
 */

export type KeywordKind = 'opt-out' | 'opt-in' | 'help';

export interface KeywordMatch {
  readonly kind: KeywordKind;
  /** The list entry that matched, as configured (e.g. `STOP`, `配信停止`). */
  readonly keyword: string;
}

export interface KeywordLists {
  readonly optOut: readonly string[];
  readonly optIn: readonly string[];
  readonly help: readonly string[];
}

/**
 * The lists every account starts with: the US/CTIA and FCC set (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT,
 * REVOKE, OPTOUT; START, UNSTOP; HELP, INFO) and what Japanese recipients write (停止, 配信停止, ストップ, ...).
 */
export const DEFAULT_KEYWORDS: KeywordLists = {
  optOut: ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT', '停止', '配信停止', '解除', '配信解除', '受信拒否', '配信拒否', 'ストップ'],
  optIn: ['START', 'UNSTOP', '再開', '配信再開'],
  help: ['HELP', 'INFO', 'ヘルプ'],
};

// Ends to cut: white space (U+3000 included), punctuation (。、！？「」…), symbols (～ ♪ emoji), format characters
// (zero-width space, BOM) and variation selectors that ride on emoji.
const EDGE = /^[\s\p{P}\p{S}\p{Cf}\u{FE00}-\u{FE0F}]+|[\s\p{P}\p{S}\p{Cf}\u{FE00}-\u{FE0F}]+$/gu;

/** The comparable form of a text or a list entry ('' when nothing is left). */
export function normalizeKeyword(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(EDGE, '').replace(/\s+/gu, ' ');
}

/** An index of an account's lists by normalized form; build once per account and match many texts. */
export class KeywordMatcher {
  private readonly byForm = new Map<string, KeywordMatch>();

  constructor(lists: KeywordLists) {
    // Help first, opt-in next, opt-out last: should one form sit in two lists, opt-out wins (config refuses that).
    const kinds: [KeywordKind, readonly string[]][] = [['help', lists.help], ['opt-in', lists.optIn], ['opt-out', lists.optOut]];
    for (const [kind, words] of kinds) {
      for (const keyword of words) {
        const form = normalizeKeyword(keyword);
        if (form !== '') this.byForm.set(form, { kind, keyword });
      }
    }
  }

  match(text: string): KeywordMatch | undefined {
    // A keyword is a word or two; a long text is a sentence, whatever it holds.
    if (text.length > 64) return undefined;
    return this.byForm.get(normalizeKeyword(text));
  }
}

/** The lists an account uses: its own entries added to the defaults (the defaults always work). */
export function keywordLists(extra: { readonly [K in keyof KeywordLists]?: KeywordLists[K] | undefined } = {}): KeywordLists {
  return {
    optOut: [...DEFAULT_KEYWORDS.optOut, ...(extra.optOut ?? [])],
    optIn: [...DEFAULT_KEYWORDS.optIn, ...(extra.optIn ?? [])],
    help: [...DEFAULT_KEYWORDS.help, ...(extra.help ?? [])],
  };
}

/**
 * Problems with an account's lists, one text each: an entry that normalizes to nothing, or one form in two kinds
 * (a word that both stops and starts). Empty when the lists are sound.
 */
export function keywordListProblems(lists: KeywordLists): string[] {
  const problems: string[] = [];
  const seen = new Map<string, KeywordKind>();
  const kinds: [KeywordKind, string, readonly string[]][] = [['opt-out', 'optOut', lists.optOut], ['opt-in', 'optIn', lists.optIn], ['help', 'help', lists.help]];
  for (const [kind, field, words] of kinds) {
    for (const keyword of words) {
      const form = normalizeKeyword(keyword);
      if (form === '') {
        problems.push(`${field} entry "${keyword}" is only spaces or punctuation`);
        continue;
      }
      const other = seen.get(form);
      if (other !== undefined && other !== kind) problems.push(`${field} entry "${keyword}" is also an ${other} keyword`);
      seen.set(form, kind);
    }
  }
  return problems;
}
