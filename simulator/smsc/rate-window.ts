/**
 * "At most N in any sliding second", exactly: a ring of the last N accepted timestamps. A request is allowed when the
 * oldest of them is at least one second old. O(1) per request, memory N numbers.
 */
export class RateWindow {
  private readonly stamps: Float64Array;
  private next = 0;

  constructor(
    readonly limit: number,
    private readonly windowMs = 1000,
  ) {
    this.stamps = new Float64Array(limit).fill(-Infinity);
  }

  /** Counts the request and returns true when it fits, false (and does not count it) when it does not. */
  tryTake(now: number): boolean {
    const oldest = this.stamps[this.next] as number;
    if (now - oldest < this.windowMs) return false;
    this.stamps[this.next] = now;
    this.next = (this.next + 1) % this.limit;
    return true;
  }
}
