/**
 * UCS-2 as SMS uses it today: UTF-16 big-endian (3GPP TS 23.038 clause 5, TS 23.040 clause 9.2.3.24.1 notes that
 * a character outside the BMP travels as a surrogate pair, never split across parts).
 */
import { type CodecError, codecError } from './errors.ts';
import { unitsToString } from './gsm7.ts';
import { allocOctets } from './octet-pool.ts';

/** Text -> UTF-16BE octets; an unpaired surrogate is refused with its index. */
export function encodeUcs2(text: string): Uint8Array {
  const bad = firstUnpairedSurrogate(text);
  if (bad >= 0) throw unpairedSurrogate(text, bad);
  const out = allocOctets(text.length * 2);
  writeUcs2(text, 0, text.length, out, 0);
  return out;
}

/** Writes text[from, to) as UTF-16BE into `out` at `at`; returns the end. */
export function writeUcs2(text: string, from: number, to: number, out: Uint8Array, at: number): number {
  let o = at;
  for (let i = from; i < to; i++) {
    const unit = text.charCodeAt(i);
    out[o++] = unit >>> 8;
    out[o++] = unit & 0xff;
  }
  return o;
}

/** UTF-16BE octets -> text. */
export function decodeUcs2(octets: Uint8Array): string {
  if (octets.length % 2 !== 0) {
    throw codecError('CODEC_ODD_UCS2_LENGTH', `${octets.length} octets`, { length: octets.length });
  }
  const n = octets.length / 2;
  const units = new Uint16Array(n);
  for (let i = 0, o = 0; i < n; i++, o += 2) units[i] = ((octets[o] ?? 0) << 8) | (octets[o + 1] ?? 0);
  return unitsToString(units, n);
}

/** Index of the first surrogate code unit without its partner, or -1. */
export function firstUnpairedSurrogate(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    if (unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    return i;
  }
  return -1;
}

export function unpairedSurrogate(text: string, index: number): CodecError {
  const hex = `U+${text.charCodeAt(index).toString(16).toUpperCase()}`;
  return codecError('CODEC_UNPAIRED_SURROGATE', `${hex} at index ${index}`, { index, codeUnit: hex });
}
