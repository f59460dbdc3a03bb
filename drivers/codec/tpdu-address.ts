/**
 * 3GPP TS 23.040 clause 9.1.2.5 "Address fields" (TP-OA, TP-DA, TP-RA) and TS 24.011 clause 8.2.5.1 / TS 27.005
 * clause 3.1 for the SMSC information that precedes a TPDU in AT PDU mode.
 *
 *   TP address:  Address-Length (useful semi-octets; for alphanumeric, semi-octets of the packed septets)
 *                Type-of-Address (bit 7 = 1, TON bits 6-4, NPI bits 3-0)
 *                Address-Value (semi-octets, low nibble first, 0xF filler in the last octet when odd)
 *   SMSC info:   Length (octets of TOA + value; 0 = no address, the SIM's SMSC is used), Type-of-Address, value
 *
 * Semi-octet values (clause 9.1.2.3): 0-9 digits, A '*', B '#', C 'a', D 'b', E 'c', F filler.
 * Alphanumeric addresses (TON 5) are GSM 7-bit default alphabet text packed as in TS 23.038 clause 6.1.2.1.1.
 */
import { codecError } from './errors.ts';
import { decodeGsm7, encodeGsm7 } from './gsm7.ts';
import { packSeptets, unpackSeptets } from './septet-packing.ts';

/** Type of number, TS 23.040 clause 9.1.2.5 bits 6-4 of the Type-of-Address. */
export const TYPE_OF_NUMBER = [
  'unknown',
  'international',
  'national',
  'network-specific',
  'subscriber',
  'alphanumeric',
  'abbreviated',
  'reserved',
] as const;
export type TypeOfNumber = (typeof TYPE_OF_NUMBER)[number];

export const TOA_INTERNATIONAL = 0x91; // TON 1, NPI 1 (ISDN/E.164)
export const TOA_UNKNOWN = 0x81; // TON 0, NPI 1
export const TOA_ALPHANUMERIC = 0xd0; // TON 5, NPI 0

export interface TpAddress {
  readonly type: TypeOfNumber;
  readonly ton: number;
  readonly npi: number;
  /** E.164 with a leading '+' when international, the digits otherwise, the text when alphanumeric. */
  readonly value: string;
}

/** The result of reading an address: where the next field starts. */
export interface AddressRead {
  readonly address: TpAddress;
  readonly next: number;
}

const SEMI_OCTET_CHARS = '0123456789*#abc';
/** Most characters of an alphanumeric address: 11 septets pack into 10 octets. */
const MAX_ALPHANUMERIC = 11;

function semiOctetValue(ch: string, field: string): number {
  const index = SEMI_OCTET_CHARS.indexOf(ch === 'A' || ch === 'B' || ch === 'C' ? ch.toLowerCase() : ch);
  if (index < 0) throw codecError('CODEC_INVALID_ADDRESS', `${field}: ${JSON.stringify(ch)} is not a dialling digit`, { field, char: ch });
  return index;
}

/** Digits to swapped semi-octets with the F filler. */
function packSemiOctets(digits: string, field: string): Uint8Array {
  const out = new Uint8Array((digits.length + 1) >> 1);
  for (let i = 0; i < digits.length; i += 2) {
    const low = semiOctetValue(digits.charAt(i), field);
    const high = i + 1 < digits.length ? semiOctetValue(digits.charAt(i + 1), field) : 0x0f;
    out[i >> 1] = (high << 4) | low;
  }
  return out;
}

function unpackSemiOctets(bytes: Uint8Array, start: number, count: number): string {
  let digits = '';
  for (let i = 0; i < count; i++) {
    const octet = bytes[start + (i >> 1)] as number;
    const nibble = i & 1 ? octet >> 4 : octet & 0x0f;
    // A filler where a digit should be is tolerated (some SCs count it): it stands for nothing.
    if (nibble !== 0x0f) digits += SEMI_OCTET_CHARS.charAt(nibble);
  }
  return digits;
}

interface ParsedNumber {
  readonly toa: number;
  readonly digits: string;
  readonly alphanumeric: boolean;
}

/**
 * '+' and digits: international (0x91). Digits, '*', '#': unknown TON with ISDN plan (0x81), which networks treat
 * as national. Text with a letter or other sign (not starting with '+', which promises a number): alphanumeric
 * (0xD0), at most 11 GSM 7-bit characters.
 */
function parseNumber(address: string, field: string, allowAlphanumeric: boolean): ParsedNumber {
  const trimmed = address.trim();
  if (/^\+[0-9]{1,20}$/.test(trimmed)) return { toa: TOA_INTERNATIONAL, digits: trimmed.slice(1), alphanumeric: false };
  if (/^[0-9*#]{1,20}$/.test(trimmed)) return { toa: TOA_UNKNOWN, digits: trimmed, alphanumeric: false };
  if (allowAlphanumeric && !trimmed.startsWith('+') && /[^0-9*#\s]/.test(trimmed)) {
    if ([...trimmed].length > MAX_ALPHANUMERIC) {
      throw codecError('CODEC_INVALID_ADDRESS', `${field}: alphanumeric address longer than ${MAX_ALPHANUMERIC} characters`, {
        field,
        value: address,
      });
    }
    return { toa: TOA_ALPHANUMERIC, digits: trimmed, alphanumeric: true };
  }
  throw codecError('CODEC_INVALID_ADDRESS', `${field}: ${JSON.stringify(address)} is not a number of 1-20 digits`, {
    field,
    value: address,
  });
}

/**
 * '+' and 1-20 decimal digits, or 1-20 decimal digits: the common case, encoded in one pass without parsing;
 * undefined for anything else.
 */
function encodeDecimal(address: string): Uint8Array | undefined {
  const international = address.charCodeAt(0) === 0x2b;
  const start = international ? 1 : 0;
  const digits = address.length - start;
  if (digits < 1 || digits > 20) return undefined;
  const out = new Uint8Array(2 + ((digits + 1) >> 1));
  out[0] = digits;
  out[1] = international ? TOA_INTERNATIONAL : TOA_UNKNOWN;
  for (let i = 0; i < digits; i++) {
    const value = address.charCodeAt(start + i) - 0x30;
    if (value < 0 || value > 9) return undefined;
    const at = 2 + (i >> 1);
    out[at] = i & 1 ? ((out[at] as number) & 0x0f) | (value << 4) : 0xf0 | value;
  }
  return out;
}

/** Encodes TP-DA / TP-OA / TP-RA: length, type of address, value. */
export function encodeTpAddress(address: string, field = 'TP-DA'): Uint8Array {
  const decimal = encodeDecimal(address);
  if (decimal !== undefined) return decimal;
  const parsed = parseNumber(address, field, true);
  let value: Uint8Array;
  let length: number;
  if (parsed.alphanumeric) {
    let septets: Uint8Array;
    try {
      septets = encodeGsm7(parsed.digits);
    } catch (error) {
      throw codecError('CODEC_INVALID_ADDRESS', `${field}: alphanumeric address is not GSM 7-bit text`, { field, value: address, cause: error });
    }
    if (septets.length > MAX_ALPHANUMERIC) {
      throw codecError('CODEC_INVALID_ADDRESS', `${field}: alphanumeric address needs ${septets.length} septets, at most ${MAX_ALPHANUMERIC}`, {
        field,
        value: address,
      });
    }
    value = packSeptets(septets);
    // Semi-octets actually used by the septets (a final half-empty octet counts one).
    length = Math.ceil((septets.length * 7) / 4);
  } else {
    value = packSemiOctets(parsed.digits, field);
    length = parsed.digits.length;
  }
  const out = new Uint8Array(2 + value.length);
  out[0] = length;
  out[1] = parsed.toa;
  out.set(value, 2);
  return out;
}

/** Reads a TP address at `offset`; `field` names it in errors (TP-OA, TP-DA, TP-RA). */
export function decodeTpAddress(bytes: Uint8Array, offset: number, field: string): AddressRead {
  if (offset + 2 > bytes.length) throw truncated(field, offset, bytes.length);
  const semiOctets = bytes[offset] as number;
  const toa = bytes[offset + 1] as number;
  const valueOctets = (semiOctets + 1) >> 1;
  const start = offset + 2;
  if (start + valueOctets > bytes.length) throw truncated(field, offset, bytes.length);
  const ton = (toa >> 4) & 0x07;
  const npi = toa & 0x0f;
  const type = TYPE_OF_NUMBER[ton] ?? 'reserved';
  let value: string;
  if (ton === 5) {
    const septetCount = Math.floor((semiOctets * 4) / 7);
    const septets = unpackSeptets(bytes.subarray(start, start + valueOctets), septetCount);
    value = decodeGsm7Lenient(septets);
  } else {
    const digits = unpackSemiOctets(bytes, start, semiOctets);
    value = ton === 1 ? `+${digits}` : digits;
  }
  return { address: { type, ton, npi, value }, next: start + valueOctets };
}

/** An alphanumeric sender with a stray escape at the end is still shown rather than refusing the whole PDU. */
function decodeGsm7Lenient(septets: Uint8Array): string {
  try {
    return decodeGsm7(septets);
  } catch {
    return decodeGsm7(septets[septets.length - 1] === 0x1b ? septets.subarray(0, septets.length - 1) : septets);
  }
}

/**
 * The SMSC information that starts an AT PDU: `00` (use the SMSC stored on the SIM) when `smsc` is absent,
 * else its length in octets, type of address and swapped digits.
 */
export function encodeSmscAddress(smsc?: string): Uint8Array {
  if (smsc === undefined || smsc.trim() === '') return new Uint8Array([0]);
  const parsed = parseNumber(smsc, 'SMSC', false);
  const value = packSemiOctets(parsed.digits, 'SMSC');
  const out = new Uint8Array(2 + value.length);
  out[0] = 1 + value.length;
  out[1] = parsed.toa;
  out.set(value, 2);
  return out;
}

/** Reads the SMSC information at the start of an AT PDU; `address` is undefined for the `00` form. */
export function decodeSmscAddress(bytes: Uint8Array): { readonly address: TpAddress | undefined; readonly next: number } {
  if (bytes.length < 1) throw truncated('SMSC length', 0, bytes.length);
  const octets = bytes[0] as number;
  if (octets === 0) return { address: undefined, next: 1 };
  if (1 + octets > bytes.length) throw truncated('SMSC address', 0, bytes.length);
  const toa = bytes[1] as number;
  const ton = (toa >> 4) & 0x07;
  const digits = unpackSemiOctets(bytes, 2, (octets - 1) * 2);
  const value = ton === 1 ? `+${digits}` : digits;
  return { address: { type: TYPE_OF_NUMBER[ton] ?? 'reserved', ton, npi: toa & 0x0f, value }, next: 1 + octets };
}

function truncated(field: string, offset: number, length: number): Error {
  return codecError('CODEC_TRUNCATED_PDU', `${field} at octet ${offset} runs past the end (${length} octets)`, { field, offset, length });
}
