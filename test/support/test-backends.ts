/**
 * The message backends an end-to-end suite runs against: memory, and Redis under a fresh key prefix per backend
 * made. `removeRedisKeys` deletes every key those prefixes made (call it from `afterAll`).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createMemoryBackend, createRedisBackend } from '../../gateway/index.ts';
import type { MessageBackend } from '../../gateway/ports/backend.ts';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestBackends {
  /**
   * [name, factory] rows for `describe.each`. A suite that moves a clock of its own passes it: the memory backend
   * judges retention by it (a record kept a day from a fixed date in the test is gone by the real clock a day later).
   */
  readonly rows: [string, (now?: () => number) => MessageBackend][];
  removeRedisKeys(): Promise<void>;
}

export function testBackends(): TestBackends {
  const prefixes: string[] = [];
  return {
    rows: [
      ['memory', (now) => createMemoryBackend(now === undefined ? {} : { now })],
      [
        'redis',
        () => {
          const prefix = `smsgw-test:${randomUUID()}:`;
          prefixes.push(prefix);
          return createRedisBackend({ url: REDIS_URL, prefix });
        },
      ],
    ],
    async removeRedisKeys() {
      if (prefixes.length === 0) return;
      const redis = new Redis(REDIS_URL);
      for (const prefix of prefixes.splice(0)) {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
      }
      await redis.quit();
    },
  };
}
