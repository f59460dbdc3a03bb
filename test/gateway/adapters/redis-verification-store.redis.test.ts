import { afterAll, expect, test } from 'vitest';
import { redisKeys } from '../../../gateway/adapters/redis/redis-keys.ts';
import { RedisVerificationStore } from '../../../gateway/adapters/redis/redis-verification-store.ts';
import { newVerification, verificationStoreContract, verificationSweepContract, verificationTallyContract } from './verification-store.contract.ts';
import { Redis } from 'ioredis';
import { redisTestKeys } from '../../support/redis-test-keys.ts';
import { REDIS_URL } from '../../support/test-backends.ts';

const testKeys = redisTestKeys();
const { redis } = testKeys;

afterAll(() => testKeys.cleanup());

function prefix(): string {
  return testKeys.prefix();
}

verificationStoreContract('redis', () => new RedisVerificationStore(redis, redisKeys(prefix())));
verificationSweepContract('redis', () => new RedisVerificationStore(redis, redisKeys(prefix())));
verificationTallyContract('redis', () => new RedisVerificationStore(redis, redisKeys(prefix())));

test('redis: two clients on one Redis (two gateway processes) never reserve more than the attempts between them', async () => {
  const keys = redisKeys(prefix());
  const other = new Redis(REDIS_URL);
  try {
    const a = new RedisVerificationStore(redis, keys);
    const b = new RedisVerificationStore(other, keys);
    const { record } = await a.open(newVerification(), Date.now() + 60_000);
    const t = record.createdAt + 1;
    const attempts = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).reserveAttempt(record.id, t)));
    expect(attempts.filter((x) => x?.reserved === true)).toHaveLength(3);
    expect((await b.get(record.id))?.attempts).toBe(3);
  } finally {
    await other.quit();
  }
});

test('redis: the record expires with its retention and the index with its code', async () => {
  const keys = redisKeys(prefix());
  const store = new RedisVerificationStore(redis, keys);
  const fresh = newVerification({ createdAt: Date.now(), expiresAt: Date.now() + 300_000 });
  const { record } = await store.open(fresh, fresh.createdAt + 3_600_000);
  const ttl = await redis.pttl(keys.verification(record.id, record.id.slice(0, 8)));
  expect(ttl).toBeGreaterThan(3_500_000);
  expect(ttl).toBeLessThanOrEqual(3_600_000);
  const indexTtl = await redis.pttl(keys.verificationIndex(record.id.slice(0, 8), 'acct-a', '+819012345678'));
  expect(indexTtl).toBeGreaterThan(290_000);
  expect(indexTtl).toBeLessThanOrEqual(300_000);
});

test("redis: a day's counts are kept a little over a year, a once key two days, both under the account's hash tag", async () => {
  const keys = redisKeys(prefix());
  const store = new RedisVerificationStore(redis, keys);
  await store.tally({ accountId: 'acct-a', day: '2026-12-06', name: 'expired', once: 'v1:expired:1:0' });
  const stats = keys.verificationStats('acct-a');
  expect(stats.day('2026-12-06')).toContain('{acct-a}');
  expect(stats.once('v1:expired:1:0')).toContain('{acct-a}');
  const dayTtl = await redis.ttl(stats.day('2026-12-06'));
  expect(dayTtl).toBeGreaterThan(399 * 86_400);
  expect(dayTtl).toBeLessThanOrEqual(400 * 86_400);
  const onceTtl = await redis.pttl(stats.once('v1:expired:1:0'));
  expect(onceTtl).toBeGreaterThan(2 * 86_400_000 - 60_000);
  expect(onceTtl).toBeLessThanOrEqual(2 * 86_400_000);
});
