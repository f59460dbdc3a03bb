/**
 * Counters over sliding windows, for abuse limits (verifications per number, per account, per number range). The
 * window is exact: each key keeps the times of its hits within the window (a sorted set in Redis), because the
 * limits are small (5 codes in 10 minutes) and an approximation at a bucket edge would let a sixth through. Every
 * hit is counted, refused or not, so a client that keeps hammering stays refused; a key keeps at most twice its
 * limit of hits, so hammering cannot grow it without bound. Keys are counted one by one (no script spans two), so
 * keys of different slots work on a Redis Cluster. Adapters: memory and Redis, one contract suite.
 */

export interface RateLimit {
  /** What is counted, e.g. `v:n:<account>:+819012345678`. */
  readonly key: string;
  readonly limit: number;
  readonly windowMs: number;
}

export interface RateCount {
  readonly key: string;
  /** Hits in the window ending now, this one included. */
  readonly count: number;
  readonly limit: number;
  /** When over the limit: until the oldest hit in the window leaves it (0 when within the limit). */
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

/** The most hits a key keeps: enough to know it is over its limit, bounded however hard it is hammered. */
export function keptHits(limit: number): number {
  return Math.min(Number.MAX_SAFE_INTEGER, Math.max(1, limit) * 2);
}

/** A count from the hits in the window (oldest first). */
export function countOf(limit: RateLimit, hits: number, oldest: number | undefined, now: number): RateCount {
  const retryAfterMs = hits > limit.limit && oldest !== undefined ? Math.max(0, oldest + limit.windowMs - now) : 0;
  return { key: limit.key, count: hits, limit: limit.limit, retryAfterMs };
}
