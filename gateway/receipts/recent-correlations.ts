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
  /** Carrier ids whose part outcome is being stored right now, with the write's promise. */
  private readonly writes = new Map<string, Promise<unknown>>();

  constructor(capacity = 200_000) {
    this.entries = new RecentMap(capacity);
  }

  set(connectorId: string, carrierMessageId: string, correlation: Correlation): void {
    this.entries.set(`${connectorId}\u0000${carrierMessageId}`, correlation);
  }

  get(connectorId: string, carrierMessageId: string): Correlation | undefined {
    return this.entries.get(`${connectorId}\u0000${carrierMessageId}`);
  }

  /**
   * Marks carrier ids whose submit outcome (and correlation) is being stored by `write`, until it settles. A
   * receipt that comes in meanwhile (the SMSC sent it right behind its submit response) waits for that write
   * instead of missing the correlation and being held for a retry: the part is recorded as submitted first, then
   * the receipt applies, in that order.
   */
  track(connectorId: string, carrierMessageIds: readonly string[], write: Promise<unknown>): void {
    if (carrierMessageIds.length === 0) return;
    const keys = carrierMessageIds.map((id) => `${connectorId}\u0000${id}`);
    for (const key of keys) this.writes.set(key, write);
    // Inline callbacks, not a named closure: tsx names those with Object.defineProperty on every call (about 0.5 µs).
    write.then(
      () => this.untrack(keys, write),
      () => this.untrack(keys, write),
    );
  }

  private untrack(keys: readonly string[], write: Promise<unknown>): void {
    for (const key of keys) if (this.writes.get(key) === write) this.writes.delete(key);
  }

  /** The write storing this carrier id's correlation now, if one is under way. */
  writing(connectorId: string, carrierMessageId: string): Promise<unknown> | undefined {
    return this.writes.get(`${connectorId}\u0000${carrierMessageId}`);
  }

  get size(): number {
    return this.entries.size;
  }
}
