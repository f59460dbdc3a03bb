import type { AutoAckStore } from '../../ports/auto-ack-store.ts';

/** Marks in this process's memory, each until its window ends; expired marks are swept as new ones come. */
export class MemoryAutoAckStore implements AutoAckStore {
  private readonly until = new Map<string, number>();
  private nextSweep = 1024;

  constructor(private readonly now: () => number = Date.now) {}

  claim(accountId: string, number: string, windowMs: number): Promise<boolean> {
    const now = this.now();
    const key = `${accountId}\u0000${number}`;
    const held = this.until.get(key);
    if (held !== undefined && held > now) return Promise.resolve(false);
    this.until.set(key, now + windowMs);
    if (this.until.size >= this.nextSweep) this.sweep(now);
    return Promise.resolve(true);
  }

  private sweep(now: number): void {
    for (const [key, until] of this.until) if (until <= now) this.until.delete(key);
    this.nextSweep = Math.max(1024, this.until.size * 2);
  }
}
