/**
 * Usage per account and day (UTC), in messages and segments, as billed: a message counts once, when it first
 * reaches the carrier (submitted, or a receipt-decided status). The count is idempotent per message, so a
 * replayed event stream counts nothing twice.
 */
import type { Redis } from 'ioredis';
import type { RedisKeys } from './redis-keys.ts';
import { RedisScript } from './redis-script.ts';

/** KEYS: counted marker, usage hash. ARGV: segments, marker ttl ms, usage ttl s. */
const COUNT = new RedisScript(`
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[2]) == false then return 0 end
redis.call('HINCRBY', KEYS[2], 'messages', 1)
redis.call('HINCRBY', KEYS[2], 'segments', tonumber(ARGV[1]))
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 1
`);

export interface UsageDay {
  readonly day: string;
  readonly messages: number;
  readonly segments: number;
}

export class RedisUsage {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** Counts a message once; true when this call counted it. */
  async count(accountId: string, messageId: string, segments: number, at: Date): Promise<boolean> {
    const day = at.toISOString().slice(0, 10);
    const marker = this.keys.usageCounted(messageId);
    const counted = await COUNT.run(this.redis, [marker, this.keys.usage(accountId, day)], [segments, 3 * 86_400_000, 400 * 86_400]);
    return counted === 1;
  }

  /** Days from `from` to `to` (YYYY-MM-DD, inclusive), with zeros for days without traffic. */
  async report(accountId: string, from: string, to: string): Promise<UsageDay[]> {
    const days: string[] = [];
    for (let day = new Date(`${from}T00:00:00Z`); day.toISOString().slice(0, 10) <= to; day = new Date(day.getTime() + 86_400_000)) {
      days.push(day.toISOString().slice(0, 10));
      if (days.length > 366) break;
    }
    const pipeline = this.redis.pipeline();
    for (const day of days) pipeline.hgetall(this.keys.usage(accountId, day));
    const results = (await pipeline.exec()) ?? [];
    return days.map((day, index) => {
      const hash = (results[index]?.[1] ?? {}) as Record<string, string>;
      return { day, messages: Number(hash.messages ?? 0), segments: Number(hash.segments ?? 0) };
    });
  }
}
