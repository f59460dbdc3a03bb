/**
 * 3GPP TS 23.038 clause 6.1.2.1.1 "Packing of 7 bit characters" and TS 23.040 clause 9.2.3.24 (fill bits after a
 * User Data Header): septets are laid end to end, least significant bit first, so septet n occupies bits
 * 7n .. 7n+6 of the octet stream. `fillBits` zero bits come first, which is how a UDH of `k` octets is followed by
 * `(7 - (8k mod 7)) mod 7` fill bits so the first character starts on a septet boundary.
 *
 * SMPP carries septets unpacked (one per octet); a TPDU carries them packed. Both directions are here.
 */
import { codecError } from './errors.ts';

/** Fill bits needed after a UDH of `udhOctets` octets (UDHL included) so the next septet is aligned. */
export function fillBitsAfterUdh(udhOctets: number): number {
  return (7 - ((udhOctets * 8) % 7)) % 7;
}

/** Octets needed for `septetCount` packed septets preceded by `fillBits` zero bits. */
export function packedLength(septetCount: number, fillBits = 0): number {
  return Math.ceil((fillBits + septetCount * 7) / 8);
}

/** Packs unpacked septets (one per octet, each 0x00-0x7F) into octets, after `fillBits` (0-6) zero bits. */
export function packSeptets(septets: Uint8Array, fillBits = 0): Uint8Array {
  checkFillBits(fillBits);
  const out = new Uint8Array(packedLength(septets.length, fillBits));
  packSeptetsInto(septets, out, 0, fillBits);
  return out;
}

/**
 * Packs into `out` from `offset` (the octet holding the fill bits, which are written as zeros); returns the offset
 * after the last octet written. Bits gather in an accumulator and each octet is stored once.
 */
export function packSeptetsInto(septets: Uint8Array, out: Uint8Array, offset: number, fillBits = 0): number {
  const count = septets.length;
  let acc = 0;
  let bits = fillBits;
  let index = offset;
  let seen = 0;
  for (let i = 0; i < count; i++) {
    const septet = septets[i] as number;
    seen |= septet;
    acc |= septet << bits;
    bits += 7;
    if (bits >= 8) {
      out[index++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) out[index++] = acc & 0xff;
  // Checked once at the end: the loop stays branch-light, and a bad septet still refuses the whole input.
  if (seen > 0x7f) {
    const at = septets.findIndex((value) => value > 0x7f);
    throw codecError('CODEC_INVALID_SEPTET', `septet ${at} is 0x${(septets[at] ?? 0).toString(16)}`, { index: at, value: septets[at] });
  }
  return index;
}

/** Reads `septetCount` septets from packed `octets`, skipping `fillBits` (0-6) leading bits. */
export function unpackSeptets(octets: Uint8Array, septetCount: number, fillBits = 0): Uint8Array {
  checkFillBits(fillBits);
  if (!Number.isInteger(septetCount) || septetCount < 0) {
    throw codecError('CODEC_INVALID_OPTION', `septetCount must be a non-negative integer, got ${septetCount}`, { septetCount });
  }
  const needed = packedLength(septetCount, fillBits);
  if (needed > octets.length) {
    throw codecError('CODEC_UDL_BEYOND_DATA', `${septetCount} septets need ${needed} octets, ${octets.length} present`, {
      field: 'TP-UD',
      septets: septetCount,
      needed,
      present: octets.length,
    });
  }
  const out = new Uint8Array(septetCount);
  let bitPos = fillBits;
  let index = 0;
  for (let i = 0; i < septetCount; i++) {
    let value = (octets[index] as number) >> bitPos;
    if (bitPos > 1) value |= (octets[index + 1] as number) << (8 - bitPos);
    out[i] = value & 0x7f;
    bitPos += 7;
    if (bitPos >= 8) {
      bitPos -= 8;
      index++;
    }
  }
  return out;
}

function checkFillBits(fillBits: number): void {
  if (!Number.isInteger(fillBits) || fillBits < 0 || fillBits > 6) {
    throw codecError('CODEC_INVALID_OPTION', `fillBits must be 0-6, got ${fillBits}`, { fillBits });
  }
}
