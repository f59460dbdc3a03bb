import type { Correlation } from '../ports/message-store.ts';

/**
 * The carrier ids this process submitted lately, kept in memory beside the store. An SMSC often sends the receipt
 * right behind its submit response, before the store has the correlation written (over the network to Redis);
 * a receipt that comes back to the process that sent the part finds it here at once. Bounded: the oldest entries
 * go first, and the store stays the durable source for everything else.
 */
export class RecentCorrelations {
  private readonly entries = new Map<string, Correlation>();

  constructor(private readonly capacity = 200_000) {}

  set(connectorId: string, carrierMessageId: string, correlation: Correlation): void {
    const key = `${connectorId}\u0000${carrierMessageId}`;
    this.entries.delete(key);
    this.entries.set(key, correlation);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  get(connectorId: string, carrierMessageId: string): Correlation | undefined {
    return this.entries.get(`${connectorId}\u0000${carrierMessageId}`);
  }

  get size(): number {
    return this.entries.size;
  }
}
