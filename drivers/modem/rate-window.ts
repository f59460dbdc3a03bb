/**
 * Messages-per-minute limit of one modem, as a sliding window over the last 60 s of sent parts, and the
 * per-SIM daily cap (UTC days). Pure: the caller gives `now`. Parts are reserved when a modem is chosen so two
 * sends at once never both take the last slot.
 */
const MINUTE = 60_000;
const DAY = 86_400_000;

export class RateWindow {
  private readonly stamps: number[] = [];

  constructor(readonly perMinute: number) {}

  private prune(now: number): void {
    while (this.stamps.length > 0 && (this.stamps[0] ?? 0) <= now - MINUTE) this.stamps.shift();
  }

  /** Parts that may still go in the current window. */
  room(now: number): number {
    this.prune(now);
    return Math.max(0, this.perMinute - this.stamps.length);
  }

  /**
   * True when `parts` fit now. A message longer than the whole limit may go when the window is empty, since
   * all parts of a message travel through one modem.
   */
  fits(parts: number, now: number): boolean {
    const room = this.room(now);
    return parts <= room || room === this.perMinute;
  }

  take(parts: number, now: number): void {
    for (let i = 0; i < parts; i++) this.stamps.push(now);
  }

  /** Milliseconds until one more part fits. */
  waitMs(now: number): number {
    this.prune(now);
    if (this.stamps.length < this.perMinute) return 0;
    return (this.stamps[0] ?? now) + MINUTE - now;
  }
}

export class DailyCounter {
  private day = -1;
  private count = 0;

  constructor(readonly cap: number | null) {}

  private roll(now: number): void {
    const day = Math.floor(now / DAY);
    if (day !== this.day) {
      this.day = day;
      this.count = 0;
    }
  }

  sentToday(now: number): number {
    this.roll(now);
    return this.count;
  }

  fits(parts: number, now: number): boolean {
    this.roll(now);
    return this.cap === null || this.count + parts <= this.cap;
  }

  add(parts: number, now: number): void {
    this.roll(now);
    this.count += parts;
  }

  /** Milliseconds until the count starts again (the next UTC day). */
  resetInMs(now: number): number {
    return DAY - (now % DAY);
  }
}

/** One modem's rate window and SIM daily cap on the modem's clock, as the pool asks when it chooses a modem. */
export class SendBudget {
  private readonly rate: RateWindow;
  private readonly daily: DailyCounter;

  constructor(
    ratePerMinute: number,
    dailyCap: number | null,
    private readonly now: () => number,
  ) {
    this.rate = new RateWindow(ratePerMinute);
    this.daily = new DailyCounter(dailyCap);
  }

  get ratePerMinute(): number {
    return this.rate.perMinute;
  }

  fitsRate(parts: number): boolean {
    return this.rate.fits(parts, this.now());
  }

  fitsCap(parts: number): boolean {
    return this.daily.fits(parts, this.now());
  }

  /** Takes rate and cap room for a message at selection time, so concurrent sends never overbook a modem. */
  reserve(parts: number): void {
    const now = this.now();
    this.rate.take(parts, now);
    this.daily.add(parts, now);
  }

  rateWaitMs(): number {
    return this.rate.waitMs(this.now());
  }

  /** Milliseconds until the SIM's daily count starts again. */
  capResetInMs(): number {
    return this.daily.resetInMs(this.now());
  }

  /** The health fields of the budget. */
  detail(): { sentToday: number; dailyCap: number | null; ratePerMinute: number; rateRoom: number } {
    const now = this.now();
    return { sentToday: this.daily.sentToday(now), dailyCap: this.daily.cap, ratePerMinute: this.rate.perMinute, rateRoom: this.rate.room(now) };
  }
}
