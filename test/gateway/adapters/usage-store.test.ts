import { expect, test } from 'vitest';
import { MemoryUsageStore } from '../../../gateway/index.ts';
import type { UsageCount } from '../../../gateway/ports/usage-store.ts';
import { usageStoreContract } from './usage-store.contract.ts';

usageStoreContract('memory', () => Promise.resolve(new MemoryUsageStore()));

test('a once-key is forgotten after its time to live (a replay can no longer come)', async () => {
  let now = 0;
  const store = new MemoryUsageStore({ now: () => now, markerTtlMs: 1_000 });
  const count = { accountId: 'shop', once: 'm1:billed', day: '2026-01-15', add: { '|m': 1 } };
  expect(await store.count(count)).toBe(true);
  now = 999;
  expect(await store.count(count)).toBe(false);
  now = 1_000;
  expect(await store.count(count)).toBe(true);
});

test('once-keys are bounded by count: a replay soon after is refused, and the store holds at most about maxMarkers', async () => {
  const store = new MemoryUsageStore({ now: () => 0, maxMarkers: 10 });
  const count = (i: number): UsageCount => ({ accountId: 'shop', once: `m${i}:billed`, day: '2026-01-15', add: { '|m': 1 } });
  for (let i = 0; i < 1_000; i += 1) {
    expect(await store.count(count(i))).toBe(true);
    expect(await store.count(count(i))).toBe(false);
  }
  expect(await store.count(count(999))).toBe(false);
  expect(store.markerCount).toBeLessThanOrEqual(10);
  expect((await store.days('shop', ['2026-01-15']))[0]?.figures).toEqual({ '|m': 1_000 });
});
