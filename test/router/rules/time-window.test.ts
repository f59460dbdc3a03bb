import { describe, expect, test } from 'vitest';
import { buildRoutingTable, decideRoute, minuteOfDay, normalizeNumber, type CarrierAnswer } from '../../../router/index.ts';

describe('minuteOfDay', () => {
  test.each([
    ['2025-06-01T00:00:00Z', 'Asia/Tokyo', 9 * 60],
    ['2025-06-01T14:59:00Z', 'Asia/Tokyo', 23 * 60 + 59],
    ['2025-06-01T15:00:00Z', 'Asia/Tokyo', 0],
    ['2025-06-01T12:30:00Z', 'UTC', 12 * 60 + 30],
    ['2025-01-15T12:00:00Z', 'Europe/London', 12 * 60],
    ['2025-07-15T12:00:00Z', 'Europe/London', 13 * 60],
  ])('%s in %s is minute %d', (iso, tz, minute) => {
    expect(minuteOfDay(Date.parse(iso), tz)).toBe(minute);
  });
});

describe('time-of-day rules', () => {
  const table = (from: string, to: string, timezone = 'Asia/Tokyo') =>
    buildRoutingTable(
      {
        routes: { night: { strategy: 'failover', connectors: [{ id: 'n' }] }, day: { strategy: 'failover', connectors: [{ id: 'd' }] } },
        rules: [
          { name: 'window', match: { time: { from, to, timezone } }, route: 'night' },
          { name: 'default', route: 'day' },
        ],
      },
      { fileName: 'test.yaml' },
    );
  const carrier: CarrierAnswer = { carrier: 'docomo', source: 'ranges' };
  const ruleAt = (t: ReturnType<typeof table>, iso: string): string =>
    decideRoute(t, { number: normalizeNumber('+819012345678'), carrier, sender: undefined, account: undefined, tag: undefined, atMs: Date.parse(iso) }).rule.name;

  test.each([
    // 22:00-06:00 Tokyo (UTC+9): across midnight.
    ['22:00', '06:00', '2025-06-01T12:59:00Z', 'default'], // 21:59 JST
    ['22:00', '06:00', '2025-06-01T13:00:00Z', 'window'], // 22:00 JST, start inclusive
    ['22:00', '06:00', '2025-06-01T15:00:00Z', 'window'], // 00:00 JST
    ['22:00', '06:00', '2025-06-01T20:59:00Z', 'window'], // 05:59 JST
    ['22:00', '06:00', '2025-06-01T21:00:00Z', 'default'], // 06:00 JST, end exclusive
    ['22:00', '06:00', '2025-06-01T03:00:00Z', 'default'], // 12:00 JST
    // 09:00-17:00 Tokyo: same day.
    ['09:00', '17:00', '2025-06-01T00:00:00Z', 'window'], // 09:00 JST
    ['09:00', '17:00', '2025-06-01T07:59:00Z', 'window'], // 16:59 JST
    ['09:00', '17:00', '2025-06-01T08:00:00Z', 'default'], // 17:00 JST
    ['09:00', '17:00', '2025-05-31T23:59:00Z', 'default'], // 08:59 JST
    // Equal ends: all day.
    ['00:00', '00:00', '2025-06-01T05:00:00Z', 'window'],
  ])('%s-%s at %s -> %s', (from, to, iso, rule) => {
    expect(ruleAt(table(from, to), iso)).toBe(rule);
  });

  test('the same instant falls in or out of a window depending on the time zone', () => {
    const iso = '2025-06-01T13:30:00Z'; // 22:30 in Tokyo, 14:30 in London (BST)
    expect(ruleAt(table('22:00', '06:00', 'Asia/Tokyo'), iso)).toBe('window');
    expect(ruleAt(table('22:00', '06:00', 'Europe/London'), iso)).toBe('default');
  });
});
