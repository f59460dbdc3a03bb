/**
 * How much text one part holds, 3GPP TS 23.040 clause 9.2.3.24: 140 octets of user data, UDH included, so the
 * capacity follows from the UDH size (septets = floor((140 - udh) * 8 / 7), UCS-2 units = floor((140 - udh) / 2)).
 */
import type { ConcatRefSize } from './types.ts';

/** User data octets of one SMS (TS 23.040 clause 9.2.3.16: 140 octets, or 160 septets). */
export const USER_DATA_OCTETS = 140;
/** The hard limit of the concatenation element: total and sequence are one octet. */
export const MAX_PARTS = 255;
export const DEFAULT_MAX_PARTS = 10;


export function septetCapacity(udhOctets: number): number {
  return Math.floor(((USER_DATA_OCTETS - udhOctets) * 8) / 7);
}

export function ucs2Capacity(udhOctets: number): number {
  return Math.floor((USER_DATA_OCTETS - udhOctets) / 2);
}

export function octetCapacity(udhOctets: number): number {
  return USER_DATA_OCTETS - udhOctets;
}

/** Octets of a concatenation element (IEI, length, reference, total, sequence) by reference size. */
export const CONCAT_IE_OCTETS: Readonly<Record<ConcatRefSize, number>> = { 8: 5, 16: 6 };
/** Octets of a national language shift element (IEI, length, language). */
export const SHIFT_IE_OCTETS = 3;
