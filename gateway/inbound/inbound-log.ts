import type { InboundEvent } from '../events/gateway-event.ts';
import type { InboundStore } from '../ports/inbound-store.ts';

/** Inbound messages in memory, bounded per account: the embedded default's InboundStore. */
export class InboundLog implements InboundStore {
  private readonly byAccount = new Map<string, InboundEvent[]>();

  constructor(private readonly perAccount = 10_000) {}

  add(event: InboundEvent): Promise<void> {
    const key = event.accountId ?? '';
    let list = this.byAccount.get(key);
    if (list === undefined) {
      list = [];
      this.byAccount.set(key, list);
    }
    list.push(event);
    if (list.length > this.perAccount) list.splice(0, list.length - this.perAccount);
    return Promise.resolve();
  }

  list(accountId: string, limit: number, since?: number): Promise<InboundEvent[]> {
    const list = this.byAccount.get(accountId) ?? [];
    const result: InboundEvent[] = [];
    for (let i = list.length - 1; i >= 0 && result.length < limit; i -= 1) {
      const event = list[i] as InboundEvent;
      if (since !== undefined && Date.parse(event.receivedAt) < since) break;
      result.push(event);
    }
    return Promise.resolve(result);
  }
}
