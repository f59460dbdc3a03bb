import { Redis } from 'ioredis';
import type { MessageBackend } from '../../ports/backend.ts';
import { DEFAULT_KEY_PREFIX, redisKeys } from './redis-keys.ts';
import { RedisMessageStore } from './redis-message-store.ts';
import { RedisInboundStore } from './redis-inbound-store.ts';
import { RedisRouteQueue } from './redis-route-queue.ts';
import { RedisWebhookQueue } from './redis-webhook-queue.ts';

export interface RedisBackendOptions {
  readonly url: string;
  readonly prefix?: string;
}

/** Store, route queues, inbound messages and webhook jobs on one Redis, which this backend's client owns. */
export function createRedisBackend(options: RedisBackendOptions): MessageBackend {
  // Auto-pipelining batches the accept path's scripts from concurrent requests into few round trips.
  const redis = new Redis(options.url, { enableAutoPipelining: true, maxRetriesPerRequest: 3 });
  const keys = redisKeys(options.prefix ?? DEFAULT_KEY_PREFIX);
  const queue = new RedisRouteQueue(redis, keys);
  const store = new RedisMessageStore(redis, keys);
  return {
    kind: 'redis',
    store,
    queue,
    inbound: new RedisInboundStore(redis, keys),
    webhooks: new RedisWebhookQueue(redis, keys),
    ping: async () => (await redis.ping().catch(() => '')) === 'PONG',
    close: async () => {
      await queue.close();
      await store.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
