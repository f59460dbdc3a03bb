/**
 * Inbound messages on Redis: one capped list per account, newest first, so `GET /v1/inbound` survives restarts
 * and every gateway process answers alike.
 */
import type { RedisClient } from './redis-connection.ts';
import type { InboundEvent } from '../../events/gateway-event.ts';
import type { InboundStore } from '../../ports/inbound-store.ts';
import type { RedisKeys } from './redis-keys.ts';

export class RedisInboundStore implements InboundStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly perAccount = 10_000,
  ) {}

  async add(event: InboundEvent): Promise<void> {
    const key = this.keys.inbound(event.accountId ?? '');
    await this.redis.multi().lpush(key, JSON.stringify(event)).ltrim(key, 0, this.perAccount - 1).exec();
  }

  async list(accountId: string, limit: number, since?: number): Promise<InboundEvent[]> {
    const result: InboundEvent[] = [];
    const page = Math.max(limit, 100);
    for (let start = 0; result.length < limit; start += page) {
      const values = await this.redis.lrange(this.keys.inbound(accountId), start, start + page - 1);
      for (const value of values) {
        const event = JSON.parse(value) as InboundEvent;
        if (since !== undefined && Date.parse(event.receivedAt) < since) return result;
        result.push(event);
        if (result.length === limit) return result;
      }
      if (values.length < page) break;
    }
    return result;
  }
}
