/**
 * Webhook deliveries on Redis, for gateways whose events come from Kafka: a job is stored once per event (a
 * replayed event finds its job waiting, or its done marker, and adds nothing), attempts are leased so that
 * several processes never post the same job at once, and the retry schedule survives restarts.
 */
import type { RedisClient } from './redis-connection.ts';
import type { StoredWebhookJob, WebhookJobQueue } from '../../ports/webhook-queue.ts';
import type { WebhookJob } from '../../webhooks/webhook-delivery.ts';
import type { RedisKeys } from './redis-keys.ts';
import { RedisScript } from './redis-script.ts';

/** KEYS: jobs, due, done marker. ARGV: id, job JSON, due at. 1 when added, 0 when known. */
const ADD = new RedisScript(`
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1
`);

/** KEYS: jobs, due. ARGV: now, lease until, limit. Leases due jobs; returns id, JSON pairs. */
const LEASE = new RedisScript(`
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  local job = redis.call('HGET', KEYS[1], id)
  if job then
    redis.call('ZADD', KEYS[2], ARGV[2], id)
    out[#out + 1] = id
    out[#out + 1] = job
  else
    redis.call('ZREM', KEYS[2], id)
  end
end
return out
`);

/** KEYS: jobs, due, done marker. ARGV: id, done ttl ms. */
const DONE = new RedisScript(`
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('SET', KEYS[3], '1', 'PX', ARGV[2])
return 1
`);

export class RedisWebhookQueue implements WebhookJobQueue {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    /** How long a delivered job's id is remembered against replays (default 7 days). */
    private readonly rememberMs = 7 * 86_400_000,
  ) {}

  /** Stores jobs not seen before; returns how many were new. */
  async add(jobs: readonly WebhookJob[], now: number): Promise<number> {
    const results = await Promise.all(
      jobs.map((job) =>
        ADD.run(this.redis, [this.keys.webhookJobs, this.keys.webhookDue, this.keys.webhookDone(job.id)], [job.id, JSON.stringify({ ...job, attempts: 0 }), now]),
      ),
    );
    return results.filter((added) => added === 1).length;
  }

  async lease(now: number, leaseMs: number, limit: number): Promise<StoredWebhookJob[]> {
    const flat = (await LEASE.run(this.redis, [this.keys.webhookJobs, this.keys.webhookDue], [now, now + leaseMs, limit])) as string[];
    const jobs: StoredWebhookJob[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) jobs.push(JSON.parse(flat[i + 1] as string) as StoredWebhookJob);
    return jobs;
  }

  /** Delivered, or given up: either way it is never sent again. */
  async finish(id: string): Promise<void> {
    await DONE.run(this.redis, [this.keys.webhookJobs, this.keys.webhookDue, this.keys.webhookDone(id)], [id, this.rememberMs]);
  }

  async retryAt(job: StoredWebhookJob, at: number): Promise<void> {
    await this.redis.multi().hset(this.keys.webhookJobs, job.id, JSON.stringify(job)).zadd(this.keys.webhookDue, at, job.id).exec();
  }

  waiting(): Promise<number> {
    return this.redis.hlen(this.keys.webhookJobs);
  }
}
