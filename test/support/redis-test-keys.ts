/**
 * Redis for a test file: one client and a fresh key prefix per store made, every key under them deleted in
 * `afterAll` (call `cleanup` there). The suites that make whole backends use `testBackends` instead.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { REDIS_URL } from './test-backends.ts';

export interface RedisTestKeys {
  readonly redis: Redis;
  /** A prefix no other test uses; its keys go in `cleanup`. */
  prefix(): string;
  /** Deletes every key of the prefixes made, then closes the client. */
  cleanup(): Promise<void>;
}

export function redisTestKeys(): RedisTestKeys {
  const redis = new Redis(REDIS_URL);
  const prefixes: string[] = [];
  return {
    redis,
    prefix() {
      const prefix = `smsgw-test:${randomUUID()}:`;
      prefixes.push(prefix);
      return prefix;
    },
    async cleanup() {
      for (const prefix of prefixes.splice(0)) {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
      }
      await redis.quit();
    },
  };
}
