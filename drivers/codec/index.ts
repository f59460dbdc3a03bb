export * from './types.ts';
export { CODEC_ERRORS, CodecError, codecError } from './errors.ts';
export type { CodecErrorCode } from './errors.ts';
export { GSM7_DEFAULT_ALPHABET, GSM7_DEFAULT_INDEX, GSM7_ESCAPE, GSM7_EXTENSION_INDEX, GSM7_EXTENSION_TABLE } from './gsm7-alphabet.ts';
export { LOCKING_SHIFT_TABLES, NATIONAL_LANGUAGE_BY_ID, NATIONAL_LANGUAGE_IDS, SINGLE_SHIFT_TABLES } from './national-language-tables.ts';
export { decodeGsm7, encodeGsm7, gsm7Length, hasShiftTable } from './gsm7.ts';
export { decodeUcs2, encodeUcs2 } from './ucs2.ts';
export { concatElement, decodeUdh, encodeUdh, IEI_CONCAT_8, IEI_CONCAT_16, IEI_LOCKING_SHIFT, IEI_SINGLE_SHIFT, shiftElements, udhLength } from './udh.ts';
export type { DecodedUdh } from './udh.ts';
