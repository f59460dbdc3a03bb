import { expect, test } from 'vitest';
import { ThroughputMeter } from '../../../gateway/operations/throughput-meter.ts';

const T0 = Date.UTC(2026, 11, 6, 3, 0, 0);

test('parts per second over the last ten seconds, the current second included', () => {
  const meter = new ThroughputMeter(10);
  expect(meter.perSecond('carrier-a', T0)).toBe(0);
  for (let second = 0; second < 10; second++) meter.record('carrier-a', T0 + second * 1000 + 500, 3);
  expect(meter.perSecond('carrier-a', T0 + 9_999)).toBe(3);
  expect(meter.perSecond('carrier-b', T0 + 9_999)).toBe(0);
  // One second later the first second has left the window.
  expect(meter.perSecond('carrier-a', T0 + 10_000)).toBe(2.7);
  // A quiet minute later nothing is left, and a slot reused for a new second starts from zero.
  expect(meter.perSecond('carrier-a', T0 + 70_000)).toBe(0);
  meter.record('carrier-a', T0 + 70_000);
  expect(meter.perSecond('carrier-a', T0 + 70_000)).toBe(0.1);
});

test('a window of one second counts that second only; a window that is not a whole number of seconds is refused', () => {
  const meter = new ThroughputMeter(1);
  meter.record('c', T0, 5);
  meter.record('c', T0 + 999);
  expect(meter.perSecond('c', T0 + 500)).toBe(6);
  expect(meter.perSecond('c', T0 + 1000)).toBe(0);
  expect(() => new ThroughputMeter(0)).toThrow(RangeError);
  expect(() => new ThroughputMeter(2.5)).toThrow(RangeError);
});
