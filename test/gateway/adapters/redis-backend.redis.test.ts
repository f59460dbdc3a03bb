import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { createRedisBackend } from '../../../gateway/adapters/redis/redis-backend.ts';
import { messageBackendContract } from './message-backend.contract.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefixes: string[] = [];

afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  for (const prefix of prefixes) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
  await redis.quit();
});

messageBackendContract('redis', () => {
  const prefix = `smsgw-test:${randomUUID()}:`;
  prefixes.push(prefix);
  return Promise.resolve(createRedisBackend({ url: REDIS_URL, prefix }));
});
