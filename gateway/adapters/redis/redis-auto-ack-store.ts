import type { RedisClient } from './redis-connection.ts';
import type { AutoAckStore } from '../../ports/auto-ack-store.ts';
import type { RedisKeys } from './redis-keys.ts';

/** One key per acknowledged number, set only when absent and expiring with the window (SET NX PX): atomic across processes. */
export class RedisAutoAckStore implements AutoAckStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async claim(accountId: string, number: string, windowMs: number): Promise<boolean> {
    const answer = await this.redis.set(this.keys.autoAck(accountId, number), '1', 'PX', Math.max(1, Math.round(windowMs)), 'NX');
    return answer === 'OK';
  }
}
