import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, expect, test } from 'vitest';
import { RedisAutoAckStore } from '../../../gateway/adapters/redis/redis-auto-ack-store.ts';
import { redisKeys } from '../../../gateway/adapters/redis/redis-keys.ts';
import { autoAckStoreContract } from './auto-ack-store.contract.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(REDIS_URL);
const prefixes: string[] = [];

afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  await redis.quit();
});

function fresh(): { store: RedisAutoAckStore; prefix: string } {
  const prefix = `smsgw-test:${randomUUID()}:`;
  prefixes.push(prefix);
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
