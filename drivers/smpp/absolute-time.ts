/**
 * SMPP 3.4 section 7.1.1.1 absolute time format "YYMMDDhhmmsstnnp": year, month, day, hour, minute, second,
 * tenths of a second, then nn quarter hours between local time and UTC, in advance ('+') or behind ('-'). A relative
 * time ('R', section 7.1.1.2) names no instant. Used by query_sm_resp final_date.
 */
const ABSOLUTE = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d)(\d{2})([+-])$/;

const QUARTER_HOUR_MS = 15 * 60 * 1000;

/** The instant an absolute time names (years read as 20YY); undefined for '', a relative time or a bad field. */
export function parseAbsoluteTime(text: string): Date | undefined {
  const match = ABSOLUTE.exec(text);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second, tenths, quarters] = match.slice(1, 9).map(Number) as [
    number, number, number, number, number, number, number, number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59 || quarters > 48) return undefined;
  const local = Date.UTC(2000 + year, month - 1, day, hour, minute, second, tenths * 100);
  // Date.UTC rolls 31 April over into May: such a day does not exist.
  if (new Date(local).getUTCDate() !== day) return undefined;
  // Local time in advance of UTC ('+') is later than UTC by the offset.
  return new Date(local - (match[9] === '+' ? 1 : -1) * quarters * QUARTER_HOUR_MS);
}
