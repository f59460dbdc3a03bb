/**
 * Smart transliteration: typographic characters that word processors and phones insert (curly quotes, long
 * dashes, ellipsis, odd spaces, full-width ASCII, bullets...) replaced by plain characters of the GSM 7-bit
 * default alphabet, so that a text can stay in 7-bit instead of falling back to UCS-2 (less than half the
 * capacity per part). Letters are never changed. The caller switches it on; the segmenter applies it only when it
 * lets the text stay in 7-bit, and reports every substitution.
 */
import type { Substitution } from './types.ts';

/** Typographic character -> plain replacement (may be empty, or several characters). */
export const TRANSLITERATIONS: Readonly<Record<string, string>> = {
  // Quotes and primes.
  '\u2018': "'", // ‘ left single quotation mark
  '\u2019': "'", // ’ right single quotation mark / apostrophe
  '\u201A': "'", // ‚ single low-9 quotation mark
  '\u201B': "'", // ‛ single high-reversed-9 quotation mark
  '\u2032': "'", // ′ prime
  '\u00B4': "'", // ´ acute accent
  '\u0060': "'", // ` grave accent (ASCII, but not in the GSM alphabet)
  '\u2039': '<', // ‹
  '\u203A': '>', // ›
  '\u201C': '"', // “
  '\u201D': '"', // ”
  '\u201E': '"', // „
  '\u201F': '"', // ‟
  '\u2033': '"', // ″ double prime
  '\u00AB': '"', // «
  '\u00BB': '"', // »
  // Dashes and hyphens.
  '\u2010': '-', // hyphen
  '\u2011': '-', // non-breaking hyphen
  '\u2012': '-', // figure dash
  '\u2013': '-', // en dash
  '\u2014': '-', // em dash
  '\u2015': '-', // horizontal bar
  '\u2212': '-', // minus sign
  '\u00AD': '', // soft hyphen (invisible)
  // Ellipsis and dots.
  '\u2026': '...',
  '\u00B7': '.', // middle dot
  // Spaces: no-break, typographic widths, ideographic; invisible ones are dropped.
  '\u00A0': ' ',
  '\u2000': ' ',
  '\u2001': ' ',
  '\u2002': ' ',
  '\u2003': ' ',
  '\u2004': ' ',
  '\u2005': ' ',
  '\u2006': ' ',
  '\u2007': ' ',
  '\u2008': ' ',
  '\u2009': ' ',
  '\u200A': ' ',
  '\u202F': ' ',
  '\u205F': ' ',
  '\u3000': ' ',
  '\t': ' ',
  '\u200B': '', // zero width space
  '\u2060': '', // word joiner
  '\uFEFF': '', // zero width no-break space (BOM)
  '\u2028': '\n', // line separator
  '\u2029': '\n', // paragraph separator
  // Bullets.
  '\u2022': '*', // •
  '\u2023': '*', // ‣
  '\u2043': '-', // ⁃
  '\u25E6': '*', // ◦
  '\u2219': '*', // ∙
  // Symbols with a customary ASCII spelling.
  '\u2122': 'TM',
  '\u00A9': '(C)',
  '\u00AE': '(R)',
  '\u00D7': 'x',
  '\u00F7': '/',
  '\u2044': '/', // fraction slash
  '\u00BD': '1/2',
  '\u00BC': '1/4',
  '\u00BE': '3/4',
  '\u02C6': '^', // modifier circumflex
  '\u02DC': '~', // small tilde
  '\u00A6': '|', // broken bar
  // CJK punctuation often mixed into otherwise Latin text.
  '\u3001': ',', // ideographic comma
  '\u3002': '.', // ideographic full stop
  '\uFFE0': 'c', // full-width cent sign
  '\uFFE1': '£', // full-width pound sign
  '\uFFE5': '¥', // full-width yen sign
};

const FULL_WIDTH_FIRST = 0xff01; // ！
const FULL_WIDTH_LAST = 0xff5e; // ～
const FULL_WIDTH_OFFSET = 0xff01 - 0x21;

/** Code unit -> replacement, derived once. */
const TABLE: ReadonlyMap<number, string> = new Map(
  Object.entries(TRANSLITERATIONS).map(([from, to]) => [from.charCodeAt(0), to]),
);

export interface Transliteration {
  readonly text: string;
  /** In order of first appearance. */
  readonly substitutions: Substitution[];
}

function replacementFor(unit: number): string | undefined {
  if (unit >= FULL_WIDTH_FIRST && unit <= FULL_WIDTH_LAST) return String.fromCharCode(unit - FULL_WIDTH_OFFSET);
  return TABLE.get(unit);
}

/** Replaces the typographic characters of `text`; returns it unchanged (same string) when there is none. */
export function transliterate(text: string): Transliteration {
  let first = -1;
  for (let i = 0; i < text.length; i++) {
    if (replacementFor(text.charCodeAt(i)) !== undefined) {
      first = i;
      break;
    }
  }
  if (first < 0) return { text, substitutions: [] };
  const counts = new Map<string, { to: string; count: number }>();
  let out = text.slice(0, first);
  let runStart = first;
  for (let i = first; i < text.length; i++) {
    const to = replacementFor(text.charCodeAt(i));
    if (to === undefined) continue;
    out += text.slice(runStart, i) + to;
    runStart = i + 1;
    const from = text.charAt(i);
    const seen = counts.get(from);
    if (seen === undefined) counts.set(from, { to, count: 1 });
    else seen.count++;
  }
  out += text.slice(runStart);
  const substitutions: Substitution[] = [];
  for (const [from, { to, count }] of counts) substitutions.push({ from, to, count });
  return { text: out, substitutions };
}
