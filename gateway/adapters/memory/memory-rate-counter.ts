/** Sliding-window counters in this process (the embedded default); buckets older than their window are dropped. */
import { bucketOf, retryAfter, slidingCount, type RateCount, type RateCounter, type RateLimit } from '../../ports/rate-counter.ts';

export class MemoryRateCounter implements RateCounter {
  /** `<key>\u0000<bucket index>` to its count. */
  private readonly buckets = new Map<string, number>();
  private sweptAt = 0;

  hit(limits: readonly RateLimit[], now: number): Promise<RateCount[]> {
    this.sweep(now, limits);
    return Promise.resolve(limits.map((limit) => this.count(limit, now, 1)));
  }

  peek(limits: readonly RateLimit[], now: number): Promise<RateCount[]> {
    return Promise.resolve(limits.map((limit) => this.count(limit, now, 0)));
  }

  private count(limit: RateLimit, now: number, add: number): RateCount {
    const { index, through } = bucketOf(now, limit.windowMs);
    const key = `${limit.key}\u0000${limit.windowMs}\u0000${index}`;
    const current = (this.buckets.get(key) ?? 0) + add;
    if (add > 0) this.buckets.set(key, current);
    const previous = this.buckets.get(`${limit.key}\u0000${limit.windowMs}\u0000${index - 1}`) ?? 0;
    return { key: limit.key, count: slidingCount(current, previous, through), limit: limit.limit, retryAfterMs: retryAfter(now, limit.windowMs) };
  }

  /** Drops buckets no window can read any more, at most once a minute. */
  private sweep(now: number, limits: readonly RateLimit[]): void {
    if (now - this.sweptAt < 60_000) return;
    this.sweptAt = now;
    const longest = Math.max(60_000, ...limits.map((l) => l.windowMs));
    for (const key of this.buckets.keys()) {
      const [, windowMs, index] = key.split('\u0000');
      if ((Number(index) + 2) * Number(windowMs) < now - longest) this.buckets.delete(key);
    }
  }
}
