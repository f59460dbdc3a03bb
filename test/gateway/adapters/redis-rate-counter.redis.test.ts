import { afterAll, expect, test } from 'vitest';
import { redisKeys } from '../../../gateway/adapters/redis/redis-keys.ts';
import { RedisRateCounter } from '../../../gateway/adapters/redis/redis-rate-counter.ts';
import { rateCounterContract } from './rate-counter.contract.ts';
import { redisTestKeys } from '../../support/redis-test-keys.ts';

const testKeys = redisTestKeys();
const { redis } = testKeys;

afterAll(() => testKeys.cleanup());

rateCounterContract('redis', () => {
  const prefix = testKeys.prefix();
  return new RedisRateCounter(redis, redisKeys(prefix));
});

test('redis: a server that forgot the script (a restart, SCRIPT FLUSH) counts on, each hit once', async () => {
  const counter = new RedisRateCounter(redis, redisKeys(testKeys.prefix()));
  const limit = { key: 'flushed', limit: 5, windowMs: 60_000 };
  await counter.hit([limit], 1_000);
  await redis.script('FLUSH');
  expect((await counter.hit([limit], 2_000))[0]?.count).toBe(2);
  expect((await counter.peek([limit], 3_000))[0]?.count).toBe(2);
});
