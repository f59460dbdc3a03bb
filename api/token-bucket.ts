/** What a bucket holds at most: twice the rate per second, and at least one token. */
export function bucketCapacity(ratePerSecond: number): number {
  return Math.max(ratePerSecond * 2, 1);
}

/**
 * Per-key token buckets for request and message rate limits. A bucket starts full and never holds more than its
 * capacity (`bucketCapacity`), whatever the cost asked: a cost above the capacity is never admitted.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Takes `cost` tokens; resolves to 0 when allowed, else the seconds to wait before trying again (Infinity when
   * the cost exceeds the capacity: waiting never helps).
   */
  take(key: string, ratePerSecond: number, cost = 1): number {
    const now = this.now();
    const capacity = bucketCapacity(ratePerSecond);
    if (cost > capacity) return Number.POSITIVE_INFINITY;
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * ratePerSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return 0;
    }
    return Math.max(1, Math.ceil((cost - bucket.tokens) / ratePerSecond));
  }

  /** Drops buckets (an account removed by a reload). */
  forget(keys: readonly string[]): void {
    for (const key of keys) this.buckets.delete(key);
  }
}
