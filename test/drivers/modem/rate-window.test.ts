import { describe, expect, test } from 'vitest';
import { DailyCounter, RateWindow } from '../../../drivers/modem/rate-window.ts';

describe('RateWindow', () => {
  test('allows perMinute parts in any 60 s and frees them as they age', () => {
    const window = new RateWindow(6);
    window.take(4, 0);
    expect(window.fits(2, 1000)).toBe(true);
    expect(window.fits(3, 1000)).toBe(false);
    window.take(2, 10_000);
    expect(window.room(59_999)).toBe(0);
    expect(window.waitMs(30_000)).toBe(30_000);
    expect(window.room(60_000)).toBe(4);
    expect(window.room(70_000)).toBe(6);
  });

  test('a message longer than the limit goes through an empty window, never a busy one', () => {
    const window = new RateWindow(2);
    expect(window.fits(3, 0)).toBe(true);
    window.take(1, 0);
    expect(window.fits(3, 1)).toBe(false);
  });
});

describe('DailyCounter', () => {
  test('counts per UTC day and refuses beyond the cap', () => {
    const day = 86_400_000;
    const counter = new DailyCounter(5);
    counter.add(4, day * 10 + 5);
    expect(counter.fits(1, day * 10 + 6)).toBe(true);
    expect(counter.fits(2, day * 10 + 6)).toBe(false);
    expect(counter.sentToday(day * 11)).toBe(0);
    expect(counter.fits(5, day * 11)).toBe(true);
  });

  test('no cap', () => {
    const counter = new DailyCounter(null);
    counter.add(1_000_000, 0);
    expect(counter.fits(1, 0)).toBe(true);
  });
});
