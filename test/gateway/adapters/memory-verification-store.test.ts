import { expect, test } from 'vitest';
import { MemoryVerificationStore } from '../../../gateway/adapters/memory/memory-verification-store.ts';
import { newVerification, verificationStoreContract, verificationSweepContract, verificationTallyContract } from './verification-store.contract.ts';

verificationStoreContract('memory', (now) => new MemoryVerificationStore(now));
verificationSweepContract('memory', (now) => new MemoryVerificationStore(now));
verificationTallyContract('memory', (now) => new MemoryVerificationStore(now));

test('memory: a verification past its retention is gone, and the store holds a bounded number', async () => {
  let now = 1_780_000_000_000;
  const store = new MemoryVerificationStore(() => now, 10);
  const { record } = await store.open(newVerification({ createdAt: now }), now + 1_000);
  now += 1_000;
  expect(await store.get(record.id)).toBeUndefined();
  const ids: string[] = [];
  for (let i = 0; i < 40; i += 1) ids.push((await store.open(newVerification({ to: `+8190000000${String(i).padStart(2, '0')}`, createdAt: now, expiresAt: now + 300_000 }), now + 86_400_000)).record.id);
  const kept = (await Promise.all(ids.map((id) => store.get(id)))).filter(Boolean).length;
  expect(kept).toBeLessThanOrEqual(10);
  expect(await store.get(ids.at(-1) as string)).toBeDefined();
});
