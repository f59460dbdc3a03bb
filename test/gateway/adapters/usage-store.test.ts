import { expect, test } from 'vitest';
import { MemoryUsageStore } from '../../../gateway/index.ts';
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
