/**
 * Sliding-window counters on Redis: one sorted set per key of its hit times within the window (one script per key,
 * so keys of different slots work on a Cluster), expiring with the window; the limits of one request go in one
 * pipelined round trip.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { countOf, keptHits, type RateCount, type RateCounter, type RateLimit } from '../../ports/rate-counter.ts';
import type { RedisKeys } from './redis-keys.ts';

/**
 * KEYS: the hit set. ARGV: now, window ms, '1' to add a hit, the most hits kept, a unique member.
 * Answers the hits in the window (this one included when added) and the oldest hit's time.
 */
const HIT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
local hits = redis.call('ZCARD', KEYS[1])
if ARGV[3] == '1' then
  if hits < tonumber(ARGV[4]) then redis.call('ZADD', KEYS[1], ARGV[1], ARGV[5]) end
  hits = hits + 1
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]
return {hits, oldest or false}
`;

export class RedisRateCounter implements RateCounter {
  /** The script's SHA once loaded: the pipeline sends EVALSHA, not the script text, for every key. */
  private sha: string | undefined;

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
    let replies = await this.exec(limits, now, add);
    // A restarted server (or SCRIPT FLUSH) forgot the script: load it again and run the batch once more. A hit
    // answered NOSCRIPT was not counted, so nothing counts twice.
    if (replies.some(([error]) => error instanceof Error && error.message.startsWith('NOSCRIPT'))) {
      this.sha = undefined;
      replies = await this.exec(limits, now, add);
    }
    return limits.map((limit, i) => {
      const [error, reply] = replies[i] ?? [new Error('no reply from Redis'), undefined];
      if (error) throw error;
      const [hits, oldest] = reply as [number, string | null];
      return countOf(limit, Number(hits), oldest === null ? undefined : Number(oldest), now);
    });
  }

  private async exec(limits: readonly RateLimit[], now: number, add: boolean): Promise<[Error | null, unknown][]> {
    this.sha ??= (await this.redis.script('LOAD', HIT)) as string;
    const pipeline = this.redis.pipeline();
    for (const limit of limits) {
      const member = `${now}:${randomBytes(6).toString('base64url')}`;
      pipeline.evalsha(this.sha, 1, this.keys.rate(limit.key, limit.windowMs), now, limit.windowMs, add ? '1' : '0', keptHits(limit.limit), member);
    }
    return (await pipeline.exec()) ?? [];
  }
}
