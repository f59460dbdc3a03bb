/**
 * The event outbox on Redis: one stream, oldest first, shared by every gateway process on the same prefix.
 * One process at a time leads the flush (a lease key), so records leave in the order they came.
 */
import type { RedisClient } from './redis-connection.ts';
import type { OutboundRecord, Outbox } from '../../events/durable-publisher.ts';
import type { RedisKeys } from './redis-keys.ts';
import { takeLease } from './redis-lease.ts';


export class RedisOutbox implements Outbox {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async append(records: readonly OutboundRecord[]): Promise<void> {
    const pipeline = this.redis.multi();
    for (const record of records) pipeline.xadd(this.keys.outbox, '*', 't', record.topic, 'k', record.key, 'v', record.value);
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error !== null);
    if (results === null || failed !== undefined) throw failed?.[0] ?? new Error('outbox append was discarded');
  }

  size(): Promise<number> {
    return this.redis.xlen(this.keys.outbox);
  }

  async read(limit: number): Promise<{ id: string; record: OutboundRecord }[]> {
    const entries = await this.redis.xrange(this.keys.outbox, '-', '+', 'COUNT', limit);
    return entries.map(([id, fields]) => {
      const map: Record<string, string> = {};
      for (let i = 0; i + 1 < fields.length; i += 2) map[fields[i] as string] = fields[i + 1] as string;
      return { id, record: { topic: map.t ?? '', key: map.k ?? '', value: map.v ?? '' } };
    });
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.redis.xdel(this.keys.outbox, ...ids);
  }

  async lead(owner: string, ttlMs: number): Promise<boolean> {
    return takeLease(this.redis, this.keys.outboxLead, owner, ttlMs);
  }
}
