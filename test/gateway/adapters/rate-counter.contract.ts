/**
 * One contract for every RateCounter adapter (memory, Redis).
 */
import { describe, expect, test } from 'vitest';
import { overLimit, type RateCounter } from '../../../gateway/ports/rate-counter.ts';

const MIN = 60_000;
const T0 = 1_780_000_123_456;

export function rateCounterContract(name: string, make: () => RateCounter): void {
  describe(`RateCounter contract: ${name}`, () => {
    test('counts every hit per key; the hit over the limit is the one named, with when to come back', async () => {
      const counter = make();
      const limits = [
        { key: 'n:+819012345678', limit: 3, windowMs: 10 * MIN },
        { key: 'acct:a', limit: 100, windowMs: 10 * MIN },
      ];
      const answers = [];
      for (let i = 0; i < 5; i += 1) answers.push(await counter.hit(limits, T0 + i * 1_000));
      expect(answers.map((a) => a[0]?.count)).toEqual([1, 2, 3, 4, 5]);
      expect(answers.map((a) => overLimit(a)?.key)).toEqual([undefined, undefined, undefined, 'n:+819012345678', 'n:+819012345678']);
      // The oldest hit (T0) leaves the window at T0 + 10 min.
      expect(answers[4]?.[0]?.retryAfterMs).toBe(10 * MIN - 4_000);
      expect(answers[0]?.[0]?.retryAfterMs).toBe(0);
      expect((await counter.peek([{ key: 'n:+819012345679', limit: 3, windowMs: 10 * MIN }], T0))[0]?.count).toBe(0);
      expect((await counter.peek(limits, T0 + 6_000))[1]?.count).toBe(5);
    });

    test('the window slides exactly: hits leave it one by one, wherever a clock boundary falls', async () => {
      const counter = make();
      const limit = { key: 'r:+8190123', limit: 5, windowMs: 10 * MIN };
      for (let i = 0; i < 5; i += 1) await counter.hit([limit], T0 + i * MIN);
      // The sixth, just before the first leaves, is over; a minute later one has left and one more fits.
      expect((await counter.hit([limit], T0 + 10 * MIN - 1))[0]?.count).toBe(6);
      expect((await counter.peek([limit], T0 + 10 * MIN))[0]?.count).toBe(5);
      expect((await counter.peek([limit], T0 + 14 * MIN + 1))[0]?.count).toBe(1);
      expect((await counter.peek([limit], T0 + 30 * MIN))[0]?.count).toBe(0);
    });

    test('hammering keeps the key refused but keeps at most twice the limit of hits', async () => {
      const counter = make();
      const limit = { key: 'hammer', limit: 3, windowMs: MIN };
      for (let i = 0; i < 50; i += 1) await counter.hit([limit], T0 + i);
      // 6 hits are kept; the others counted only at the moment they came.
      expect((await counter.peek([limit], T0 + 100))[0]?.count).toBe(6);
      expect(overLimit(await counter.hit([limit], T0 + 101))).toBeDefined();
    });

    test('the same key with two windows keeps two counts', async () => {
      const counter = make();
      const short = { key: 'k', limit: 1, windowMs: MIN };
      const long = { key: 'k', limit: 5, windowMs: 60 * MIN };
      await counter.hit([short, long], T0);
      await counter.hit([long], T0 + 1);
      const [s, l] = await counter.peek([short, long], T0 + 2);
      expect([s?.count, l?.count]).toEqual([1, 2]);
    });
  });
}
