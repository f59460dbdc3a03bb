import type { Outbox } from '../../events/durable-publisher.ts';
import type { MessageBackend } from '../../ports/backend.ts';
import { RedisBindLeaseStore } from './redis-bind-lease-store.ts';
import { RedisAutoAckStore } from './redis-auto-ack-store.ts';
import { RedisCampaignStore } from './redis-campaign-store.ts';
import { connectRedis, type RedisTarget } from './redis-connection.ts';
import { DEFAULT_KEY_PREFIX, redisKeys } from './redis-keys.ts';
import { RedisLinkStore } from './redis-link-store.ts';
import { RedisMessageStore } from './redis-message-store.ts';
import { RedisInboundStore } from './redis-inbound-store.ts';
import { RedisOutbox } from './redis-outbox.ts';
import { RedisRouteQueue } from './redis-route-queue.ts';
import { RedisRateCounter } from './redis-rate-counter.ts';
import { RedisSuppressionStore } from './redis-suppression-store.ts';
import { RedisVerificationStore } from './redis-verification-store.ts';
import { RedisUsageStore } from './redis-usage-store.ts';
import { RedisWebhookQueue } from './redis-webhook-queue.ts';

export interface RedisBackendOptions {
  /** `redis://…` for one Redis, `redis+cluster://host:port,…` for a Redis Cluster (see redis-connection.ts). */
  readonly url: string | RedisTarget;
  readonly prefix?: string;
}

/** The message backend on Redis, plus what Kafka mode keeps on the same Redis: the event outbox. */
export interface RedisBackend extends MessageBackend {
  readonly outbox: Outbox;
}

/** How long a health check waits for Redis to answer before it counts as down. */
const PING_TIMEOUT_MS = 2_000;

/**
 * Store, route queues, inbound messages, webhook jobs, the event outbox and usage on one Redis or one Redis
 * Cluster, through the one client this backend owns (the route queue adds a client per connector for its
 * blocking reads, which would otherwise stall every other command of the process).
 */
export function createRedisBackend(options: RedisBackendOptions): RedisBackend {
  // The prefix is checked before any connection is opened.
  const keys = redisKeys(options.prefix ?? DEFAULT_KEY_PREFIX);
  // Auto-pipelining batches the accept path's scripts from concurrent requests into few round trips.
  const redis = connectRedis(options.url, { enableAutoPipelining: true, maxRetriesPerRequest: 3 });
  const queue = new RedisRouteQueue(redis, keys);
  const store = new RedisMessageStore(redis, keys);
  return {
    store,
    queue,
    inbound: new RedisInboundStore(redis, keys),
    webhooks: new RedisWebhookQueue(redis, keys),
    suppressions: new RedisSuppressionStore(redis, keys),
    verifications: new RedisVerificationStore(redis, keys),
    rates: new RedisRateCounter(redis, keys),
    autoAcks: new RedisAutoAckStore(redis, keys),
    outbox: new RedisOutbox(redis, keys),
    links: new RedisLinkStore(redis, keys),
    campaigns: new RedisCampaignStore(redis, keys),
    usage: new RedisUsageStore(redis, keys),
    binds: new RedisBindLeaseStore(redis, keys),
    ping: async () => {
      // A cluster client holds commands while it has no master to send them to: the check must not wait on it.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(''), PING_TIMEOUT_MS)));
      const answer = await Promise.race([redis.ping().catch(() => ''), timeout]);
      clearTimeout(timer);
      return answer === 'PONG';
    },
    close: async () => {
      await queue.close();
      await store.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
