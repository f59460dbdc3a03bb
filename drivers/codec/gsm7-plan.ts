/**
 * The 7-bit plan of a text: which GSM 03.38 table pair (default, or national locking/single shift tables of
 * TS 23.038 clause 6.2.1) carries it in the fewest parts, counted greedily while its septets are written.
 */
import { codecError } from './errors.ts';
import { GSM7_ESCAPE } from './gsm7-alphabet.ts';
import { GSM7_ESCAPED, GSM7_NONE, gsm7Codec } from './gsm7.ts';
import { NATIONAL_LANGUAGE_IDS } from './national-language-tables.ts';
import { allocOctets, shrinkOctets } from './octet-pool.ts';
import { CONCAT_IE_OCTETS, SHIFT_IE_OCTETS, septetCapacity } from './part-capacity.ts';
import { allowedMasks, shiftTableCandidates } from './shift-table-choice.ts';
import type { ConcatRefSize, EncodeOptions, NationalLanguage, ShiftTables } from './types.ts';

// Local copies: the hot loop must not go through imported bindings (a transpiler may turn them into getters).
const ESCAPED = GSM7_ESCAPED;
const NONE = GSM7_NONE;
const ESCAPE = GSM7_ESCAPE;
export const DEFAULT_TABLES: ShiftTables = Object.freeze({});
const ALL_LANGUAGES = Object.keys(NATIONAL_LANGUAGE_IDS) as NationalLanguage[];

/** How a text travels in 7-bit with one table pair, its septets already written. */
export interface Gsm7Plan {
  readonly text: string;
  readonly tables: ShiftTables;
  readonly septetBuffer: Uint8Array;
  readonly parts: number;
  readonly lastUsed: number;
  readonly shiftOctets: number;
  readonly single: number;
  readonly multi: number;
}

/**
 * One pass that classifies, counts parts greedily and writes the septets; returns the index of the first
 * character the tables cannot represent instead when there is one.
 */
export function planGsm7(text: string, tables: ShiftTables, refSize: ConcatRefSize): Gsm7Plan | number {
  const encode = gsm7Codec(tables).encode;
  const shiftOctets = (tables.locking !== undefined ? SHIFT_IE_OCTETS : 0) + (tables.single !== undefined ? SHIFT_IE_OCTETS : 0);
  const single = septetCapacity(shiftOctets === 0 ? 0 : 1 + shiftOctets);
  const multi = septetCapacity(1 + CONCAT_IE_OCTETS[refSize] + shiftOctets);
  const limit = encode.length;
  const out = allocOctets(text.length * 2);
  let septets = 0;
  let parts = 1;
  let used = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const value = unit < limit ? (encode[unit] ?? NONE) : NONE;
    if (value < 0) {
      shrinkOctets(out, 0);
      return i;
    }
    let cost = 1;
    if (value >= ESCAPED) {
      out[septets++] = ESCAPE;
      out[septets++] = value & 0x7f;
      cost = 2;
    } else {
      out[septets++] = value;
    }
    if (used + cost > multi) {
      parts++;
      used = cost;
    } else {
      used += cost;
    }
  }
  const septetBuffer = shrinkOctets(out, septets);
  if (septets <= single) return { text, tables, septetBuffer, parts: 1, lastUsed: septets, shiftOctets, single, multi };
  return { text, tables, septetBuffer, parts, lastUsed: used, shiftOctets, single, multi };
}

/** Fewest parts, then the smaller header, then the more room left. */
function better(a: Gsm7Plan, b: Gsm7Plan | undefined): boolean {
  if (b === undefined) return true;
  if (a.parts !== b.parts) return a.parts < b.parts;
  if (a.shiftOctets !== b.shiftOctets) return a.shiftOctets < b.shiftOctets;
  return remaining(a) > remaining(b);
}

export function remaining(plan: Gsm7Plan): number {
  return (plan.parts === 1 ? plan.single : plan.multi) - plan.lastUsed;
}

export function allowedLanguages(option: EncodeOptions['shiftTables']): readonly NationalLanguage[] {
  if (option === undefined || option === false) return [];
  if (option === true) return ALL_LANGUAGES;
  for (const language of option) {
    if (!(language in NATIONAL_LANGUAGE_IDS)) {
      throw codecError('CODEC_INVALID_OPTION', `unknown national language ${String(language)}`, { shiftTables: language });
    }
  }
  return option;
}

export interface Search {
  best: Gsm7Plan | undefined;
  /** Where the text stopped fitting (the furthest any table pair got), for the error message. */
  misfit: number;
}

function consider(search: Search, text: string, tables: ShiftTables, refSize: ConcatRefSize): void {
  const plan = planGsm7(text, tables, refSize);
  if (typeof plan === 'number') {
    if (plan > search.misfit) search.misfit = plan;
  } else if (better(plan, search.best)) {
    search.best = plan;
  }
}

/**
 * The best 7-bit plan for `text` over the default tables and the allowed national pairs. `defaultMisfit`, when
 * known, is where the default tables already failed (saves planning them again).
 */
export function searchGsm7(text: string, languages: readonly NationalLanguage[], refSize: ConcatRefSize, defaultMisfit?: number): Search {
  const search: Search = { best: undefined, misfit: defaultMisfit ?? -1 };
  if (defaultMisfit === undefined) consider(search, text, DEFAULT_TABLES, refSize);
  if (search.best !== undefined || languages.length === 0) return search;
  const allowed = allowedMasks(languages);
  const candidates = shiftTableCandidates(text, allowed.locking, allowed.single);
  if (typeof candidates === 'number') {
    search.misfit = candidates;
    return search;
  }
  for (const tables of candidates) consider(search, text, tables, refSize);
  return search;
}
