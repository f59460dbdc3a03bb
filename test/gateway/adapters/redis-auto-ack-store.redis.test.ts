import { afterAll, expect, test } from 'vitest';
import { RedisAutoAckStore } from '../../../gateway/adapters/redis/redis-auto-ack-store.ts';
import { redisKeys } from '../../../gateway/adapters/redis/redis-keys.ts';
import { autoAckStoreContract } from './auto-ack-store.contract.ts';
import { redisTestKeys } from '../../support/redis-test-keys.ts';

const testKeys = redisTestKeys();
const { redis } = testKeys;

afterAll(() => testKeys.cleanup());

function fresh(): { store: RedisAutoAckStore; prefix: string } {
  const prefix = testKeys.prefix();
  return { store: new RedisAutoAckStore(redis, redisKeys(prefix)), prefix };
}

autoAckStoreContract('redis', () => fresh().store);

test('the mark expires with the window (a key with a TTL, under the account hash tag)', async () => {
  const { store, prefix } = fresh();
  expect(await store.claim('acct-a', '+819012345678', 3_600_000)).toBe(true);
  const key = redisKeys(prefix).autoAck('acct-a', '+819012345678');
  expect(key).toContain('{acct-a}');
  const ttl = await redis.pttl(key);
  expect(ttl).toBeGreaterThan(3_500_000);
  expect(ttl).toBeLessThanOrEqual(3_600_000);
});
