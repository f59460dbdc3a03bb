/**
 * Bind leases on Redis: one key per slot holding its owner's name (PX, renewed by its owner), and one sorted set of
 * the live processes scored by the end of their presence. Times come from the Redis server's clock (TIME), so the
 * processes' own clocks need not agree.
 */
import type { BindLeaseStore } from '../../ports/bind-lease-store.ts';
import type { RedisClient } from './redis-connection.ts';
import type { RedisKeys } from './redis-keys.ts';
import { releaseLease, takeLease } from './redis-lease.ts';
import { RedisScript } from './redis-script.ts';

/** KEYS: members. ARGV: owner, ttl ms. Renews the owner's presence, drops the lapsed, answers the live count. */
const PRESENT = new RedisScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 4)
return redis.call('ZCARD', KEYS[1])
`);



export class RedisBindLeaseStore implements BindLeaseStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async present(owner: string, ttlMs: number): Promise<number> {
    return Math.max(1, Number(await PRESENT.run(this.redis, [this.keys.bindMembers], [owner, ttl(ttlMs)])));
  }

  async take(connectorId: string, slot: number, owner: string, ttlMs: number): Promise<boolean> {
    return takeLease(this.redis, this.keys.bindLease(connectorId, slot), owner, ttlMs);
  }

  async release(connectorId: string, slot: number, owner: string): Promise<void> {
    await releaseLease(this.redis, this.keys.bindLease(connectorId, slot), owner);
  }

  async leave(owner: string): Promise<void> {
    await this.redis.zrem(this.keys.bindMembers, owner);
  }

  async holders(connectorId: string, slots: number): Promise<readonly (string | undefined)[]> {
    const names = await Promise.all(Array.from({ length: slots }, (_, slot) => this.redis.get(this.keys.bindLease(connectorId, slot))));
    return names.map((name) => name ?? undefined);
  }
}

function ttl(ms: number): number {
  return Math.max(1, Math.round(ms));
}
