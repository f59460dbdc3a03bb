import { describe, expect, test } from 'vitest';
import { AdaptiveRate } from '../../../drivers/smpp/adaptive-rate.ts';
import { reconnectDelay } from '../../../drivers/smpp/backoff.ts';
import { relativeValidity } from '../../../drivers/smpp-protocol/index.ts';

const throttle = { pauseMs: 1000, decreaseFactor: 0.5, recoveryPerSecond: 0.1, minTps: 1, maxRetries: 5 };

/** PDUs the bucket lets out over `ms` when asked every millisecond. */
function granted(rate: AdaptiveRate, from: number, ms: number): number {
  let n = 0;
  for (let t = from; t < from + ms; t++) while (rate.take(t) === 0) n++;
  return n;
}

describe('AdaptiveRate', () => {
  test.each([10, 100, 5000])('lets out about %i per second', (tps) => {
    const rate = new AdaptiveRate(tps, throttle, 0);
    const n = granted(rate, 0, 2000);
    expect(n).toBeGreaterThanOrEqual(Math.floor(tps * 2 * 0.995) - 1);
    expect(n).toBeLessThanOrEqual(tps * 2 + Math.max(1, tps * 0.05) + 1);
  });

  test('says how long to wait for the next token', () => {
    const rate = new AdaptiveRate(10, throttle, 0);
    expect(rate.take(0)).toBe(0);
    expect(rate.take(0)).toBe(100);
  });

  test('halves once per cool-down and recovers additively', () => {
    const rate = new AdaptiveRate(100, throttle, 0);
    expect(rate.throttled(0)).toBe(50);
    expect(rate.throttled(10)).toBeUndefined();
    expect(rate.throttled(1500)).toBe(25);
    rate.take(2600);
    expect(rate.rate).toBe(35);
    rate.take(9000);
    expect(rate.rate).toBe(95);
    rate.take(10_000);
    expect(rate.rate).toBe(100);
  });

  test('uncapped: the first throttle starts from the observed pace', () => {
    const rate = new AdaptiveRate(0, throttle, 0);
    expect(rate.rate).toBe(Number.POSITIVE_INFINITY);
    for (let i = 0; i < 400; i++) rate.take(500);
    expect(rate.throttled(900)).toBe(200);
    rate.take(100_000);
    expect(rate.rate).toBe(Number.POSITIVE_INFINITY);
  });

  test('never below minTps', () => {
    const rate = new AdaptiveRate(4, { ...throttle, minTps: 2 }, 0);
    for (let t = 0; t < 10_000; t += 1000) rate.throttled(t);
    expect(rate.rate).toBe(2);
  });
});

describe('reconnectDelay', () => {
  const config = { initialMs: 100, maxMs: 1000, multiplier: 2, jitter: 0.2 };
  test.each([
    [0, 0.5, 100],
    [1, 0.5, 200],
    [3, 0.5, 800],
    [4, 0.5, 1000],
    [50, 0.5, 1000],
    [0, 0, 80],
    [0, 1, 120],
  ])('attempt %i with random %f waits %i ms', (attempt, random, expected) => {
    expect(reconnectDelay(config, attempt, () => random)).toBe(expected);
  });
});

describe('relativeValidity', () => {
  test.each([
    [0, '000000000000000R'],
    [90, '000000000130000R'],
    [2 * 86400 + 3600, '000002010000000R'],
    [400 * 86400, '010105000000000R'],
  ])('%i s is %s', (seconds, expected) => {
    expect(relativeValidity(seconds)).toBe(expected);
  });
});
