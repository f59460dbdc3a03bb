/**
 * The pure send-window decisions, on instants written as the zone's wall-clock time: 20:59 open and 21:00 closed,
 * midnight, weekend rules, a zone with DST across both 2026 changes, and the conservative rule for countries with
 * several zones.
 */
import { describe, expect, test } from 'vitest';
import { isOpen, nextOpening, nextOpeningInAll, type SendWindowRule } from '../../../gateway/windows/send-window.ts';
import { sendWindowProblem, windowOpening } from '../../../gateway/windows/send-windows.ts';
import { countryZones } from '../../../gateway/windows/country-zones.ts';

const WEEKDAYS_8_21: SendWindowRule = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '21:00' };
const WEEKEND_9_20: SendWindowRule = { days: ['sat', 'sun'], from: '09:00', to: '20:00' };
const RULES = [WEEKDAYS_8_21, WEEKEND_9_20];

/** An instant in Japan (UTC+9, no DST): `jst('2026-01-15T20:59')`. */
const jst = (local: string): number => Date.parse(`${local}:00+09:00`);
const at = (iso: string): number => Date.parse(iso);

describe('one zone without DST (Asia/Tokyo)', () => {
  test.each([
    ['2026-01-15T20:59', true, 'Thursday 20:59'],
    ['2026-01-15T21:00', false, 'Thursday 21:00'],
    ['2026-01-15T08:00', true, 'Thursday 08:00'],
    ['2026-01-15T07:59', false, 'Thursday 07:59'],
    ['2026-01-16T00:00', false, 'Friday midnight'],
    ['2026-01-17T08:30', false, 'Saturday 08:30 (weekend opens at 9)'],
    ['2026-01-17T09:00', true, 'Saturday 09:00'],
    ['2026-01-18T20:00', false, 'Sunday 20:00 (weekend closes at 20)'],
  ])('%s is open: %s (%s)', (local, open) => {
    expect(isOpen(RULES, 'Asia/Tokyo', jst(local))).toBe(open);
  });

  test('20:59:59.999 is still open; the next millisecond is not', () => {
    expect(isOpen(RULES, 'Asia/Tokyo', jst('2026-01-15T21:00') - 1)).toBe(true);
    expect(nextOpening(RULES, 'Asia/Tokyo', jst('2026-01-15T21:00') - 1)).toBe(jst('2026-01-15T21:00') - 1);
  });

  test.each([
    ['2026-01-15T21:00', '2026-01-16T08:00', 'Thursday night: Friday 08:00'],
    ['2026-01-16T00:00', '2026-01-16T08:00', 'after midnight: the same morning'],
    ['2026-01-16T21:00', '2026-01-17T09:00', 'Friday night: Saturday 09:00'],
    ['2026-01-18T20:30', '2026-01-19T08:00', 'Sunday evening: Monday 08:00'],
    ['2026-01-17T07:00', '2026-01-17T09:00', 'Saturday early: 09:00 that day'],
  ])('closed at %s opens at %s (%s)', (local, opening) => {
    expect(nextOpening(RULES, 'Asia/Tokyo', jst(local))).toBe(jst(opening));
  });

  test('a window up to 24:00 runs into the next day\'s rule without a gap', () => {
    const rules: SendWindowRule[] = [{ days: ['mon'], from: '22:00', to: '24:00' }, { days: ['tue'], from: '00:00', to: '06:00' }];
    expect(isOpen(rules, 'Asia/Tokyo', jst('2026-01-19T23:59'))).toBe(true);
    expect(isOpen(rules, 'Asia/Tokyo', jst('2026-01-20T00:00'))).toBe(true);
    expect(isOpen(rules, 'Asia/Tokyo', jst('2026-01-20T06:00'))).toBe(false);
    expect(nextOpening(rules, 'Asia/Tokyo', jst('2026-01-20T06:00'))).toBe(jst('2026-01-26T22:00'));
  });
});

describe('a zone with DST (America/New_York)', () => {
  test('spring forward (Sunday 2026-03-08): the weekend window opens at 09:00 EDT, Monday at 08:00 EDT', () => {
    // Saturday 2026-03-07 20:30 EST = 01:30 UTC on the 8th; the clocks jump from 02:00 EST to 03:00 EDT.
    expect(nextOpening(RULES, 'America/New_York', at('2026-03-08T01:30:00Z'))).toBe(at('2026-03-08T13:00:00Z'));
    expect(isOpen(RULES, 'America/New_York', at('2026-03-08T13:59:59Z'))).toBe(true);
    expect(isOpen(RULES, 'America/New_York', at('2026-03-09T00:00:00Z'))).toBe(false);
    expect(nextOpening(RULES, 'America/New_York', at('2026-03-09T00:00:00Z'))).toBe(at('2026-03-09T12:00:00Z'));
  });

  test('fall back (Sunday 2026-11-01): 09:00 EST is 14:00 UTC, and 21:00 Monday closes at 02:00 UTC', () => {
    expect(nextOpening(RULES, 'America/New_York', at('2026-11-01T05:30:00Z'))).toBe(at('2026-11-01T14:00:00Z'));
    expect(isOpen(RULES, 'America/New_York', at('2026-11-03T01:59:59Z'))).toBe(true);
    expect(isOpen(RULES, 'America/New_York', at('2026-11-03T02:00:00Z'))).toBe(false);
  });

  test('a window opening inside the skipped hour opens when the clocks show a time in it (03:00 EDT)', () => {
    const rules: SendWindowRule[] = [{ days: ['sun'], from: '02:30', to: '05:00' }];
    const opening = nextOpening(rules, 'America/New_York', at('2026-03-08T05:00:00Z'));
    expect(opening).toBeDefined();
    expect(isOpen(rules, 'America/New_York', opening ?? 0)).toBe(true);
    expect(opening).toBeLessThanOrEqual(at('2026-03-08T07:30:00Z'));
  });
});

describe('several zones', () => {
  test('the window must be open in all of them: US messages wait until 08:00 in the westernmost zone', () => {
    const zones = countryZones('US');
    expect(zones).toContain('America/New_York');
    expect(zones).toContain('Pacific/Honolulu');
    // Thursday 2026-01-15 14:00 UTC: 09:00 in New York, 04:00 in Honolulu, 03:00 in Adak (UTC-10).
    const opening = nextOpeningInAll(RULES, zones, at('2026-01-15T14:00:00Z'));
    expect(opening).toBe(at('2026-01-15T18:00:00Z'));
    for (const zone of zones) expect(isOpen(RULES, zone, opening ?? 0)).toBe(true);
  });

  test('rules narrower than the zones\' spread follow the middle zone, and the window is open at the opening it gives', () => {
    const narrow = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const, from: '12:00', to: '13:00' }];
    const start = at('2026-01-15T00:30:00Z');
    expect(nextOpeningInAll(narrow, countryZones('RU'), start)).toBeUndefined();
    const opening = windowOpening({ rules: narrow }, { to: '+79161234567' }, start);
    expect(opening).toBeDefined();
    expect(windowOpening({ rules: narrow }, { to: '+79161234567' }, opening ?? 0)).toBeUndefined();
  });

  test('Japan has one zone', () => {
    expect(countryZones('JP')).toEqual(['Asia/Tokyo']);
    expect(countryZones('XX')).toEqual([]);
  });
});

describe('an account window for a message', () => {
  const window = { rules: RULES, tags: { marketing: { rules: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, from: '10:00', to: '18:00' }] } } };

  test('the recipient\'s zone comes from the number\'s country', () => {
    expect(windowOpening(window, { to: '+819012345678' }, jst('2026-01-15T21:00'))).toBe(jst('2026-01-16T08:00'));
    expect(windowOpening(window, { to: '+819012345678' }, jst('2026-01-15T20:59'))).toBeUndefined();
    // 21:00 in Tokyo is 12:00 in London: open there.
    expect(windowOpening(window, { to: '+447700900123' }, jst('2026-01-15T21:00'))).toBeUndefined();
  });

  test('a configured timeZone replaces the recipient\'s', () => {
    expect(windowOpening({ ...window, timeZone: 'Europe/London' }, { to: '+819012345678' }, jst('2026-01-15T21:00'))).toBeUndefined();
  });

  test('otp and 2fa are exempt by default (any case); exemptTags replaces the default', () => {
    expect(windowOpening(window, { to: '+819012345678', tag: 'OTP' }, jst('2026-01-15T23:00'))).toBeUndefined();
    expect(windowOpening(window, { to: '+819012345678', tag: '2fa' }, jst('2026-01-15T23:00'))).toBeUndefined();
    expect(windowOpening({ ...window, exemptTags: ['alert'] }, { to: '+819012345678', tag: 'otp' }, jst('2026-01-15T23:00'))).toBe(jst('2026-01-16T08:00'));
    expect(windowOpening({ ...window, exemptTags: ['alert'] }, { to: '+819012345678', tag: 'alert' }, jst('2026-01-15T23:00'))).toBeUndefined();
  });

  test('a tag with rules of its own follows them', () => {
    expect(windowOpening(window, { to: '+819012345678', tag: 'marketing' }, jst('2026-01-15T09:00'))).toBe(jst('2026-01-15T10:00'));
    expect(windowOpening(window, { to: '+819012345678', tag: 'news' }, jst('2026-01-15T09:00'))).toBeUndefined();
  });

  test('no window: no restriction', () => {
    expect(windowOpening(undefined, { to: '+819012345678' }, jst('2026-01-15T23:00'))).toBeUndefined();
  });
});

describe('configuration checks beyond the schema', () => {
  test.each([
    [{ rules: [{ days: ['mon'], from: '21:00', to: '08:00' }] }, 'accounts[0].sendWindow.rules[0].to'],
    [{ rules: [{ days: ['mon'], from: '08:00', to: '08:00' }] }, 'accounts[0].sendWindow.rules[0].to'],
    [{ rules: RULES, timeZone: 'Mars/Olympus' }, 'accounts[0].sendWindow.timeZone'],
    [{ rules: RULES, tags: { promo: { rules: [WEEKDAYS_8_21, { days: ['sat'], from: '20:00', to: '09:00' }] } } }, 'accounts[0].sendWindow.tags.promo.rules[1].to'],
  ] as const)('%j is refused at %s', (config, field) => {
    expect(sendWindowProblem(config, 'accounts[0].sendWindow')?.[0]).toBe(field);
  });

  test('a sound window passes', () => {
    expect(sendWindowProblem({ rules: RULES, timeZone: 'Asia/Tokyo' }, 'accounts[0].sendWindow')).toBeUndefined();
  });
});
