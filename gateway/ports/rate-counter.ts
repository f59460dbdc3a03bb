/**
 * Counters over sliding windows, for abuse limits (verifications per number, per account, per number range).
 * Each window is two fixed buckets, the current and the previous one, the previous weighted by how much of it the
 * sliding window still covers: exact enough for limits, one small key per bucket, no log of hits. Every hit is
 * counted, refused or not, so a client that keeps hammering stays refused. Keys are counted one by one (no script
 * spans them), so keys of different slots work on a Redis Cluster. Adapters: memory and Redis, one contract suite.
 */

export interface RateLimit {
  /** What is counted, e.g. `verify:n:+819012345678`. */
  readonly key: string;
  readonly limit: number;
  readonly windowMs: number;
}

export interface RateCount {
  readonly key: string;
  /** Hits in the sliding window ending now, this one included (the previous bucket weighted). */
  readonly count: number;
  readonly limit: number;
  /** Until the count would be back within the limit, at the latest (the end of the current bucket plus one window). */
  readonly retryAfterMs: number;
}

export interface RateCounter {
  /** Counts one hit on each key and answers each key's count. */
  hit(limits: readonly RateLimit[], now: number): Promise<RateCount[]>;
  /** The counts without a hit (for reports and tests). */
  peek(limits: readonly RateLimit[], now: number): Promise<RateCount[]>;
}

/** The first count over its limit, if any. */
export function overLimit(counts: readonly RateCount[]): RateCount | undefined {
  return counts.find((count) => count.count > count.limit);
}

/** The bucket a time falls in, and how far through it (0 to 1). */
export function bucketOf(now: number, windowMs: number): { readonly index: number; readonly through: number } {
  const index = Math.floor(now / windowMs);
  return { index, through: (now - index * windowMs) / windowMs };
}

/** The sliding count from the current and previous buckets' counts. */
export function slidingCount(current: number, previous: number, through: number): number {
  return current + Math.floor(previous * (1 - through));
}

export function retryAfter(now: number, windowMs: number): number {
  const { index } = bucketOf(now, windowMs);
  return (index + 1) * windowMs - now + windowMs;
}
