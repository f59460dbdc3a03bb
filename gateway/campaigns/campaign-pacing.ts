/**
 * A campaign's pace as a token bucket of segments (carriers count a 3-part message as 3): it fills at the rate,
 * holds one second's worth (at least one message's segments), and says how long to wait before a message of `n`
 * segments may go. Pure: the instant is always given.
 */
import type { CampaignPacing } from '../ports/campaign-store.ts';

export class SegmentBucket {
  private tokens: number;
  private at: number | undefined;
  private readonly perMs: number;
  private readonly capacity: number;

  constructor(segmentsPerSecond: number) {
    this.perMs = segmentsPerSecond / 1000;
    this.capacity = Math.max(1, segmentsPerSecond);
    this.tokens = this.capacity;
  }

  /** Segments per second of a pacing option (per hour converted); undefined for no pacing. */
  static rateOf(pacing: CampaignPacing | undefined): number | undefined {
    if (pacing?.segmentsPerSecond !== undefined) return pacing.segmentsPerSecond;
    if (pacing?.segmentsPerHour !== undefined) return pacing.segmentsPerHour / 3600;
    return undefined;
  }

  /** Takes `segments` and answers 0, or answers the ms to wait and takes nothing. */
  take(segments: number, now: number): number {
    this.refill(now);
    const need = Math.min(segments, this.capacity);
    if (this.tokens >= need) {
      this.tokens -= segments;
      return 0;
    }
    return Math.ceil((need - this.tokens) / this.perMs);
  }

  private refill(now: number): void {
    if (this.at !== undefined && now > this.at) this.tokens = Math.min(this.capacity, this.tokens + (now - this.at) * this.perMs);
    this.at = now;
  }
}
