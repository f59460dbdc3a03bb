import { RecentMap } from '../../common/index.ts';
import type { Correlation } from '../ports/message-store.ts';

/**
 * The carrier ids this process submitted lately, kept in memory beside the store. An SMSC often sends the receipt
 * right behind its submit response, before the store has the correlation written (over the network to Redis);
 * a receipt that comes back to the process that sent the part finds it here at once. Bounded: the oldest entries
 * go first (by generations, see RecentMap), and the store stays the durable source for everything else.
 */
export class RecentCorrelations {
  private readonly entries: RecentMap<string, Correlation>;

  constructor(capacity = 200_000) {
    this.entries = new RecentMap(capacity);
  }

  set(connectorId: string, carrierMessageId: string, correlation: Correlation): void {
    this.entries.set(`${connectorId}\u0000${carrierMessageId}`, correlation);
  }

  get(connectorId: string, carrierMessageId: string): Correlation | undefined {
    return this.entries.get(`${connectorId}\u0000${carrierMessageId}`);
  }

  get size(): number {
    return this.entries.size;
  }
}
