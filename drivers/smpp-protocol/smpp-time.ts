/**
 * SMPP 3.4 section 7.1.1 time formats.
 * Absolute (7.1.1.1) "YYMMDDhhmmsstnnp": year, month, day, hour, minute, second, tenths of a second, then nn quarter
 * hours between local time and UTC, in advance ('+') or behind ('-'). Used by query_sm_resp final_date.
 * Relative (7.1.1.2) "YYMMDDhhmmss000R": a span from now, used for validity_period. Years and months count as 365
 * and 30 days, which is how SMSCs read them.
 */
import { formatReceiptDate, parseReceiptDate } from '../codec/index.ts';

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

/** An instant as an absolute time in UTC: "YYMMDDhhmmsst00+". */
export function formatAbsoluteTime(ms: number): string {
  const d = new Date(ms);
  return `${formatReceiptDate(d, true)}${Math.floor(d.getUTCMilliseconds() / 100)}00+`;
}

// Not a closure in relativeValidity: see toSmppParts (smpp-carriage.ts) on what tsx makes a closure cost per call.
function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** A span of `seconds` as a relative time. */
export function relativeValidity(seconds: number): string {
  let rest = Math.max(0, Math.floor(seconds));
  const years = Math.min(99, Math.floor(rest / (365 * 86400)));
  rest -= years * 365 * 86400;
  const months = Math.floor(rest / (30 * 86400));
  rest -= months * 30 * 86400;
  const days = Math.floor(rest / 86400);
  rest -= days * 86400;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  const secs = rest - minutes * 60;
  return `${two(years)}${two(months)}${two(days)}${two(hours)}${two(minutes)}${two(secs)}000R`;
}
