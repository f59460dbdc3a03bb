/**
 * User Data Header, 3GPP TS 23.040 clause 9.2.3.24: UDHL, then information elements (IEI, IEDL, data).
 * Understood here: 0x00 concatenation with 8-bit reference (9.2.3.24.1), 0x08 with 16-bit reference (9.2.3.24.8),
 * 0x24 national language single shift (9.2.3.24.15) and 0x25 locking shift (9.2.3.24.16). Other elements are
 * kept as they are.
 */
import { codecError } from './errors.ts';
import { allocOctets } from './octet-pool.ts';
import { NATIONAL_LANGUAGE_BY_ID, NATIONAL_LANGUAGE_IDS } from './national-language-tables.ts';
import type { ConcatInfo, NationalLanguage, ShiftTables, UdhElement } from './types.ts';

export const IEI_CONCAT_8 = 0x00;
export const IEI_CONCAT_16 = 0x08;
export const IEI_SINGLE_SHIFT = 0x24;
export const IEI_LOCKING_SHIFT = 0x25;

export interface DecodedUdh {
  readonly elements: UdhElement[];
  /** UDH octets including the UDHL octet. */
  readonly length: number;
  readonly concat?: ConcatInfo;
  readonly shiftTables: ShiftTables;
}

/** Octets the elements take in a UDH, including the UDHL octet (0 when there are none). */
export function udhLength(elements: readonly UdhElement[]): number {
  if (elements.length === 0) return 0;
  let length = 1;
  for (const element of elements) length += 2 + element.data.length;
  return length;
}

/** Elements -> UDH octets with the UDHL octet first (empty when there are no elements). */
export function encodeUdh(elements: readonly UdhElement[]): Uint8Array {
  const length = udhLength(elements);
  if (length > 256) {
    throw codecError('CODEC_INVALID_UDH', `header of ${length - 1} octets exceeds UDHL 255`, { udhl: length - 1 });
  }
  const out = new Uint8Array(length);
  if (length === 0) return out;
  out[0] = length - 1;
  let o = 1;
  for (const element of elements) {
    if (!Number.isInteger(element.iei) || element.iei < 0 || element.iei > 0xff) {
      throw codecError('CODEC_INVALID_UDH', `IEI ${element.iei} is not an octet`, { iei: element.iei });
    }
    out[o++] = element.iei;
    out[o++] = element.data.length;
    out.set(element.data, o);
    o += element.data.length;
  }
  return out;
}

/**
 * UDH octets (UDHL first; user data may follow) -> elements plus what the codec understands of them.
 * A concatenation element with sequence 0 or beyond the total is kept but not interpreted (TS 23.040 says to
 * ignore it); a repeated element: the last one wins.
 */
export function decodeUdh(octets: Uint8Array): DecodedUdh {
  if (octets.length === 0) throw codecError('CODEC_INVALID_UDH', 'no UDHL octet', { length: 0 });
  const udhl = octets[0] ?? 0;
  const end = 1 + udhl;
  if (end > octets.length) {
    throw codecError('CODEC_INVALID_UDH', `UDHL ${udhl} runs past the ${octets.length - 1} octets present`, {
      udhl,
      available: octets.length - 1,
    });
  }
  const elements: UdhElement[] = [];
  let concat: ConcatInfo | undefined;
  let locking: NationalLanguage | undefined;
  let single: NationalLanguage | undefined;
  let o = 1;
  while (o < end) {
    if (o + 2 > end) throw codecError('CODEC_INVALID_UDH', `element at octet ${o} has no length octet`, { offset: o });
    const iei = octets[o] ?? 0;
    const iedl = octets[o + 1] ?? 0;
    const start = o + 2;
    if (start + iedl > end) {
      throw codecError('CODEC_INVALID_UDH', `IEI 0x${hex2(iei)} length ${iedl} runs past the header`, { iei, iedl, offset: o });
    }
    const data = octets.slice(start, start + iedl);
    elements.push({ iei, data });
    o = start + iedl;
    switch (iei) {
      case IEI_CONCAT_8:
      case IEI_CONCAT_16: {
        const expected = iei === IEI_CONCAT_8 ? 3 : 4;
        if (iedl !== expected) {
          throw codecError('CODEC_INVALID_UDH', `IEI 0x${hex2(iei)} needs ${expected} octets, has ${iedl}`, { iei, iedl });
        }
        const ref = iei === IEI_CONCAT_8 ? (data[0] ?? 0) : ((data[0] ?? 0) << 8) | (data[1] ?? 0);
        const total = data[expected - 2] ?? 0;
        const seq = data[expected - 1] ?? 0;
        concat = seq >= 1 && total >= 1 && seq <= total ? { ref, total, seq, refSize: iei === IEI_CONCAT_8 ? 8 : 16 } : undefined;
        break;
      }
      case IEI_SINGLE_SHIFT:
      case IEI_LOCKING_SHIFT: {
        if (iedl !== 1) throw codecError('CODEC_INVALID_UDH', `IEI 0x${hex2(iei)} needs 1 octet, has ${iedl}`, { iei, iedl });
        // A reserved language identifier means the default table (TS 23.038 clause 6.2.1.2.4).
        const language = NATIONAL_LANGUAGE_BY_ID.get(data[0] ?? 0);
        if (iei === IEI_SINGLE_SHIFT) single = language;
        else locking = language;
        break;
      }
      default:
        break;
    }
  }
  const shiftTables: ShiftTables = {
    ...(locking !== undefined ? { locking } : {}),
    ...(single !== undefined ? { single } : {}),
  };
  return { elements, length: end, ...(concat !== undefined ? { concat } : {}), shiftTables };
}

/** The concatenation element for one part (IEI 0x00 or 0x08 per `refSize`). */
export function concatElement(info: ConcatInfo): UdhElement {
  const { ref, total, seq, refSize } = info;
  const refMax = refSize === 16 ? 0xffff : 0xff;
  if (!Number.isInteger(ref) || ref < 0 || ref > refMax) {
    throw codecError('CODEC_INVALID_OPTION', `concatenation reference ${ref} outside 0..${refMax}`, { ref, refSize });
  }
  if (!Number.isInteger(total) || total < 1 || total > 255 || !Number.isInteger(seq) || seq < 1 || seq > total) {
    throw codecError('CODEC_INVALID_OPTION', `part ${seq} of ${total}`, { seq, total });
  }
  if (refSize === 16) {
    const data = allocOctets(4);
    data[0] = ref >>> 8;
    data[1] = ref & 0xff;
    data[2] = total;
    data[3] = seq;
    return { iei: IEI_CONCAT_16, data };
  }
  const data = allocOctets(3);
  data[0] = ref;
  data[1] = total;
  data[2] = seq;
  return { iei: IEI_CONCAT_8, data };
}

/** The national language shift elements for a table pair (none for the default tables). */
export function shiftElements(tables: ShiftTables): UdhElement[] {
  const elements: UdhElement[] = [];
  if (tables.locking !== undefined) elements.push(shiftElement(IEI_LOCKING_SHIFT, tables.locking));
  if (tables.single !== undefined) elements.push(shiftElement(IEI_SINGLE_SHIFT, tables.single));
  return elements;
}

function shiftElement(iei: number, language: NationalLanguage): UdhElement {
  const data = allocOctets(1);
  data[0] = NATIONAL_LANGUAGE_IDS[language];
  return { iei, data };
}

function hex2(value: number): string {
  return value.toString(16).padStart(2, '0');
}
