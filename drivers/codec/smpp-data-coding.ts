/**
 * SMPP data_coding, both ways: SMPP 3.4 section 5.2.19 for 0x00..0x0F, and the GSM data coding scheme of
 * 3GPP TS 23.038 clause 4 where SMSCs pass it through (general data coding 00xx / 01xx, message waiting
 * indication 1100..1110, data coding / message class 1111).
 *
 * SMPP carries 7-bit text UNPACKED, one septet per octet (the SMSC packs it for the air interface); a TPDU
 * carries the same septets packed.
 */
import { type CodecError, codecError } from './errors.ts';
import { decodeGsm7 } from './gsm7.ts';
import type { Encoding, ShiftTables } from './types.ts';
import { decodeUcs2 } from './ucs2.ts';

/** What the octets of short_message / message_payload are. */
export type SmppAlphabet = 'gsm7' | 'ascii' | 'latin1' | 'cyrillic' | 'hebrew' | 'binary' | 'ucs2';

export type SmppMessageClass = 0 | 1 | 2 | 3;

export interface SmppDataCoding {
  readonly alphabet: SmppAlphabet;
  readonly messageClass?: SmppMessageClass;
  /** Message waiting indication groups (0xC0..0xEF): the indication, and whether the text may be discarded. */
  readonly messageWaiting?: { readonly active: boolean; readonly kind: number; readonly discard: boolean };
}

/** SMPP 3.4 table 5-5, the values below 0x10. */
const SMPP_CODINGS: ReadonlyMap<number, SmppAlphabet | 'unsupported'> = new Map([
  [0x00, 'gsm7'], // SMSC default alphabet: GSM 03.38 here
  [0x01, 'ascii'], // IA5 (CCITT T.50)
  [0x02, 'binary'], // octet unspecified
  [0x03, 'latin1'], // ISO-8859-1
  [0x04, 'binary'], // octet unspecified
  [0x05, 'unsupported'], // JIS X 0208-1990
  [0x06, 'cyrillic'], // ISO-8859-5
  [0x07, 'hebrew'], // ISO-8859-8
  [0x08, 'ucs2'], // ISO/IEC 10646
  [0x09, 'unsupported'], // pictogram encoding
  [0x0a, 'unsupported'], // ISO-2022-JP (music codes)
  [0x0d, 'unsupported'], // extended Kanji JIS X 0212-1990
  [0x0e, 'unsupported'], // KS C 5601
]);

/** TS 23.038 general data coding alphabet bits (3..2). */
const DCS_ALPHABETS: readonly (SmppAlphabet | undefined)[] = ['gsm7', 'binary', 'ucs2', undefined];

function unknown(dataCoding: number, why: string): CodecError {
  return codecError('CODEC_UNKNOWN_DCS', `data_coding 0x${hex2(dataCoding)}: ${why}`, { dataCoding });
}

function unsupported(dataCoding: number, why: string): CodecError {
  return codecError('CODEC_UNSUPPORTED_DCS', `data_coding 0x${hex2(dataCoding)}: ${why}`, { dataCoding });
}

/** data_coding -> alphabet and message class; throws CODEC_UNKNOWN_DCS for reserved values. */
export function parseSmppDataCoding(dataCoding: number): SmppDataCoding {
  if (!Number.isInteger(dataCoding) || dataCoding < 0 || dataCoding > 0xff) throw unknown(dataCoding, 'not an octet');
  if (dataCoding < 0x10) {
    const alphabet = SMPP_CODINGS.get(dataCoding);
    if (alphabet === undefined) throw unknown(dataCoding, 'reserved');
    if (alphabet === 'unsupported') throw unsupported(dataCoding, 'character set not supported');
    return { alphabet };
  }
  const group = dataCoding >> 4;
  if (group <= 0x7) {
    // 00xx / 01xx general data coding (01xx: marked for automatic deletion). Bit 5 compressed, bit 4 class valid.
    if ((dataCoding & 0x20) !== 0) throw unsupported(dataCoding, 'compressed text');
    const alphabet = DCS_ALPHABETS[(dataCoding >> 2) & 0x03];
    if (alphabet === undefined) throw unknown(dataCoding, 'reserved alphabet');
    return (dataCoding & 0x10) !== 0 ? { alphabet, messageClass: (dataCoding & 0x03) as SmppMessageClass } : { alphabet };
  }
  if (group <= 0xb) throw unknown(dataCoding, 'reserved coding group');
  if (group <= 0xe) {
    if ((dataCoding & 0x04) !== 0) throw unknown(dataCoding, 'reserved bit in a message waiting group');
    return {
      alphabet: group === 0xe ? 'ucs2' : 'gsm7',
      messageWaiting: { active: (dataCoding & 0x08) !== 0, kind: dataCoding & 0x03, discard: group === 0xc },
    };
  }
  if ((dataCoding & 0x08) !== 0) throw unknown(dataCoding, 'reserved bit 3 in the message class group');
  return { alphabet: (dataCoding & 0x04) === 0 ? 'gsm7' : 'binary', messageClass: (dataCoding & 0x03) as SmppMessageClass };
}

export interface DataCodingRequest {
  /** The value that labels GSM 7-bit text on this connector: 0x00 (SMSC default) or 0x01 (IA5). Default 0x00. */
  readonly gsmDataCoding?: 0x00 | 0x01;
  /** Message class (0 = flash). */
  readonly messageClass?: SmppMessageClass;
}

/** The data_coding for a message in `encoding`. */
export function smppDataCoding(encoding: Encoding, request: DataCodingRequest = {}): number {
  const { messageClass } = request;
  if (messageClass !== undefined && (!Number.isInteger(messageClass) || messageClass < 0 || messageClass > 3)) {
    throw codecError('CODEC_INVALID_OPTION', `message class ${String(messageClass)}`, { messageClass });
  }
  switch (encoding) {
    case 'gsm7':
      return messageClass === undefined ? (request.gsmDataCoding ?? 0x00) : 0xf0 | messageClass;
    case 'binary':
      return messageClass === undefined ? 0x04 : 0xf4 | messageClass;
    case 'ucs2':
      return messageClass === undefined ? 0x08 : 0x18 | messageClass;
  }
}

/** Octets of short_message / message_payload (without UDH) -> text. Binary gives an empty text. */
export function decodeSmppText(
  octets: Uint8Array,
  dataCoding: number,
  shiftTables?: ShiftTables,
): { text: string; encoding: SmppAlphabet } {
  const { alphabet } = parseSmppDataCoding(dataCoding);
  return { text: decodeAlphabet(octets, alphabet, shiftTables), encoding: alphabet };
}

/** Octets in `alphabet` -> text. */
export function decodeAlphabet(octets: Uint8Array, alphabet: SmppAlphabet, shiftTables?: ShiftTables): string {
  switch (alphabet) {
    case 'gsm7':
      return decodeGsm7(octets, shiftTables);
    case 'ucs2':
      return decodeUcs2(octets);
    case 'binary':
      return '';
    case 'ascii':
    case 'latin1':
      // IA5 octets above 0x7F are not ASCII; carriers that send them mean Latin-1, its superset.
      return mapOctets(octets, latin1);
    case 'cyrillic':
      return mapOctets(octets, cyrillic);
    case 'hebrew':
      return mapOctets(octets, hebrew);
  }
}

/** ISO-8859-1: octet = code point. */
function latin1(octet: number): number {
  return octet;
}

/** ISO-8859-5: Cyrillic from 0xA1, with the soft hyphen, numero sign and section sign kept in place. */
function cyrillic(octet: number): number {
  if (octet <= 0xa0 || octet === 0xad) return octet;
  if (octet === 0xf0) return 0x2116;
  if (octet === 0xfd) return 0xa7;
  return octet + 0x360;
}

/** ISO-8859-8 (visual Hebrew): unassigned octets become U+FFFD so they stay visible. */
function hebrew(octet: number): number {
  if (octet < 0xa0) return octet;
  if (octet === 0xaa) return 0xd7;
  if (octet === 0xba) return 0xf7;
  if (octet === 0xa1 || (octet >= 0xbf && octet <= 0xde) || octet === 0xfb || octet === 0xfc || octet === 0xff) return 0xfffd;
  if (octet < 0xbf) return octet;
  if (octet === 0xdf) return 0x2017;
  if (octet === 0xfd) return 0x200e;
  if (octet === 0xfe) return 0x200f;
  return octet - 0xe0 + 0x5d0;
}

function mapOctets(octets: Uint8Array, map: (octet: number) => number): string {
  let text = '';
  for (let i = 0; i < octets.length; i++) text += String.fromCharCode(map(octets[i] ?? 0));
  return text;
}

function hex2(value: number): string {
  return value.toString(16).padStart(2, '0');
}
