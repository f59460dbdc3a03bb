import { afterAll, expect, test } from 'vitest';
import { RedisLinkStore } from '../../../gateway/adapters/redis/redis-link-store.ts';
import { redisKeys } from '../../../gateway/adapters/redis/redis-keys.ts';
import { redisTestKeys } from '../../support/redis-test-keys.ts';
import { linkStoreContract } from './link-store.contract.ts';

const testKeys = redisTestKeys();
const { redis } = testKeys;

afterAll(() => testKeys.cleanup());

function fresh(): { store: RedisLinkStore; prefix: string } {
  const prefix = testKeys.prefix();
  return { store: new RedisLinkStore(redis, redisKeys(prefix)), prefix };
}

linkStoreContract('redis', () => fresh().store);

test('the link key expires at its retention (expiry plus the 410 grace period)', async () => {
  const { store, prefix } = fresh();
  const retainUntil = Date.now() + 3_600_000;
  await store.create({ code: 'Ttl0000001', accountId: 'a', target: 'https://example.com/', expiresAt: Date.now() + 60_000, createdAt: Date.now() }, retainUntil);
  const ttl = await redis.pttl(redisKeys(prefix).link('Ttl0000001'));
  expect(ttl).toBeGreaterThan(3_500_000);
  expect(ttl).toBeLessThanOrEqual(3_600_000);
});

test('an unreadable stored link is a coded error naming the link', async () => {
  const { store, prefix } = fresh();
  await redis.hset(redisKeys(prefix).link('Bad0000001'), 'l', '{not json', 'x', '1');
  await expect(store.get('Bad0000001')).rejects.toMatchObject({ code: 'GW_CORRUPT_RECORD', details: { link: 'Bad0000001' } });
});
