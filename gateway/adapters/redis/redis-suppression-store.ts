/**
 * Suppressions on Redis, per account: a hash of entries by listing key (number, then sender), a sorted set of the
 * same keys (all at score 0, so ZRANGEBYLEX pages them in order) and a list per number with its consent history.
 * An account's keys share one hash tag, so a Redis Cluster keeps them on one slot and the scripts stay atomic.
 */
import type { RedisClient } from './redis-connection.ts';
import {
  consentOf,
  suppressionKey,
  type ConsentEvent,
  type SuppressionEntry,
  type SuppressionPage,
  type SuppressionStore,
} from '../../ports/suppression-store.ts';
import type { RedisKeys } from './redis-keys.ts';
import { RedisScript } from './redis-script.ts';

/** KEYS: entries hash, index, history list. ARGV: listing key, lift (JSON). Answers the removed entry or false. */
const REMOVE = new RedisScript(`
local entry = redis.call('HGET', KEYS[1], ARGV[1])
if not entry then return false end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('RPUSH', KEYS[3], ARGV[2])
return entry
`);

export class RedisSuppressionStore implements SuppressionStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async add(entry: SuppressionEntry): Promise<boolean> {
    const key = suppressionKey(entry.number, entry.sender);
    const { entries, index, history } = this.keysOf(entry.accountId, entry.number);
    const results = await this.redis
      .multi()
      .hset(entries, key, JSON.stringify(entry))
      .zadd(index, 0, key)
      .rpush(history, JSON.stringify(consentOf(entry)))
      .exec();
    return results?.[0]?.[1] === 1;
  }

  async remove(accountId: string, number: string, sender: string | undefined, lift: ConsentEvent): Promise<SuppressionEntry | undefined> {
    const { entries, index, history } = this.keysOf(accountId, number);
    const removed = await REMOVE.run(this.redis, [entries, index, history], [suppressionKey(number, sender), JSON.stringify(lift)]);
    return typeof removed === 'string' ? (JSON.parse(removed) as SuppressionEntry) : undefined;
  }

  async match(accountId: string, number: string, sender: string | undefined): Promise<SuppressionEntry | undefined> {
    const fields = [suppressionKey(number, undefined), ...(sender === undefined ? [] : [suppressionKey(number, sender)])];
    const values = await this.redis.hmget(this.keysOf(accountId, number).entries, ...fields);
    const found = values.find((value): value is string => value !== null);
    return found === undefined ? undefined : (JSON.parse(found) as SuppressionEntry);
  }

  async entries(accountId: string, number: string): Promise<SuppressionEntry[]> {
    const { entries, index } = this.keysOf(accountId, number);
    const prefix = suppressionKey(number, undefined);
    // Every key of the number starts with `<number>\0`; `\u0001` sorts right after `\0`, closing the range.
    const keys = await this.redis.zrangebylex(index, `[${prefix}`, `(${number}\u0001`);
    return this.read(entries, keys);
  }

  async history(accountId: string, number: string): Promise<ConsentEvent[]> {
    const values = await this.redis.lrange(this.keysOf(accountId, number).history, 0, -1);
    return values.map((value) => JSON.parse(value) as ConsentEvent);
  }

  async list(accountId: string, limit: number, after?: string): Promise<SuppressionPage> {
    const { entries, index } = this.keysOf(accountId, '');
    const keys = await this.redis.zrangebylex(index, after === undefined ? '-' : `(${after}`, '+', 'LIMIT', 0, limit + 1);
    const page = keys.slice(0, limit);
    const read = await this.read(entries, page);
    const last = page.at(-1);
    return keys.length > limit && last !== undefined ? { entries: read, next: last } : { entries: read };
  }

  count(accountId: string): Promise<number> {
    return this.redis.zcard(this.keysOf(accountId, '').index);
  }

  private async read(entries: string, keys: readonly string[]): Promise<SuppressionEntry[]> {
    if (keys.length === 0) return [];
    const values = await this.redis.hmget(entries, ...keys);
    return values.filter((value): value is string => value !== null).map((value) => JSON.parse(value) as SuppressionEntry);
  }

  private keysOf(accountId: string, number: string): { entries: string; index: string; history: string } {
    return this.keys.suppressions(accountId, number);
  }
}
