/** Sliding-window counters in this process (the embedded default): the hit times of each key within its window. */
import { countOf, keptHits, type RateCount, type RateCounter, type RateLimit } from '../../ports/rate-counter.ts';

export class MemoryRateCounter implements RateCounter {
  /** `<key>\u0000<window>` to its hit times, oldest first. */
  private readonly hits = new Map<string, number[]>();
  private sweptAt = 0;

  hit(limits: readonly RateLimit[], now: number): Promise<RateCount[]> {
    this.sweep(now);
    return Promise.resolve(limits.map((limit) => this.count(limit, now, true)));
  }

  peek(limits: readonly RateLimit[], now: number): Promise<RateCount[]> {
    return Promise.resolve(limits.map((limit) => this.count(limit, now, false)));
  }

  private count(limit: RateLimit, now: number, add: boolean): RateCount {
    const id = `${limit.key}\u0000${limit.windowMs}`;
    const times = this.hits.get(id) ?? [];
    // Hit times are kept in order: the ones that left the window are a prefix.
    times.splice(0, firstAfter(times, now - limit.windowMs));
    let counted = times.length;
    if (add) {
      counted += 1;
      if (times.length < keptHits(limit.limit)) times.splice(firstAfter(times, now), 0, now);
    }
    if (times.length > 0) this.hits.set(id, times);
    else this.hits.delete(id);
    return countOf(limit, counted, times[0], now);
  }

  /** Drops keys whose every hit has left every window they could be read with, at most once a minute. */
  private sweep(now: number): void {
    if (now - this.sweptAt < 60_000) return;
    this.sweptAt = now;
    for (const [id, times] of this.hits) {
      const windowMs = Number(id.slice(id.lastIndexOf('\u0000') + 1));
      if ((times.at(-1) ?? 0) <= now - windowMs) this.hits.delete(id);
    }
  }
}

/** Index of the first time after `at` in ordered times (binary search). */
function firstAfter(times: readonly number[], at: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((times[middle] as number) <= at) low = middle + 1;
    else high = middle;
  }
  return low;
}
