import fc from 'fast-check';
import { expect, test } from 'vitest';
import { isoTime } from '../../common/index.ts';

const MAX_DATE_MS = 8.64e15;

test('the same text as Date#toISOString for any instant a Date holds, in any order', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -MAX_DATE_MS, max: MAX_DATE_MS }), { minLength: 1, maxLength: 50 }), (instants) => {
      for (const ms of instants) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    }),
    { numRuns: 300 },
  );
});

test('the same text for instants close together, as a busy gateway stamps them (the kept second is reused)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.array(fc.integer({ min: -1500, max: 1500 }), { maxLength: 100 }), (start, steps) => {
      let ms = start;
      for (const step of steps) {
        ms += step;
        expect(isoTime(ms)).toBe(new Date(ms).toISOString());
      }
    }),
    { numRuns: 300 },
  );
});

test('a fraction of a millisecond is dropped as Date drops it, also within the kept second', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.array(fc.double({ min: -999, max: 999, noNaN: true }), { maxLength: 50 }), (start, offsets) => {
      for (const offset of offsets) {
        expect(isoTime(start)).toBe(new Date(start).toISOString());
        expect(isoTime(start + offset)).toBe(new Date(start + offset).toISOString());
      }
    }),
    { numRuns: 300 },
  );
});

test('milliseconds keep their three digits, and the edges of a second and of the range are right', () => {
  const second = Date.UTC(2026, 11, 7, 2, 48, 18);
  for (const ms of [0, 1, 9, 10, 99, 100, 999]) expect(isoTime(second + ms)).toBe(new Date(second + ms).toISOString());
  expect(isoTime(second + 7)).toBe('2026-12-07T02:48:18.007Z');
  expect(isoTime(-1)).toBe('1969-12-31T23:59:59.999Z');
  expect(isoTime(MAX_DATE_MS)).toBe('+275760-09-13T00:00:00.000Z');
  expect(isoTime(MAX_DATE_MS - 1)).toBe(new Date(MAX_DATE_MS - 1).toISOString());
  expect(isoTime(second + 0.5)).toBe(new Date(second + 0.5).toISOString());
});

test('an instant a Date cannot hold is refused as Date#toISOString refuses it', () => {
  expect(() => isoTime(Number.NaN)).toThrow(RangeError);
  expect(() => isoTime(MAX_DATE_MS + 1)).toThrow(RangeError);
});
