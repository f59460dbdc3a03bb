/**
 * Parts handed to each connector's carrier per second, over a sliding window of whole seconds (default the last
 * 10): one counter per connector and second, so recording is O(1) and memory stays at `windowSeconds` buckets per
 * connector. Time is an input (`at`); this module reads no clock.
 */
const SECOND = 1_000;

interface Buckets {
  /** The second (epoch s) each slot counts; a slot whose second left the window counts nothing. */
  readonly seconds: number[];
  readonly counts: number[];
}

export class ThroughputMeter {
  private readonly connectors = new Map<string, Buckets>();

  constructor(readonly windowSeconds = 10) {
    if (!Number.isInteger(windowSeconds) || windowSeconds < 1) throw new RangeError(`windowSeconds ${windowSeconds}: a whole number of seconds, at least 1`);
  }

  /** `parts` left for the connector's carrier at `at` (epoch ms). */
  record(connectorId: string, at: number, parts = 1): void {
    let buckets = this.connectors.get(connectorId);
    if (buckets === undefined) {
      buckets = { seconds: new Array<number>(this.windowSeconds).fill(-1), counts: new Array<number>(this.windowSeconds).fill(0) };
      this.connectors.set(connectorId, buckets);
    }
    const second = Math.floor(at / SECOND);
    const slot = second % this.windowSeconds;
    if (buckets.seconds[slot] !== second) {
      buckets.seconds[slot] = second;
      buckets.counts[slot] = 0;
    }
    buckets.counts[slot] = (buckets.counts[slot] ?? 0) + parts;
  }

  /**
   * Parts per second over the window that ends at `at`: the seconds before `at`'s own (which is still filling) and
   * `at`'s own second, divided by the window's length. Zero for a connector that sent nothing.
   */
  perSecond(connectorId: string, at: number): number {
    const buckets = this.connectors.get(connectorId);
    if (buckets === undefined) return 0;
    const now = Math.floor(at / SECOND);
    let total = 0;
    for (let i = 0; i < this.windowSeconds; i++) {
      const second = buckets.seconds[i] ?? -1;
      if (second > now - this.windowSeconds && second <= now) total += buckets.counts[i] ?? 0;
    }
    return total / this.windowSeconds;
  }
}
