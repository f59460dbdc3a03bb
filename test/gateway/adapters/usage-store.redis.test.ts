import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { RedisUsageStore, redisKeys } from '../../../gateway/index.ts';
import { usageStoreContract } from './usage-store.contract.ts';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefixes: string[] = [];

afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  await redis.quit();
});

usageStoreContract('redis', () => {
  const prefix = `smsgw-test:${randomUUID()}:`;
  prefixes.push(prefix);
  return Promise.resolve(new RedisUsageStore(redis, redisKeys(prefix)));
});
