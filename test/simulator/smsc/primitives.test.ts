import { describe, expect, test } from 'vitest';
import { DueQueue } from '../../../simulator/smsc/due-queue.ts';
import { formatMessageId } from '../../../simulator/smsc/message-ids.ts';
import { pickWeighted, sampleLatency, seededRandom } from '../../../simulator/smsc/random.ts';
import { RateWindow } from '../../../simulator/smsc/rate-window.ts';

describe('RateWindow: at most N in any sliding second', () => {
  test('takes N, refuses the next until the oldest is a second old', () => {
    const window = new RateWindow(3);
    expect([0, 100, 200, 300].map((t) => window.tryTake(t))).toEqual([true, true, true, false]);
    expect(window.tryTake(999)).toBe(false);
    expect(window.tryTake(1000)).toBe(true);
    expect(window.tryTake(1050)).toBe(false);
    expect(window.tryTake(1100)).toBe(true);
  });
});

describe('DueQueue', () => {
  test('runs by due time, FIFO among equal times, immediate work in one batch', async () => {
    const queue = new DueQueue();
    const order: string[] = [];
    queue.after(30, () => order.push('30a'));
    queue.after(10, () => order.push('10'));
    queue.after(30, () => order.push('30b'));
    queue.after(0, () => order.push('now'));
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(order).toEqual(['now', '10', '30a', '30b']);
    queue.close();
  });

  test('close drops pending work', async () => {
    const queue = new DueQueue();
    let ran = false;
    queue.after(5, () => {
      ran = true;
    });
    queue.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ran).toBe(false);
  });
});

describe('message ids and randomness', () => {
  test.each([
    [255, 'hex', 0, 'ff'],
    [255, 'decimal', 0, '255'],
    [255, 'hex', 8, '000000ff'],
    [1000000000, 'decimal', 12, '001000000000'],
  ] as const)('%d as %s width %d is %s', (value, format, width, expected) => {
    expect(formatMessageId(value, format, width)).toBe(expected);
  });

  test('latency samples stay in range and the normal one is centred', () => {
    const random = seededRandom(3);
    const uniform = Array.from({ length: 1000 }, () => sampleLatency({ kind: 'uniform', minMs: 10, maxMs: 20 }, random));
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...uniform)).toBeLessThanOrEqual(20);
    const normal = Array.from({ length: 4000 }, () => sampleLatency({ kind: 'normal', meanMs: 100, stdDevMs: 10 }, random));
    const mean = normal.reduce((a, b) => a + b, 0) / normal.length;
    expect(Math.abs(mean - 100)).toBeLessThan(2);
    expect(Math.min(...normal)).toBeGreaterThanOrEqual(0);
  });

  test('weighted choice follows the weights', () => {
    const random = seededRandom(9);
    const items = [
      { name: 'a', weight: 3 },
      { name: 'b', weight: 1 },
    ];
    const picks = Array.from({ length: 4000 }, () => pickWeighted(items, random)?.name);
    const share = picks.filter((p) => p === 'a').length / picks.length;
    expect(share).toBeGreaterThan(0.7);
    expect(share).toBeLessThan(0.8);
  });
});
