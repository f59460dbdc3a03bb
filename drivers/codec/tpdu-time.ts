/**
 * 3GPP TS 23.040 clause 9.2.3.11 TP-Service-Centre-Time-Stamp (also the layout of TP-Discharge-Time, clause
 * 9.2.3.13, and of an absolute TP-VP, clause 9.2.3.12.2) and clause 9.2.3.12.1 TP-VP relative format.
 *
 *   SCTS: 7 octets, each two semi-octets swapped (units digit in the high nibble):
 *         year, month, day, hour, minute, second, time zone.
 *         Time zone: quarters of an hour between local time and GMT; bit 3 of the octet (the first semi-octet's
 *         top bit) is the sign, 1 = negative.
 *   Relative VP (one octet):   0-143  (VP + 1) x 5 minutes          (5 minutes .. 12 hours)
 *                            144-167  12 hours + (VP - 143) x 30 min  (12h30 .. 24 hours)
 *                            168-196  (VP - 166) x 1 day             (2 .. 30 days)
 *                            197-255  (VP - 192) x 1 week            (5 .. 63 weeks)
 */
import { codecError } from './errors.ts';

export interface ServiceCentreTime {
  /** The instant (local fields minus the time zone). */
  readonly date: Date;
  /** Time zone of the SC's local time in quarters of an hour east of GMT (-79 .. 79). */
  readonly tzQuarterHours: number;
}

export const SCTS_LENGTH = 7;
const QUARTER_MS = 15 * 60 * 1000;

function bcd(octet: number, field: string, part: string): number {
  const tens = octet & 0x0f;
  const units = octet >> 4;
  if (tens > 9 || units > 9) {
    throw codecError('CODEC_INVALID_TIMESTAMP', `${field} ${part} octet 0x${octet.toString(16).padStart(2, '0')} is not two decimal digits`, {
      field,
      part,
      octet,
    });
  }
  return tens * 10 + units;
}

function swapped(value: number): number {
  return ((value % 10) << 4) | Math.floor(value / 10);
}

/**
 * The spec sends two year digits and names no century. SMS dates from 1990 (before any SC existed) to 2089:
 * 90-99 are the 1990s, as in published traces of that time.
 */
function fullYear(twoDigits: number): number {
  return twoDigits >= 90 ? 1900 + twoDigits : 2000 + twoDigits;
}

/** Decodes 7 octets at `offset`; `field` (TP-SCTS, TP-DT, TP-VP) names it in errors. */
export function decodeScts(bytes: Uint8Array, offset: number, field = 'TP-SCTS'): ServiceCentreTime {
  if (offset + SCTS_LENGTH > bytes.length) {
    throw codecError('CODEC_TRUNCATED_PDU', `${field} at octet ${offset} runs past the end (${bytes.length} octets)`, {
      field,
      offset,
      length: bytes.length,
    });
  }
  const at = (i: number): number => bytes[offset + i] as number;
  const year = bcd(at(0), field, 'year');
  const month = bcd(at(1), field, 'month');
  const day = bcd(at(2), field, 'day');
  const hour = bcd(at(3), field, 'hour');
  const minute = bcd(at(4), field, 'minute');
  const second = bcd(at(5), field, 'second');
  const tzOctet = at(6);
  const tzMagnitude = bcd(tzOctet & 0xf7, field, 'time zone');
  const tzQuarterHours = tzOctet & 0x08 ? -tzMagnitude : tzMagnitude;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    throw codecError('CODEC_INVALID_TIMESTAMP', `${field} has an out-of-range field`, { field, year, month, day, hour, minute, second });
  }
  const local = Date.UTC(fullYear(year), month - 1, day, hour, minute, second);
  return { date: new Date(local - tzQuarterHours * QUARTER_MS), tzQuarterHours };
}

/** Encodes an instant as the SC's local time in `tzQuarterHours` (default GMT). */
export function encodeScts(date: Date, tzQuarterHours = 0): Uint8Array {
  if (!Number.isInteger(tzQuarterHours) || tzQuarterHours < -79 || tzQuarterHours > 79) {
    throw codecError('CODEC_INVALID_TIMESTAMP', `time zone must be -79..79 quarter hours, got ${tzQuarterHours}`, { tzQuarterHours });
  }
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw codecError('CODEC_INVALID_TIMESTAMP', 'invalid date', { date: String(date) });
  const local = new Date(ms + tzQuarterHours * QUARTER_MS);
  const year = local.getUTCFullYear();
  if (year < 1990 || year > 2089) {
    throw codecError('CODEC_INVALID_TIMESTAMP', `year ${year} outside 1990-2089 (two digits on the air)`, { year });
  }
  const magnitude = Math.abs(tzQuarterHours);
  return new Uint8Array([
    swapped(year % 100),
    swapped(local.getUTCMonth() + 1),
    swapped(local.getUTCDate()),
    swapped(local.getUTCHours()),
    swapped(local.getUTCMinutes()),
    swapped(local.getUTCSeconds()),
    swapped(magnitude) | (tzQuarterHours < 0 ? 0x08 : 0),
  ]);
}

/** Minutes a relative TP-VP octet stands for. */
export function relativeValidityMinutes(vp: number): number {
  if (vp <= 143) return (vp + 1) * 5;
  if (vp <= 167) return 720 + (vp - 143) * 30;
  if (vp <= 196) return (vp - 166) * 1440;
  return (vp - 192) * 10080;
}

export interface RelativeValidity {
  /** The TP-VP octet. */
  readonly vp: number;
  /** What the network will actually apply. */
  readonly minutes: number;
  /** True when the request was beyond 63 weeks and the longest period was used instead. */
  readonly clamped: boolean;
}

export const MAX_RELATIVE_VALIDITY_MINUTES = relativeValidityMinutes(255);

/** The smallest relative TP-VP whose period is at least `minutes`; beyond 63 weeks the longest, reported clamped. */
export function encodeRelativeValidity(minutes: number): RelativeValidity {
  if (!Number.isFinite(minutes) || minutes <= 0) {
    throw codecError('CODEC_INVALID_OPTION', `validity must be a positive number of minutes, got ${minutes}`, { field: 'TP-VP', minutes });
  }
  if (minutes > MAX_RELATIVE_VALIDITY_MINUTES) return { vp: 255, minutes: MAX_RELATIVE_VALIDITY_MINUTES, clamped: true };
  let vp: number;
  if (minutes <= 720) vp = Math.ceil(minutes / 5) - 1;
  else if (minutes <= 1440) vp = 143 + Math.ceil((minutes - 720) / 30);
  else if (minutes <= 30 * 1440) vp = Math.max(168, 166 + Math.ceil(minutes / 1440));
  else vp = Math.max(197, 192 + Math.ceil(minutes / 10080));
  return { vp, minutes: relativeValidityMinutes(vp), clamped: false };
}
