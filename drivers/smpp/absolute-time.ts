/**
 * SMPP 3.4 section 7.1.1.1 absolute time format "YYMMDDhhmmsstnnp": year, month, day, hour, minute, second,
 * tenths of a second, then nn quarter hours between local time and UTC, in advance ('+') or behind ('-'). A relative
 * time ('R', section 7.1.1.2) names no instant. Used by query_sm_resp final_date.
 */
import { parseReceiptDate } from '../codec/index.ts';

const ABSOLUTE = /^(\d{12})(\d)(\d{2})([+-])$/;

const QUARTER_HOUR_MS = 15 * 60 * 1000;

/** The instant an absolute time names (years read as 20YY); undefined for '', a relative time or a bad field. */
export function parseAbsoluteTime(text: string): Date | undefined {
  const match = ABSOLUTE.exec(text);
  if (match === null) return undefined;
  const [, stamp, tenths, quarters, sign] = match as unknown as [string, string, string, string, string];
  // The same YYMMDDhhmmss the receipt text carries, with its range checks (31 April does not exist).
  const local = parseReceiptDate(stamp);
  if (local === undefined || Number(quarters) > 48) return undefined;
  // Local time in advance of UTC ('+') is later than UTC by the offset.
  return new Date(local.getTime() + Number(tenths) * 100 - (sign === '+' ? 1 : -1) * Number(quarters) * QUARTER_HOUR_MS);
}
