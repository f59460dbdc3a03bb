/**
 * Sliding-window counters on Redis: one key per bucket (INCR, expiring after two windows), the previous bucket
 * read beside it; one pipelined round trip for all the limits of a request.
 */
import type { Redis } from 'ioredis';
import { bucketOf, retryAfter, slidingCount, type RateCount, type RateCounter, type RateLimit } from '../../ports/rate-counter.ts';
import type { RedisKeys } from './redis-keys.ts';

export class RedisRateCounter implements RateCounter {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  hit(limits: readonly RateLimit[], now: number): Promise<RateCount[]> {
    return this.run(limits, now, true);
  }

  peek(limits: readonly RateLimit[], now: number): Promise<RateCount[]> {
    return this.run(limits, now, false);
  }

  private async run(limits: readonly RateLimit[], now: number, add: boolean): Promise<RateCount[]> {
    const pipeline = this.redis.pipeline();
    for (const limit of limits) {
      const { index } = bucketOf(now, limit.windowMs);
      const current = this.keys.rate(limit.key, limit.windowMs, index);
      if (add) pipeline.incr(current).pexpire(current, 2 * limit.windowMs);
      else pipeline.get(current);
      pipeline.get(this.keys.rate(limit.key, limit.windowMs, index - 1));
    }
    const replies = (await pipeline.exec()) ?? [];
    const per = add ? 3 : 2;
    return limits.map((limit, i) => {
      const error = replies.slice(i * per, i * per + per).find(([failure]) => failure !== null)?.[0];
      if (error) throw error;
      const current = Number(replies[i * per]?.[1] ?? 0);
      const previous = Number(replies[i * per + per - 1]?.[1] ?? 0);
      return { key: limit.key, count: slidingCount(current, previous, bucketOf(now, limit.windowMs).through), limit: limit.limit, retryAfterMs: retryAfter(now, limit.windowMs) };
    });
  }
}
