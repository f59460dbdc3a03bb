/**
 * 3GPP TS 23.040 clause 9.2.3.16 TP-UDL and 9.2.3.24 TP-UD as the PDU builders write them: UDH (UDHL first) then,
 * for GSM 7-bit, fill bits up to the next septet boundary and the packed septets, with TP-UDL in septets (UDH
 * and fill included); for 8-bit and UCS-2 the octets, with TP-UDL in octets. At most 140 octets.
 */
import { codecError } from './errors.ts';
import { fillBitsAfterUdh, packedLength, packSeptetsInto } from './septet-packing.ts';
import type { SegmentPart } from './types.ts';
import { encodeUdh } from './udh.ts';

/** Most octets of TP-UD (TS 23.040 clause 9.2.3.24). */
export const MAX_USER_DATA_OCTETS = 140;
const EMPTY = new Uint8Array(0);

export interface UserDataLayout {
  /** UDH octets including UDHL; empty without a UDH. */
  readonly udh: Uint8Array;
  readonly udl: number;
  /** Octets TP-UD takes. */
  readonly octets: number;
  readonly fill: number;
}

export function layoutUserData(part: SegmentPart, septets: boolean): UserDataLayout {
  const udh = part.udh.length === 0 ? EMPTY : encodeUdh(part.udh);
  const payloadLength = part.payload.length;
  let udl: number;
  let octets: number;
  let fill = 0;
  if (septets) {
    fill = udh.length === 0 ? 0 : fillBitsAfterUdh(udh.length);
    udl = (udh.length * 8 + fill) / 7 + payloadLength;
    octets = udh.length + packedLength(payloadLength, fill);
  } else {
    udl = udh.length + payloadLength;
    octets = udl;
  }
  if (octets > MAX_USER_DATA_OCTETS) {
    throw codecError('CODEC_PAYLOAD_TOO_LONG', `part ${part.seq} needs ${octets} octets of TP-UD, at most ${MAX_USER_DATA_OCTETS}`, {
      field: 'TP-UD',
      seq: part.seq,
      octets,
    });
  }
  return { udh, udl, octets, fill };
}

/** Writes TP-UDL and TP-UD at `offset` of a zeroed buffer sized for them. */
export function writeUserData(bytes: Uint8Array, offset: number, layout: UserDataLayout, payload: Uint8Array, septets: boolean): void {
  let i = offset;
  bytes[i++] = layout.udl;
  if (layout.udh.length !== 0) {
    bytes.set(layout.udh, i);
    i += layout.udh.length;
  }
  if (septets) packSeptetsInto(payload, bytes, i, layout.fill);
  else bytes.set(payload, i);
}
