import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { RedisSuppressionStore } from '../../../gateway/adapters/redis/redis-suppression-store.ts';
import { redisKeys } from '../../../gateway/adapters/redis/redis-keys.ts';
import { suppressionStoreContract } from './suppression-store.contract.ts';

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

suppressionStoreContract('redis', () => {
  const prefix = `smsgw-test:${randomUUID()}:`;
  prefixes.push(prefix);
  return new RedisSuppressionStore(redis, redisKeys(prefix));
});
