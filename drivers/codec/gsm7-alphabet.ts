/**
 * 3GPP TS 23.038 clause 6.2.1 (GSM 7-bit default alphabet) and clause 6.2.1.1 (the default alphabet extension
 * table reached through ESC 0x1B). The tables are data; the reverse indexes are derived once at module load.
 */

/** The escape septet: the next septet is read in the (single shift) extension table. */
export const GSM7_ESCAPE = 0x1b;

/**
 * The default alphabet, one character per septet value 0x00..0x7F, sixteen per row.
 * Position 0x1B is the escape to the extension table, not a character: it is left out of the reverse index.
 */
export const GSM7_DEFAULT_ALPHABET: string =
  '@£$¥èéùìòÇ\nØø\rÅå' + // 0x00
  'Δ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ' + // 0x10
  ' !"#¤%&\'()*+,-./' + // 0x20
  '0123456789:;<=>?' + // 0x30
  '¡ABCDEFGHIJKLMNO' + // 0x40
  'PQRSTUVWXYZÄÖÑÜ§' + // 0x50
  '¿abcdefghijklmno' + // 0x60
  'pqrstuvwxyzäöñüà'; // 0x70

/** The basic extension table: septet after ESC -> character. Each costs two septets on the air. */
export const GSM7_EXTENSION_TABLE: Readonly<Record<number, string>> = {
  0x0a: '\f', // page break (form feed)
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

/** Character -> septet value in the default alphabet. */
export const GSM7_DEFAULT_INDEX: ReadonlyMap<string, number> = indexLockingTable(GSM7_DEFAULT_ALPHABET);

/** Character -> septet value following ESC in the basic extension table. */
export const GSM7_EXTENSION_INDEX: ReadonlyMap<string, number> = indexShiftTable(GSM7_EXTENSION_TABLE);

/** Reverse index of a 128-character locking table; 0x1B and unassigned positions (U+0000) are skipped. */
export function indexLockingTable(table: string): Map<string, number> {
  if (table.length !== 128) throw new Error(`a GSM 7-bit table has 128 positions, got ${table.length}`);
  const index = new Map<string, number>();
  for (let septet = 0; septet < 128; septet++) {
    const char = table.charAt(septet);
    if (septet === GSM7_ESCAPE || char === '\u0000' || index.has(char)) continue;
    index.set(char, septet);
  }
  return index;
}

/** Reverse index of a sparse single shift table. */
export function indexShiftTable(table: Readonly<Record<number, string>>): Map<string, number> {
  const index = new Map<string, number>();
  for (const [key, char] of Object.entries(table)) {
    const septet = Number(key);
    if (septet > 0x7f || septet === GSM7_ESCAPE || char.length !== 1) {
      throw new Error(`bad single shift entry ${key}: ${JSON.stringify(char)}`);
    }
    if (!index.has(char)) index.set(char, septet);
  }
  return index;
}
