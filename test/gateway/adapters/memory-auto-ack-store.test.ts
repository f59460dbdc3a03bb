import { expect, test } from 'vitest';
import { MemoryAutoAckStore } from '../../../gateway/adapters/memory/memory-auto-ack-store.ts';
import { autoAckStoreContract } from './auto-ack-store.contract.ts';

autoAckStoreContract('memory', () => new MemoryAutoAckStore());

test('a mark ends with its window, and expired marks are swept', async () => {
  let now = 1_000;
  const store = new MemoryAutoAckStore(() => now);
  expect(await store.claim('acct-a', '+819012345678', 500)).toBe(true);
  now = 1_499;
  expect(await store.claim('acct-a', '+819012345678', 500)).toBe(false);
  now = 1_500;
  expect(await store.claim('acct-a', '+819012345678', 500)).toBe(true);
  for (let i = 0; i < 2_000; i++) await store.claim('acct-a', `+8190${String(i).padStart(8, '0')}`, 1);
  now += 10;
  for (let i = 0; i < 2_000; i++) expect(await store.claim('acct-b', `+8190${String(i).padStart(8, '0')}`, 1)).toBe(true);
});
