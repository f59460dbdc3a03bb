import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { redisKeys } from '../../../gateway/adapters/redis/redis-keys.ts';
import { RedisRateCounter } from '../../../gateway/adapters/redis/redis-rate-counter.ts';
import { rateCounterContract } from './rate-counter.contract.ts';

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

rateCounterContract('redis', () => {
  const prefix = `smsgw-test:${randomUUID()}:`;
  prefixes.push(prefix);
  return new RedisRateCounter(redis, redisKeys(prefix));
});
