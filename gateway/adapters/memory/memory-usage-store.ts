/**
 * Usage and quota counters in this process (embedded default; nothing survives a restart). Each call completes
 * synchronously, so quota checks are atomic without locks. `once` markers (one per message counted) are kept for
 * `markerTtlMs`, as long as a replay can come, and at most about `maxMarkers` of them (the oldest go first): in
 * memory nothing is redelivered, so a replay comes soon after the first count or not at all.
 */
import { RecentMap } from '../../../common/index.ts';
import type { QuotaAnswer, QuotaTake, UsageCount, UsageDay, UsageStore } from '../../ports/usage-store.ts';

export interface MemoryUsageStoreOptions {
  readonly now?: () => number;
  readonly markerTtlMs?: number;
  /** `once` markers held at most (default 20,000). */
  readonly maxMarkers?: number;
}

export const USAGE_MARKER_TTL_MS = 8 * 86_400_000;
export const DEFAULT_MAX_USAGE_MARKERS = 20_000;

export class MemoryUsageStore implements UsageStore {
  private readonly dayFigures = new Map<string, Map<string, number>>();
  /** `once` marker to the time it expires. */
  private readonly markers: RecentMap<string, number>;
  private readonly quotas = new Map<string, { messages: number; segments: number }>();
  private readonly now: () => number;
  private readonly markerTtlMs: number;

  constructor(options: MemoryUsageStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.markerTtlMs = options.markerTtlMs ?? USAGE_MARKER_TTL_MS;
    this.markers = new RecentMap(options.maxMarkers ?? DEFAULT_MAX_USAGE_MARKERS);
  }

  /** `once` markers held now (bounded by `maxMarkers`). */
  get markerCount(): number {
    return this.markers.size;
  }

  count(count: UsageCount): Promise<boolean> {
    const now = this.now();
    if ((this.markers.get(count.once) ?? 0) > now) return Promise.resolve(false);
    this.markers.set(count.once, now + this.markerTtlMs);
    const key = `${count.accountId}\u0000${count.day}`;
    const figures = this.dayFigures.get(key) ?? new Map<string, number>();
    for (const [name, value] of Object.entries(count.add)) figures.set(name, (figures.get(name) ?? 0) + value);
    this.dayFigures.set(key, figures);
    return Promise.resolve(true);
  }

  async countMany(counts: readonly UsageCount[]): Promise<boolean[]> {
    const counted: boolean[] = [];
    for (const count of counts) counted.push(await this.count(count));
    return counted;
  }

  days(accountId: string, days: readonly string[]): Promise<UsageDay[]> {
    return Promise.resolve(days.map((day) => ({ day, figures: Object.fromEntries(this.dayFigures.get(`${accountId}\u0000${day}`) ?? []) })));
  }

  take(take: QuotaTake): Promise<QuotaAnswer> {
    for (const limit of take.limits) {
      const used = this.quotas.get(quotaKey(take.accountId, limit.periodKey))?.[limit.unit] ?? 0;
      if (used + take[limit.unit] > limit.limit) return Promise.resolve({ taken: false, limit, used });
    }
    this.add(take, 1);
    return Promise.resolve({ taken: true });
  }

  giveBack(take: QuotaTake): Promise<void> {
    this.add(take, -1);
    return Promise.resolve();
  }

  private add(take: QuotaTake, sign: 1 | -1): void {
    for (const periodKey of new Set(take.limits.map((limit) => limit.periodKey))) {
      const key = quotaKey(take.accountId, periodKey);
      const counter = this.quotas.get(key) ?? { messages: 0, segments: 0 };
      counter.messages = Math.max(0, counter.messages + sign * take.messages);
      counter.segments = Math.max(0, counter.segments + sign * take.segments);
      this.quotas.set(key, counter);
    }
  }
}

const quotaKey = (accountId: string, periodKey: string): string => `${accountId}\u0000${periodKey}`;
