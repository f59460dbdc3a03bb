/**
 * One owner at a time on a key, for a while: the outbox's flush lead, a campaign's runner, a connector's bind
 * slot. The key holds the owner's id with a PX expiry; only the holder renews or releases it, so a holder that
 * died frees it when the expiry passes.
 */
import type { RedisClient } from './redis-connection.ts';
import { RedisScript } from './redis-script.ts';

/** KEYS: lease. ARGV: owner, ttl ms. Takes the lease when free, renews it when the owner holds it; 1 when held. */
const TAKE = new RedisScript(`
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`);

/** KEYS: lease. ARGV: owner. Deletes the lease only when the owner holds it. */
const RELEASE = new RedisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`);

/** Takes or renews the lease at `key` for `owner`; true when the owner holds it now. */
export async function takeLease(redis: RedisClient, key: string, owner: string, ttlMs: number): Promise<boolean> {
  return (await TAKE.run(redis, [key], [owner, Math.max(1, Math.round(ttlMs))])) === 1;
}

/** Gives the lease up when `owner` holds it (a no-op otherwise). */
export async function releaseLease(redis: RedisClient, key: string, owner: string): Promise<void> {
  await RELEASE.run(redis, [key], [owner]);
}
