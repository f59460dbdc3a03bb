/**
 * Which national language table pairs (3GPP TS 23.038 clause 6.2.1.2) can carry a text in 7-bit, found in one pass
 * instead of trying every (locking, single shift) pair: each character's membership in every table is a bit mask
 * built once at load.
 *
 * For a locking table L, a character inside L costs one septet whatever the single shift table; a character outside
 * it costs two septets in any single shift table that has it. So all workable single shift tables give L the same
 * septet count, and per L one candidate is enough: no single shift element when the basic extension table covers the
 * rest (the smaller header), else L's own language when it can, else the first that can.
 */
import { GSM7_DEFAULT_ALPHABET, GSM7_ESCAPE, GSM7_EXTENSION_TABLE } from './gsm7-alphabet.ts';
import { LOCKING_SHIFT_TABLES, NATIONAL_LANGUAGE_BY_ID, NATIONAL_LANGUAGE_IDS, SINGLE_SHIFT_TABLES } from './national-language-tables.ts';
import type { NationalLanguage, ShiftTables } from './types.ts';

/** Bit 0: the default alphabet / basic extension table; bit n: national language n. */
const DEFAULT_BIT = 1;
const TABLE_IDS = 14;

function buildMasks(): { locking: Int32Array; single: Int32Array } {
  const lockingTables: [number, string][] = [[0, GSM7_DEFAULT_ALPHABET]];
  const singleTables: [number, Readonly<Record<number, string>>][] = [[0, GSM7_EXTENSION_TABLE]];
  for (const [language, id] of Object.entries(NATIONAL_LANGUAGE_IDS) as [NationalLanguage, number][]) {
    const locking = LOCKING_SHIFT_TABLES[language];
    const single = SINGLE_SHIFT_TABLES[language];
    if (locking !== undefined) lockingTables.push([id, locking]);
    if (single !== undefined) singleTables.push([id, single]);
  }
  let top = 0;
  for (const [, table] of lockingTables) for (let i = 0; i < table.length; i++) top = Math.max(top, table.charCodeAt(i));
  for (const [, table] of singleTables) for (const char of Object.values(table)) top = Math.max(top, char.charCodeAt(0));
  const locking = new Int32Array(top + 1);
  const single = new Int32Array(top + 1);
  for (const [id, table] of lockingTables) {
    for (let septet = 0; septet < 128; septet++) {
      const unit = table.charCodeAt(septet);
      if (septet !== GSM7_ESCAPE && unit !== 0) locking[unit] = (locking[unit] ?? 0) | (1 << id);
    }
  }
  for (const [id, table] of singleTables) {
    for (const char of Object.values(table)) {
      const unit = char.charCodeAt(0);
      single[unit] = (single[unit] ?? 0) | (1 << id);
    }
  }
  return { locking, single };
}

const MASKS = buildMasks();

/** Bit masks of the locking and single shift tables the caller allows (the default ones always). */
export function allowedMasks(languages: readonly NationalLanguage[]): { locking: number; single: number } {
  let locking = DEFAULT_BIT;
  let single = DEFAULT_BIT;
  for (const language of languages) {
    const id = NATIONAL_LANGUAGE_IDS[language];
    if (LOCKING_SHIFT_TABLES[language] !== undefined) locking |= 1 << id;
    if (SINGLE_SHIFT_TABLES[language] !== undefined) single |= 1 << id;
  }
  return { locking, single };
}

function tablesFor(lockingId: number, singleId: number): ShiftTables {
  const locking = lockingId === 0 ? undefined : NATIONAL_LANGUAGE_BY_ID.get(lockingId);
  const single = singleId === 0 ? undefined : NATIONAL_LANGUAGE_BY_ID.get(singleId);
  return { ...(locking !== undefined ? { locking } : {}), ...(single !== undefined ? { single } : {}) };
}

/**
 * One candidate table pair per workable locking table, or, when none can carry the text, the index of the
 * character that defeated the pair that got furthest.
 */
export function shiftTableCandidates(text: string, allowedLocking: number, allowedSingle: number): ShiftTables[] | number {
  const { locking: lockMasks, single: singleMasks } = MASKS;
  const limit = lockMasks.length;
  // required[L]: the single shift tables that still cover every character outside locking table L.
  const required = new Int32Array(TABLE_IDS).fill(allowedSingle);
  const failedAt = new Int32Array(TABLE_IDS).fill(-1);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const inLocking = unit < limit ? (lockMasks[unit] ?? 0) : 0;
    const inSingle = unit < limit ? (singleMasks[unit] ?? 0) : 0;
    if ((inLocking & allowedLocking) === 0 && (inSingle & allowedSingle) === 0) return i;
    for (let id = 0; id < TABLE_IDS; id++) {
      if ((allowedLocking & (1 << id)) === 0 || (inLocking & (1 << id)) !== 0) continue;
      const before = required[id] ?? 0;
      const after = before & inSingle;
      required[id] = after;
      if (after === 0 && before !== 0) failedAt[id] = i;
    }
  }
  const candidates: ShiftTables[] = [];
  let furthest = -1;
  for (let id = 0; id < TABLE_IDS; id++) {
    if ((allowedLocking & (1 << id)) === 0) continue;
    const singles = required[id] ?? 0;
    if (singles === 0) {
      furthest = Math.max(furthest, failedAt[id] ?? -1);
      continue;
    }
    let single = 0;
    if ((singles & DEFAULT_BIT) === 0) {
      single = (singles & (1 << id)) !== 0 ? id : 31 - Math.clz32(singles & -singles);
    }
    candidates.push(tablesFor(id, single));
  }
  return candidates.length > 0 ? candidates : furthest;
}
