/**
 * National language tables of 3GPP TS 23.038 (Rel-8 onwards) annex A: locking shift tables (A.3, signalled by
 * UDH IEI 0x25) replace the default alphabet; single shift tables (A.2, IEI 0x24) replace the extension table
 * reached through ESC 0x1B. The language identifiers are those of table 6.2.1.2.4.1.
 *
 * Transcribed from the spec tables and checked position by position against two independent public transcriptions:
 * the per-table CSV files of the `gsmcodecs` project (from TS 23.038 V18.0.0) and the table strings of Android's
 * `GsmAlphabet.java`.
 *
 * Locking tables are 128-character strings, sixteen per row; position 0x1B is the escape (never a character).
 * Single shift tables are sparse maps septet -> character.
 */
import type { NationalLanguage } from './types.ts';

/** National language identifier (the octet of IEI 0x24 / 0x25). */
export const NATIONAL_LANGUAGE_IDS: Readonly<Record<NationalLanguage, number>> = {
  turkish: 1,
  spanish: 2,
  portuguese: 3,
  bengali: 4,
  gujarati: 5,
  hindi: 6,
  kannada: 7,
  malayalam: 8,
  oriya: 9,
  punjabi: 10,
  tamil: 11,
  telugu: 12,
  urdu: 13,
};

/** Identifier -> language, derived. */
export const NATIONAL_LANGUAGE_BY_ID: ReadonlyMap<number, NationalLanguage> = new Map(
  Object.entries(NATIONAL_LANGUAGE_IDS).map(([language, id]) => [id, language as NationalLanguage]),
);

/** Annex A.3: national locking shift tables. Spanish has none. */
export const LOCKING_SHIFT_TABLES: Readonly<Partial<Record<NationalLanguage, string>>> = {
  // A.3.1 Turkish
  turkish:
    '@£$¥€éùıòÇ\nĞğ\rÅå' + // 0x00
    'Δ_ΦΓΛΩΠΨΣΘΞ\u001bŞşßÉ' + // 0x10
    ' !"#¤%&\'()*+,-./' + // 0x20
    '0123456789:;<=>?' + // 0x30
    'İABCDEFGHIJKLMNO' + // 0x40
    'PQRSTUVWXYZÄÖÑÜ§' + // 0x50
    'çabcdefghijklmno' + // 0x60
    'pqrstuvwxyzäöñüà', // 0x70
  // A.3.3 Portuguese
  portuguese:
    '@£$¥êéúíóç\nÔô\rÁá' + // 0x00
    'Δ_ªÇÀ∞^\\€Ó|\u001bÂâÊÉ' + // 0x10
    ' !"#º%&\'()*+,-./' + // 0x20
    '0123456789:;<=>?' + // 0x30
    'ÍABCDEFGHIJKLMNO' + // 0x40
    'PQRSTUVWXYZÃÕÚÜ§' + // 0x50
    '~abcdefghijklmno' + // 0x60
    'pqrstuvwxyzãõ`üà', // 0x70
};

/** The entries every Latin single shift table shares with the basic extension table. */
const COMMON_SHIFT: Readonly<Record<number, string>> = {
  0x0a: '\f',
  0x14: '^',
  0x28: '{',
  0x29: '}',
  0x2f: '\\',
  0x3c: '[',
  0x3d: '~',
  0x3e: ']',
  0x40: '|',
  0x65: '€',
};

/** Annex A.2: national single shift tables. */
export const SINGLE_SHIFT_TABLES: Readonly<Partial<Record<NationalLanguage, Readonly<Record<number, string>>>>> = {
  // A.2.1 Turkish
  turkish: {
    ...COMMON_SHIFT,
    0x47: 'Ğ',
    0x49: 'İ',
    0x53: 'Ş',
    0x63: 'ç',
    0x67: 'ğ',
    0x69: 'ı',
    0x73: 'ş',
  },
  // A.2.2 Spanish
  spanish: {
    ...COMMON_SHIFT,
    0x09: 'ç',
    0x41: 'Á',
    0x49: 'Í',
    0x4f: 'Ó',
    0x55: 'Ú',
    0x61: 'á',
    0x69: 'í',
    0x6f: 'ó',
    0x75: 'ú',
  },
  // A.2.3 Portuguese
  portuguese: {
    ...COMMON_SHIFT,
    0x05: 'ê',
    0x09: 'ç',
    0x0b: 'Ô',
    0x0c: 'ô',
    0x0e: 'Á',
    0x0f: 'á',
    0x12: 'Φ',
    0x13: 'Γ',
    0x15: 'Ω',
    0x16: 'Π',
    0x17: 'Ψ',
    0x18: 'Σ',
    0x19: 'Θ',
    0x1f: 'Ê',
    0x41: 'À',
    0x49: 'Í',
    0x4f: 'Ó',
    0x55: 'Ú',
    0x5b: 'Ã',
    0x5c: 'Õ',
    0x61: 'Â',
    0x69: 'í',
    0x6f: 'ó',
    0x75: 'ú',
    0x7b: 'ã',
    0x7c: 'õ',
    0x7f: 'â',
  },
};
