/**
 * GSM 7-bit text <-> septets, 3GPP TS 23.038 clause 6.2.1: the default alphabet (or a national locking shift
 * table, clause 6.2.1.2.3) and, after ESC 0x1B, the extension table (or a national single shift table,
 * clause 6.2.1.2.2). Septets here are UNPACKED, one per octet, as SMPP carries them; TPDUs pack them elsewhere.
 *
 * Speed matters (this is the hot path of every submit): each table pair is compiled once into flat typed arrays
 * and the loops index them by UTF-16 code unit, with no allocation per character.
 */
import { type CodecError, codecError } from './errors.ts';
import { GSM7_DEFAULT_ALPHABET, GSM7_ESCAPE, GSM7_EXTENSION_TABLE } from './gsm7-alphabet.ts';
import { allocOctets } from './octet-pool.ts';
import { LOCKING_SHIFT_TABLES, SINGLE_SHIFT_TABLES } from './national-language-tables.ts';
import type { NationalLanguage, ShiftTables } from './types.ts';

/** Bit set on an encode-table value whose septet follows ESC (costs two septets). */
export const GSM7_ESCAPED = 0x80;
/** Encode-table value of a character the tables cannot represent. */
export const GSM7_NONE = -1;

/** One compiled (locking, single shift) pair. */
export interface Gsm7Codec {
  readonly tables: ShiftTables;
  /**
   * UTF-16 code unit -> septet (0..0x7F), septet | GSM7_ESCAPED for an extension character, or GSM7_NONE.
   * Code units at or beyond `encode.length` are not representable.
   */
  readonly encode: Int16Array;
  /** Septet -> code unit in the locking (or default) table; 0x1B holds 0 (it is the escape). */
  readonly decodeMain: Uint16Array;
  /** Septet after ESC -> code unit in the single shift (or extension) table; 0 where unassigned. */
  readonly decodeShift: Uint16Array;
}

// Local copies for the loops below (imported bindings may be getters once transpiled).
const ESCAPE = GSM7_ESCAPE;
const NONE = GSM7_NONE;
const ESCAPED = GSM7_ESCAPED;

/** What an unassigned position of a national table decodes to. */
const UNASSIGNED = 0xfffd;

const NO_TABLES: ShiftTables = Object.freeze({});

function compile(tables: ShiftTables): Gsm7Codec {
  const main = tables.locking === undefined ? GSM7_DEFAULT_ALPHABET : LOCKING_SHIFT_TABLES[tables.locking];
  const shift = tables.single === undefined ? GSM7_EXTENSION_TABLE : SINGLE_SHIFT_TABLES[tables.single];
  if (main === undefined) {
    throw codecError('CODEC_INVALID_OPTION', `no locking shift table for ${tables.locking}`, { locking: tables.locking });
  }
  if (shift === undefined) {
    throw codecError('CODEC_INVALID_OPTION', `no single shift table for ${tables.single}`, { single: tables.single });
  }
  const decodeMain = new Uint16Array(128);
  const decodeShift = new Uint16Array(128);
  let top = 0;
  for (let septet = 0; septet < 128; septet++) {
    if (septet === GSM7_ESCAPE) continue;
    const unit = main.charCodeAt(septet);
    // Unassigned positions of a national table (U+0000 in the data) show as U+FFFD, never as a NUL.
    decodeMain[septet] = unit === 0 ? UNASSIGNED : unit;
    if (unit > top) top = unit;
  }
  for (const [key, char] of Object.entries(shift)) {
    const unit = char.charCodeAt(0);
    decodeShift[Number(key)] = unit;
    if (unit > top) top = unit;
  }
  const encode = new Int16Array(top + 1).fill(GSM7_NONE);
  // Shift entries first, so that a character present in both tables gets the cheaper locking-table septet; going
  // downwards, the lowest septet wins where a table holds a character twice.
  for (let septet = 127; septet >= 0; septet--) {
    const unit = decodeShift[septet] ?? 0;
    if (unit !== 0 && septet !== GSM7_ESCAPE) encode[unit] = septet | GSM7_ESCAPED;
  }
  for (let septet = 127; septet >= 0; septet--) {
    const unit = main.charCodeAt(septet);
    if (unit !== 0 && septet !== GSM7_ESCAPE) encode[unit] = septet;
  }
  return { tables: Object.freeze({ ...tables }), encode, decodeMain, decodeShift };
}

const DEFAULT_CODEC = compile(NO_TABLES);
const codecs = new Map<string, Gsm7Codec>();

/** The compiled codec for a table pair (cached; the default pair is built at load). */
export function gsm7Codec(tables?: ShiftTables): Gsm7Codec {
  if (tables === undefined || (tables.locking === undefined && tables.single === undefined)) return DEFAULT_CODEC;
  const key = `${tables.locking ?? ''}/${tables.single ?? ''}`;
  let codec = codecs.get(key);
  if (codec === undefined) {
    codec = compile(tables);
    codecs.set(key, codec);
  }
  return codec;
}

/** True when a language has a table of that kind (Spanish has no locking shift table). */
export function hasShiftTable(language: NationalLanguage, kind: 'locking' | 'single'): boolean {
  return (kind === 'locking' ? LOCKING_SHIFT_TABLES[language] : SINGLE_SHIFT_TABLES[language]) !== undefined;
}

/** Septets needed for `text`, or undefined when a character is not representable with these tables. */
export function gsm7Length(text: string, tables?: ShiftTables): number | undefined {
  const encode = gsm7Codec(tables).encode;
  const limit = encode.length;
  let septets = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const value = unit < limit ? (encode[unit] ?? NONE) : NONE;
    if (value < 0) return undefined;
    septets += value >= ESCAPED ? 2 : 1;
  }
  return septets;
}

/** Text -> unpacked septets (an extension character becomes ESC + septet). */
export function encodeGsm7(text: string, tables?: ShiftTables): Uint8Array {
  const codec = gsm7Codec(tables);
  const length = gsm7Length(text, codec.tables);
  if (length === undefined) throw notGsm7(text, codec.encode);
  const out = allocOctets(length);
  writeSeptets(text, 0, text.length, codec.encode, out, 0);
  return out;
}

/** Writes the septets of text[from, to) into `out` at `at`; the text must be representable. Returns the end. */
export function writeSeptets(text: string, from: number, to: number, encode: Int16Array, out: Uint8Array, at: number): number {
  let o = at;
  for (let i = from; i < to; i++) {
    const value = encode[text.charCodeAt(i)] ?? 0;
    if (value >= ESCAPED) {
      out[o++] = ESCAPE;
      out[o++] = value & 0x7f;
    } else {
      out[o++] = value;
    }
  }
  return o;
}

/** The CODEC_NOT_GSM7 error for the first character `encode` cannot represent. */
export function notGsm7(text: string, encode: Int16Array): CodecError {
  return notGsm7At(text, firstNotGsm7(text, encode));
}

/** The CODEC_NOT_GSM7 error naming the character at `index` (a whole code point when it is a surrogate pair). */
export function notGsm7At(text: string, index: number): CodecError {
  const codePoint = text.codePointAt(index) ?? 0;
  const character = String.fromCodePoint(codePoint);
  const hex = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  return codecError('CODEC_NOT_GSM7', `${JSON.stringify(character)} (${hex}) at index ${index}`, { character, codePoint: hex, index });
}

/** Index of the first code unit `encode` cannot represent, or -1. */
export function firstNotGsm7(text: string, encode: Int16Array): number {
  const limit = encode.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= limit || (encode[unit] ?? NONE) < 0) return i;
  }
  return -1;
}

const SPACE = 0x20;
const CHUNK = 8192;

/**
 * Unpacked septets -> text. ESC followed by a code the shift table does not define shows the locking (or default)
 * table's character for that code (TS 23.038 clause 6.2.1.1); ESC ESC, reserved for a further extension table,
 * shows a space.
 */
export function decodeGsm7(septets: Uint8Array, tables?: ShiftTables): string {
  const { decodeMain, decodeShift } = gsm7Codec(tables);
  const units = new Uint16Array(septets.length);
  let n = 0;
  for (let i = 0; i < septets.length; i++) {
    const septet = septets[i] ?? 0;
    if (septet > 0x7f) {
      throw codecError('CODEC_INVALID_SEPTET', `0x${septet.toString(16)} at index ${i}`, { index: i, value: septet });
    }
    if (septet !== ESCAPE) {
      units[n++] = decodeMain[septet] ?? 0;
      continue;
    }
    if (i + 1 >= septets.length) throw codecError('CODEC_LONE_ESCAPE', `at index ${i}`, { index: i });
    const next = septets[++i] ?? 0;
    if (next > 0x7f) {
      throw codecError('CODEC_INVALID_SEPTET', `0x${next.toString(16)} at index ${i}`, { index: i, value: next });
    }
    if (next === ESCAPE) {
      units[n++] = SPACE;
      continue;
    }
    const shifted = decodeShift[next] ?? 0;
    units[n++] = shifted !== 0 ? shifted : (decodeMain[next] ?? 0);
  }
  return unitsToString(units, n);
}

/** UTF-16 code units -> string without a per-character allocation. */
export function unitsToString(units: Uint16Array, length: number): string {
  if (length <= CHUNK) return String.fromCharCode(...units.subarray(0, length));
  let text = '';
  for (let at = 0; at < length; at += CHUNK) {
    text += String.fromCharCode(...units.subarray(at, Math.min(length, at + CHUNK)));
  }
  return text;
}
