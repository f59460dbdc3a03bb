import type { ThrottleConfig } from './config.ts';

/**
 * The connector's pace: a token bucket counted per submit_sm PDU and shared by all its binds, with
 * AIMD adaptation. A throttle answer divides the rate (at most once per cool-down, because every part
 * in flight tends to be throttled at once); each second without one adds back a fraction of the ceiling.
 * The clock is passed in, so the logic is testable without waiting.
 */
export class AdaptiveRate {
  /** Current pace in PDUs per second; Infinity when there is no cap and the SMSC never pushed back. */
  private current: number;
  /** Where recovery stops: `maxTps`, or the observed pace before the first throttle when uncapped. */
  private ceiling: number;
  private tokens = 1;
  private lastRefill: number;
  private lastDecrease = Number.NEGATIVE_INFINITY;
  private lastRecovery: number;
  private windowStart: number;
  private windowCount = 0;
  private previousWindowCount = 0;

  constructor(
    private readonly maxTps: number,
    private readonly config: ThrottleConfig,
    now: number,
  ) {
    this.current = maxTps > 0 ? maxTps : Number.POSITIVE_INFINITY;
    this.ceiling = this.current;
    this.lastRefill = now;
    this.lastRecovery = now;
    this.windowStart = now;
  }

  get rate(): number {
    return this.current;
  }

  /** Takes one token: 0 when one was available, otherwise the milliseconds until the next one. */
  take(now: number): number {
    this.recover(now);
    this.count(now);
    if (this.current === Number.POSITIVE_INFINITY) {
      this.windowCount += 1;
      return 0;
    }
    const burst = Math.max(1, this.current * 0.05);
    this.tokens = Math.min(burst, this.tokens + ((now - this.lastRefill) * this.current) / 1000);
    this.lastRefill = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.windowCount += 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.current));
  }

  /** The SMSC pushed back: returns the new rate, or undefined when still in the cool-down of the last decrease. */
  throttled(now: number): number | undefined {
    if (now - this.lastDecrease < Math.max(100, this.config.pauseMs)) return undefined;
    this.count(now);
    if (this.current === Number.POSITIVE_INFINITY) {
      const observed = Math.max(this.previousWindowCount, this.windowCount, this.config.minTps);
      this.ceiling = observed;
      this.current = observed;
    }
    this.current = Math.max(this.config.minTps, this.current * this.config.decreaseFactor);
    this.tokens = Math.min(this.tokens, 0);
    this.lastRefill = now;
    this.lastDecrease = now;
    this.lastRecovery = now;
    return this.current;
  }

  private recover(now: number): void {
    if (this.current >= this.ceiling) return;
    const elapsed = now - this.lastRecovery;
    if (elapsed < 1000) return;
    const steps = Math.floor(elapsed / 1000);
    this.lastRecovery += steps * 1000;
    const next = this.current + steps * this.ceiling * this.config.recoveryPerSecond;
    if (next >= this.ceiling) {
      this.current = this.maxTps > 0 ? this.maxTps : Number.POSITIVE_INFINITY;
      this.ceiling = this.current;
    } else {
      this.current = next;
    }
  }

  private count(now: number): void {
    if (now - this.windowStart >= 1000) {
      this.previousWindowCount = now - this.windowStart >= 2000 ? 0 : this.windowCount;
      this.windowCount = 0;
      this.windowStart = now;
    }
  }
}
