/**
 * Sliding-window counters on Redis: one sorted set per key of its hit times within the window, expiring with the
 * window. Each key is one script call of its own (keys of one request may sit on different masters of a Redis
 * Cluster); the calls of one request are sent together, without waiting for each other's replies.
 */
import { randomBytes } from 'node:crypto';
import { countOf, keptHits, type RateCount, type RateCounter, type RateLimit } from '../../ports/rate-counter.ts';
import type { RedisClient } from './redis-connection.ts';
import type { RedisKeys } from './redis-keys.ts';
import { RedisScript } from './redis-script.ts';

/**
 * KEYS: the hit set. ARGV: now, window ms, '1' to add a hit, the most hits kept, a unique member.
 * Answers the hits in the window (this one included when added) and the oldest hit's time.
 */
const HIT = new RedisScript(`
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
local hits = redis.call('ZCARD', KEYS[1])
if ARGV[3] == '1' then
  if hits < tonumber(ARGV[4]) then redis.call('ZADD', KEYS[1], ARGV[1], ARGV[5]) end
  hits = hits + 1
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]
return {hits, oldest or false}
`);

export class RedisRateCounter implements RateCounter {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  hit(limits: readonly RateLimit[], now: number): Promise<RateCount[]> {
    return this.run(limits, now, true);
  }

  peek(limits: readonly RateLimit[], now: number): Promise<RateCount[]> {
    return this.run(limits, now, false);
  }

  private run(limits: readonly RateLimit[], now: number, add: boolean): Promise<RateCount[]> {
    return Promise.all(
      limits.map(async (limit) => {
        const member = `${now}:${randomBytes(6).toString('base64url')}`;
        const args = [now, limit.windowMs, add ? '1' : '0', keptHits(limit.limit), member];
        const [hits, oldest] = (await HIT.run(this.redis, [this.keys.rate(limit.key, limit.windowMs)], args)) as [number, string | null];
        return countOf(limit, Number(hits), oldest === null ? undefined : Number(oldest), now);
      }),
    );
  }
}
