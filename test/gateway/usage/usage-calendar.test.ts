import { expect, test } from 'vitest';
import { UsageCalendar } from '../../../gateway/index.ts';

test.each([
  ['UTC', '2026-01-15T14:59:59Z', '2026-01-15', '2026-01-16T00:00:00.000Z', '2026-02-01T00:00:00.000Z'],
  ['Asia/Tokyo', '2026-01-15T14:59:59Z', '2026-01-15', '2026-01-15T15:00:00.000Z', '2026-01-31T15:00:00.000Z'],
  ['Asia/Tokyo', '2026-01-15T15:00:00Z', '2026-01-16', '2026-01-16T15:00:00.000Z', '2026-01-31T15:00:00.000Z'],
  ['Asia/Tokyo', '2026-12-31T15:00:00Z', '2027-01-01', '2027-01-01T15:00:00.000Z', '2027-01-31T15:00:00.000Z'],
  // A day with a daylight saving change: New York's 2026-03-08 has 23 hours.
  ['America/New_York', '2026-03-08T04:59:59Z', '2026-03-07', '2026-03-08T05:00:00.000Z', '2026-04-01T04:00:00.000Z'],
  ['America/New_York', '2026-03-08T05:00:00Z', '2026-03-08', '2026-03-09T04:00:00.000Z', '2026-04-01T04:00:00.000Z'],
])('in %s, %s is on %s; the day ends at %s, the month at %s', (zone, at, day, dayEnd, monthEnd) => {
  const calendar = new UsageCalendar(zone);
  const t = Date.parse(at);
  expect(calendar.day(t)).toBe(day);
  expect(calendar.month(t)).toBe(day.slice(0, 7));
  expect(new Date(calendar.nextDayStart(t)).toISOString()).toBe(dayEnd);
  expect(new Date(calendar.nextMonthStart(t)).toISOString()).toBe(monthEnd);
});

test('an unknown time zone is refused naming usage.timeZone', () => {
  expect(() => new UsageCalendar('Mars/Olympus')).toThrow(expect.objectContaining({ code: 'GW_INVALID_CONFIG', details: { field: 'usage.timeZone' } }) as Error);
});

test.each(['Asia/Tokyo', 'America/New_York', 'Australia/Lord_Howe', 'America/Santiago'])(
  'in %s, one calendar asked again and again (it keeps the last day) answers every day and day start right',
  (zone) => {
    const calendar = new UsageCalendar(zone);
    const reference = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    const localDay = (at: number): string => reference.format(new Date(at));
    // Spring and autumn clock changes of both hemispheres in 2026 (Santiago's clocks skip its midnight), in steps
    // of 37 minutes, forward then back.
    const start = Date.UTC(2026, 2, 1);
    const instants: number[] = [];
    for (let t = start; t < start + 250 * 86_400_000; t += 37 * 60_000) instants.push(t);
    for (const at of [...instants, ...instants.reverse()]) {
      const day = calendar.day(at);
      const next = calendar.nextDayStart(at);
      expect(day).toBe(localDay(at));
      expect([localDay(next - 1), localDay(next) !== day]).toEqual([day, true]);
    }
  },
);
