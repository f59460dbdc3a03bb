/** Local days of the search forms (`<input type="date">`, `YYYY-MM-DD`) as instants in the account's time zone. */
import type { UsageCalendar } from '../../../gateway/index.ts';

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date written `YYYY-MM-DD` (not 2026-02-30). */
export function isLocalDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const at = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(at) && new Date(at).toISOString().startsWith(value);
}

/** The calendar day after `day`. */
export function nextLocalDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/**
 * The instant a local day begins in the calendar's zone. Noon UTC of the day before lies in the day before for
 * every zone from UTC-12 to UTC+11; for zones further east it lies in the day itself, and the day before that
 * gives it.
 */
export function dayStart(calendar: UsageCalendar, day: string): number {
  const noonBefore = Date.parse(`${day}T12:00:00Z`) - DAY_MS;
  const start = calendar.nextDayStart(noonBefore);
  return calendar.day(start) === day ? start : calendar.nextDayStart(noonBefore - DAY_MS);
}
