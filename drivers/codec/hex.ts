/**
 * Hexadecimal text of octets, as AT+CMGS takes and +CMGL/+CMT print PDUs (3GPP TS 27.005 clause 3.1, <pdu>:
 * two IRA hex characters per octet). Output is uppercase without separators. Input is strict: every octet is
 * exactly two hex digits (either case); whitespace is accepted only between octets (pasted log lines such as
 * "07 91 44"), never inside one. Anything else is CODEC_INVALID_HEX naming the offset.
 */
import { codecError } from './errors.ts';

const DIGITS = '0123456789ABCDEF';
/** Char codes of the two hex digits of each octet value, so encoding is a table lookup per octet. */
const HIGH = new Uint8Array(256);
const LOW = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  HIGH[i] = DIGITS.charCodeAt(i >> 4);
  LOW[i] = DIGITS.charCodeAt(i & 0x0f);
}
/** Value of a hex digit by char code, 255 for anything else. */
const VALUE = new Uint8Array(128).fill(255);
for (let i = 0; i < 16; i++) {
  VALUE[DIGITS.charCodeAt(i)] = i;
  VALUE[DIGITS.toLowerCase().charCodeAt(i)] = i;
}

/** Octets at a time given to String.fromCharCode, well below any engine's argument limit. */
const CHUNK = 4096;

export function toHex(bytes: Uint8Array): string {
  const length = bytes.length;
  if (length <= CHUNK) return hexChunk(bytes, 0, length);
  const pieces: string[] = [];
  for (let start = 0; start < length; start += CHUNK) pieces.push(hexChunk(bytes, start, Math.min(length, start + CHUNK)));
  return pieces.join('');
}

function hexChunk(bytes: Uint8Array, start: number, end: number): string {
  const chars = new Uint8Array((end - start) * 2);
  for (let i = start, j = 0; i < end; i++, j += 2) {
    const b = bytes[i] as number;
    chars[j] = HIGH[b] as number;
    chars[j + 1] = LOW[b] as number;
  }
  return String.fromCharCode.apply(null, chars as unknown as number[]);
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
