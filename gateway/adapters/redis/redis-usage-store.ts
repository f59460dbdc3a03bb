/**
 * Usage and quota counters on Redis: one hash per account and day of usage, one hash per account and quota
 * period. Each count and each quota take is one Lua script, so it is atomic across every process of the
 * deployment: a message is counted once whichever process sees its event first, and no two processes can both
 * take the last unit of a quota.
 */
import type { RedisClient } from './redis-connection.ts';
import type { QuotaAnswer, QuotaTake, UsageCount, UsageDay, UsageStore } from '../../ports/usage-store.ts';
import { USAGE_MARKER_TTL_MS } from '../memory/memory-usage-store.ts';
import type { RedisKeys } from './redis-keys.ts';
import { RedisScript } from './redis-script.ts';

/** Days of usage are kept a little over a year (the longest range a report covers is 366 days). */
const USAGE_KEEP_SECONDS = 400 * 86_400;

/** KEYS: once marker, day hash. ARGV: marker ttl ms, hash ttl s, then name, value pairs. */
const COUNT = new RedisScript(`
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) == false then return 0 end
for i = 3, #ARGV, 2 do redis.call('HINCRBY', KEYS[2], ARGV[i], tonumber(ARGV[i + 1])) end
redis.call('EXPIRE', KEYS[2], ARGV[2])
return 1
`);

/**
 * KEYS: once marker and day hash of each count (one account's: one hash slot). ARGV: marker ttl ms, hash ttl s,
 * then per count its number of name, value pairs and the pairs. Returns 1 or 0 per count (0: counted before).
 */
const COUNT_MANY = new RedisScript(`
local counted = {}
local at = 3
for i = 1, #KEYS / 2 do
  local n = tonumber(ARGV[at])
  if redis.call('SET', KEYS[2 * i - 1], '1', 'NX', 'PX', ARGV[1]) == false then
    counted[i] = 0
  else
    for j = at + 1, at + 2 * n, 2 do redis.call('HINCRBY', KEYS[2 * i], ARGV[j], tonumber(ARGV[j + 1])) end
    redis.call('EXPIRE', KEYS[2 * i], ARGV[2])
    counted[i] = 1
  end
  at = at + 1 + 2 * n
end
return counted
`);

/**
 * KEYS: one period counter per limit. ARGV: messages, segments, then per limit: unit, limit, keep seconds.
 * Returns {0, 0} when taken, else {index of the first limit crossed, used}.
 */
const TAKE = new RedisScript(`
local amount = { messages = tonumber(ARGV[1]), segments = tonumber(ARGV[2]) }
for i = 1, #KEYS do
  local unit = ARGV[3 * i]
  local used = tonumber(redis.call('HGET', KEYS[i], unit) or '0')
  if used + amount[unit] > tonumber(ARGV[3 * i + 1]) then return { i, used } end
end
local done = {}
for i = 1, #KEYS do
  if not done[KEYS[i]] then
    done[KEYS[i]] = true
    redis.call('HINCRBY', KEYS[i], 'messages', amount.messages)
    redis.call('HINCRBY', KEYS[i], 'segments', amount.segments)
    redis.call('EXPIRE', KEYS[i], ARGV[3 * i + 2])
  end
end
return { 0, 0 }
`);

/** KEYS: distinct period counters. ARGV: messages, segments. Never below zero. */
const GIVE_BACK = new RedisScript(`
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    for unit, n in pairs({ messages = tonumber(ARGV[1]), segments = tonumber(ARGV[2]) }) do
      if redis.call('HINCRBY', KEYS[i], unit, -n) < 0 then redis.call('HSET', KEYS[i], unit, 0) end
    end
  end
end
return 1
`);

export class RedisUsageStore implements UsageStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async count(count: UsageCount): Promise<boolean> {
    const pairs = Object.entries(count.add).flatMap(([name, value]) => [name, value]);
    const counted = await COUNT.run(this.redis, [this.keys.usageCounted(count.accountId, count.once), this.keys.usage(count.accountId, count.day)], [USAGE_MARKER_TTL_MS, USAGE_KEEP_SECONDS, ...pairs]);
    return counted === 1;
  }

  /** One script per account (an account's usage keys share its hash tag), all sent in one round trip. */
  async countMany(counts: readonly UsageCount[]): Promise<boolean[]> {
    const byAccount = new Map<string, number[]>();
    counts.forEach((count, index) => {
      const indexes = byAccount.get(count.accountId);
      if (indexes === undefined) byAccount.set(count.accountId, [index]);
      else indexes.push(index);
    });
    const counted: boolean[] = counts.map(() => false);
    await Promise.all(
      [...byAccount].map(async ([accountId, indexes]) => {
        const keys: string[] = [];
        const args: (string | number)[] = [USAGE_MARKER_TTL_MS, USAGE_KEEP_SECONDS];
        for (const index of indexes) {
          const count = counts[index] as UsageCount;
          keys.push(this.keys.usageCounted(accountId, count.once), this.keys.usage(accountId, count.day));
          const pairs = Object.entries(count.add);
          args.push(pairs.length);
          for (const [name, value] of pairs) args.push(name, value);
        }
        const replies = (await COUNT_MANY.run(this.redis, keys, args)) as number[];
        indexes.forEach((index, position) => (counted[index] = replies[position] === 1));
      }),
    );
    return counted;
  }

  async days(accountId: string, days: readonly string[]): Promise<UsageDay[]> {
    if (days.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const day of days) pipeline.hgetall(this.keys.usage(accountId, day));
    const results = (await pipeline.exec()) ?? [];
    return days.map((day, index) => {
      const [error, hash] = results[index] ?? [null, {}];
      if (error !== null) throw error;
      return { day, figures: Object.fromEntries(Object.entries((hash ?? {}) as Record<string, string>).map(([name, value]) => [name, Number(value)])) };
    });
  }

  async take(take: QuotaTake): Promise<QuotaAnswer> {
    const keys = take.limits.map((limit) => this.keys.quota(take.accountId, limit.periodKey));
    const args = take.limits.flatMap((limit) => [limit.unit, limit.limit, limit.keepSeconds]);
    const [index, used] = (await TAKE.run(this.redis, keys, [take.messages, take.segments, ...args])) as [number, number];
    const limit = take.limits[index - 1];
    return index === 0 || limit === undefined ? { taken: true } : { taken: false, limit, used };
  }

  async giveBack(take: QuotaTake): Promise<void> {
    const keys = [...new Set(take.limits.map((limit) => this.keys.quota(take.accountId, limit.periodKey)))];
    if (keys.length > 0) await GIVE_BACK.run(this.redis, keys, [take.messages, take.segments]);
  }
}
