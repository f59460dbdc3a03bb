/** Per-key token buckets for request and message rate limits (burst = twice the rate). */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes `cost` tokens; resolves to 0 when allowed, else the seconds to wait before trying again. */
  take(key: string, ratePerSecond: number, cost = 1): number {
    const now = this.now();
    const capacity = Math.max(ratePerSecond * 2, cost);
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
}
