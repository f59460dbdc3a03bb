/**
 * One contract for every RateCounter adapter (memory, Redis).
 */
import { describe, expect, test } from 'vitest';
import { overLimit, type RateCounter } from '../../../gateway/ports/rate-counter.ts';

const MIN = 60_000;
const T0 = 1_780_000_200_000 - (1_780_000_200_000 % (10 * MIN));

export function rateCounterContract(name: string, make: () => RateCounter): void {
  describe(`RateCounter contract: ${name}`, () => {
    test('counts every hit per key; the hit over the limit is the one named', async () => {
      const counter = make();
      const limits = [
        { key: 'n:+819012345678', limit: 3, windowMs: 10 * MIN },
        { key: 'acct:a', limit: 100, windowMs: 10 * MIN },
      ];
      const answers = [];
      for (let i = 0; i < 5; i += 1) answers.push(await counter.hit(limits, T0 + i * 1_000));
      expect(answers.map((a) => a[0]?.count)).toEqual([1, 2, 3, 4, 5]);
      expect(answers.map((a) => overLimit(a)?.key)).toEqual([undefined, undefined, undefined, 'n:+819012345678', 'n:+819012345678']);
      expect((await counter.peek([{ key: 'n:+819012345679', limit: 3, windowMs: 10 * MIN }], T0))[0]?.count).toBe(0);
      expect((await counter.peek(limits, T0 + 6_000))[1]?.count).toBe(5);
    });

    test('the previous bucket counts as much as the sliding window still covers it', async () => {
      const counter = make();
      const limit = { key: 'p:+8190123', limit: 10, windowMs: 10 * MIN };
      for (let i = 0; i < 10; i += 1) await counter.hit([limit], T0 + i);
      // A quarter into the next bucket, three quarters of the previous one still count: 7 (floor of 7.5) + 1.
      const [quarter] = await counter.hit([limit], T0 + 10 * MIN + 2.5 * MIN);
      expect(quarter?.count).toBe(8);
      expect(quarter?.retryAfterMs).toBe(7.5 * MIN + 10 * MIN);
      // Two windows on, nothing is left.
      expect((await counter.peek([limit], T0 + 30 * MIN))[0]?.count).toBe(0);
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
