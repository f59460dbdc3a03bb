import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { decodeScts, encodeRelativeValidity, encodeScts, fromHex, relativeValidityMinutes, toHex } from '../../../drivers/codec/index.ts';

describe('TP-SCTS (TS 23.040 9.2.3.11)', () => {
  test.each([
    // Source: python-gsmmodem test/test_pdu.py TestTimestamp.
    ['51117200000000', '2015-11-27T00:00:00.000Z', 0],
    ['51117200000080', '2015-11-26T22:00:00.000Z', 8],
    ['70402132522423', '2007-04-12T15:25:42.000Z', 32],
    ['7040213252242B', '2007-04-13T07:25:42.000Z', -32],
    // Source: fkgi/sms statusreport_test.go (2011-03-22 14:25:40 at UTC+9).
    ['11302241520463', '2011-03-22T05:25:40.000Z', 36],
  ])('%s is %s with %i quarter hours', (hex, iso, tz) => {
    const decoded = decodeScts(fromHex(hex), 0);
    expect(decoded).toEqual({ date: new Date(iso), tzQuarterHours: tz });
    expect(toHex(encodeScts(new Date(iso), tz))).toBe(hex);
  });

  test('two-digit years 90-99 are the 1990s', () => {
    // Source: the SMS-DELIVER of the PDU-format tutorial, 99-03-29 15:16:59 at UTC+2.
    expect(decodeScts(fromHex('99309251619580'), 0).date.toISOString()).toBe('1999-03-29T13:16:59.000Z');
  });

  test('any instant round-trips through any time zone', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1991, 0, 1), max: Date.UTC(2088, 11, 31) }), fc.integer({ min: -79, max: 79 }), (ms, tz) => {
        const date = new Date(Math.floor(ms / 1000) * 1000);
        expect(decodeScts(encodeScts(date, tz), 0)).toEqual({ date, tzQuarterHours: tz });
      }),
    );
  });

  test.each([
    ['5111720000', 'CODEC_TRUNCATED_PDU'],
    ['5A117200000000', 'CODEC_INVALID_TIMESTAMP'],
    ['51317200000000', 'CODEC_INVALID_TIMESTAMP'], // month 13
    ['51117200000600', 'CODEC_INVALID_TIMESTAMP'], // second 60
  ])('rejects %s', (hex, code) => {
    expect(() => decodeScts(fromHex(hex), 0)).toThrow(expect.objectContaining({ code }));
  });

  test('refuses to encode what two digits cannot hold', () => {
    expect(() => encodeScts(new Date('2100-01-01T00:00:00Z'))).toThrow(expect.objectContaining({ code: 'CODEC_INVALID_TIMESTAMP' }));
    expect(() => encodeScts(new Date(Number.NaN))).toThrow(expect.objectContaining({ code: 'CODEC_INVALID_TIMESTAMP' }));
    expect(() => encodeScts(new Date(), 80)).toThrow(expect.objectContaining({ code: 'CODEC_INVALID_TIMESTAMP' }));
  });
});

describe('relative TP-VP (TS 23.040 9.2.3.12.1)', () => {
  test.each([
    // Source: python-gsmmodem test/test_pdu.py TestRelativeValidityPeriod.
    [30, 5, 30, false],
    [16 * 60, 151, 960, false],
    [3 * 1440, 169, 4320, false],
    [5 * 10080, 197, 50400, false],
    // Boundaries of each range, and the smallest period at least as long as asked.
    [1, 0, 5, false],
    [5, 0, 5, false],
    [6, 1, 10, false],
    [720, 143, 720, false],
    [721, 144, 750, false],
    [1440, 167, 1440, false],
    [1441, 168, 2880, false],
    [30 * 1440, 196, 43200, false],
    [30 * 1440 + 1, 197, 50400, false],
    [63 * 10080, 255, 635040, false],
    [63 * 10080 + 1, 255, 635040, true],
  ])('%i minutes -> TP-VP %i (%i minutes, clamped %s)', (minutes, vp, actual, clamped) => {
    expect(encodeRelativeValidity(minutes)).toEqual({ vp, minutes: actual, clamped });
    expect(relativeValidityMinutes(vp)).toBe(actual);
  });

  test('every TP-VP is the smallest for its own period', () => {
    for (let vp = 0; vp <= 255; vp++) expect(encodeRelativeValidity(relativeValidityMinutes(vp)).vp).toBe(vp);
  });

  test.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s minutes', (minutes) => {
    expect(() => encodeRelativeValidity(minutes)).toThrow(expect.objectContaining({ code: 'CODEC_INVALID_OPTION' }));
  });
});
