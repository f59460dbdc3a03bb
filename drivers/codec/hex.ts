/**
 * Hexadecimal text of octets, as AT+CMGS takes and +CMGL/+CMT print PDUs (3GPP TS 27.005 clause 3.1, <pdu>:
 * two IRA hex characters per octet). Output is uppercase without separators. Input is strict: every octet is
 * exactly two hex digits (either case); whitespace is accepted only between octets (pasted log lines such as
 * "07 91 44"), never inside one. Anything else is CODEC_INVALID_HEX naming the offset.
 */
import { codecError } from './errors.ts';

const DIGITS = '0123456789ABCDEF';
/**
 * The two hex digits of each octet value as one 16-bit unit laid out in memory as the two ASCII characters, so
 * encoding is one table lookup and one store per octet, and a single TextDecoder call makes the string.
 */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
const PAIRS = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  const high = DIGITS.charCodeAt(i >> 4);
  const low = DIGITS.charCodeAt(i & 0x0f);
  PAIRS[i] = LITTLE_ENDIAN ? high | (low << 8) : (high << 8) | low;
}
/** Value of a hex digit by char code, 255 for anything else. */
const VALUE = new Uint8Array(128).fill(255);
for (let i = 0; i < 16; i++) {
  VALUE[DIGITS.charCodeAt(i)] = i;
  VALUE[DIGITS.toLowerCase().charCodeAt(i)] = i;
}
// Hex digits are ASCII, which every single-byte decoder maps to itself.
const ASCII = new TextDecoder('latin1');

export function toHex(bytes: Uint8Array): string {
  const length = bytes.length;
  const chars = new Uint16Array(length);
  for (let i = 0; i < length; i++) chars[i] = PAIRS[bytes[i] as number] as number;
  return ASCII.decode(chars);
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

export function fromHex(text: string): Uint8Array {
  const out = new Uint8Array(text.length >> 1);
  let count = 0;
  let i = 0;
  const length = text.length;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const high = c < 128 ? (VALUE[c] as number) : 255;
    if (high === 255) throw invalidHex(text, i, 'not a hex digit');
    if (i + 1 >= length) throw invalidHex(text, i, 'odd number of hex digits');
    const c2 = text.charCodeAt(i + 1);
    const low = c2 < 128 ? (VALUE[c2] as number) : 255;
    if (low === 255) throw invalidHex(text, i + 1, isSpace(c2) ? 'whitespace inside an octet' : 'not a hex digit');
    out[count++] = (high << 4) | low;
    i += 2;
  }
  return count === out.length ? out : out.slice(0, count);
}

function invalidHex(text: string, offset: number, reason: string): Error {
  const found = text.slice(offset, offset + 1);
  return codecError('CODEC_INVALID_HEX', `${reason} at offset ${offset} (${JSON.stringify(found)})`, { offset, found, reason });
}
