import { expect, test } from 'vitest';
import { MemoryLinkStore } from '../../../gateway/adapters/memory/memory-link-store.ts';
import { linkStoreContract } from './link-store.contract.ts';

linkStoreContract('memory', () => new MemoryLinkStore());

test('a link is gone after its retention, and the store holds at most its capacity', async () => {
  let now = 1_000;
  const store = new MemoryLinkStore(() => now, 4);
  await store.create({ code: 'Gone000001', accountId: 'a', target: 'https://example.com/', expiresAt: 2_000, createdAt: 1_000 }, 3_000);
  now = 2_500;
  expect(await store.click('Gone000001', 'human', now)).toMatchObject({ outcome: 'expired' });
  now = 3_000;
  expect(await store.click('Gone000001', 'human', now)).toEqual({ outcome: 'unknown' });
  for (let i = 0; i < 10; i++) await store.create({ code: `Many00000${i}`, accountId: 'a', target: 'https://example.com/', expiresAt: 9_000, createdAt: now }, 10_000);
  expect(await store.get('Many000000')).toBeUndefined();
  expect(await store.get('Many000009')).toBeDefined();
});
