/**
 * Daily and monthly quotas of an account, in messages and/or segments (`accounts[].quotas`), in the usage time
 * zone's days and months. The accept path reserves a message's share after encoding (the segments are known) and
 * before the store write: every limit is checked and the share taken in one atomic step of the usage store, so
 * concurrent submits (on any number of processes, with Redis) never cross a limit together. The share is given
 * back when the write fails or turns out to be an idempotent replay (the first message already counted).
 * Quotas count what was accepted: a message that later fails before reaching a carrier keeps its share (the
 * quota bounds what an account may ask to send; usage reports what was billed).
 */
import { gatewayError } from '../errors.ts';
import type { QuotaLimit, QuotaPeriod, QuotaTake, QuotaUnit, UsageStore } from '../ports/usage-store.ts';
import type { UsageCalendar } from './usage-calendar.ts';

export interface QuotaAmounts {
  readonly messages?: number;
  readonly segments?: number;
}

export interface AccountQuotas {
  readonly daily?: QuotaAmounts;
  readonly monthly?: QuotaAmounts;
}

export interface QuotaReservation {
  /** Gives the share back (the message was not stored). */
  release(): Promise<void>;
}

export interface QuotaGateOptions {
  readonly store: UsageStore;
  readonly calendar: UsageCalendar;
  readonly quotasOf: (accountId: string) => AccountQuotas | undefined;
  /** A submit refused by a quota (metrics). */
  readonly refused?: (accountId: string, period: QuotaPeriod, unit: QuotaUnit) => void;
}

const DAY_S = 86_400;
const UNITS: readonly QuotaUnit[] = ['messages', 'segments'];

export class QuotaGate {
  constructor(private readonly options: QuotaGateOptions) {}

  /** Takes the message's share, or throws GW_QUOTA_EXCEEDED; undefined when the account has no quota. */
  async reserve(accountId: string, segments: number, at: number): Promise<QuotaReservation | undefined> {
    const limits = this.limits(accountId, at);
    if (limits.length === 0) return undefined;
    const take: QuotaTake = { accountId, limits, messages: 1, segments };
    const { store, calendar } = this.options;
    const answer = await store.take(take);
    if (answer.taken) return { release: () => store.giveBack(take) };
    const { period, unit, limit } = answer.limit;
    this.options.refused?.(accountId, period, unit);
    const resetAt = period === 'daily' ? calendar.nextDayStart(at) : calendar.nextMonthStart(at);
    const resetIso = new Date(resetAt).toISOString();
    throw gatewayError('GW_QUOTA_EXCEEDED', `the ${period} quota of ${limit} ${unit} would be crossed (${answer.used} used; this message needs ${unit === 'messages' ? 1 : segments}); it resets at ${resetIso}`, {
      period,
      unit,
      limit,
      used: answer.used,
      resetAt: resetIso,
      retryAfter: Math.max(1, Math.ceil((resetAt - at) / 1000)),
    });
  }

  private limits(accountId: string, at: number): QuotaLimit[] {
    const quotas = this.options.quotasOf(accountId);
    if (quotas === undefined) return [];
    const { calendar } = this.options;
    const limits: QuotaLimit[] = [];
    const periods = [
      ['daily', quotas.daily, `d:${calendar.day(at)}`, 3 * DAY_S],
      ['monthly', quotas.monthly, `m:${calendar.month(at)}`, 35 * DAY_S],
    ] as const;
    for (const [period, amounts, periodKey, keepSeconds] of periods) {
      for (const unit of UNITS) {
        const limit = amounts?.[unit];
        if (limit !== undefined) limits.push({ period, periodKey, unit, limit, keepSeconds });
      }
    }
    return limits;
  }
}
