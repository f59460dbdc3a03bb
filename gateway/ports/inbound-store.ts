import type { InboundEvent } from '../events/gateway-event.ts';

/**
 * Recent inbound messages per account, newest first, bounded per account (the events log, when there is one,
 * keeps the full record). Adapters: memory (the embedded default) and Redis.
 */
export interface InboundStore {
  add(event: InboundEvent): Promise<void>;
  list(accountId: string, limit: number, since?: number): Promise<InboundEvent[]>;
}
