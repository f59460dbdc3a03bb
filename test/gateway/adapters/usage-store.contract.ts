/**
 * The contract every UsageStore adapter keeps (memory in usage-store.test.ts, Redis in usage-store.redis.test.ts):
 * a count adds once per `once` key, days read back in order with empty days empty, accounts apart; a quota take is
 * all or nothing across limits and periods, names the first limit crossed with what was used, and a give-back
 * returns exactly the share.
 */
import { describe, expect, test } from 'vitest';
import type { QuotaLimit, QuotaTake, UsageStore } from '../../../gateway/index.ts';

const daily = (unit: 'messages' | 'segments', limit: number, periodKey = 'd:2026-01-15'): QuotaLimit => ({ period: 'daily', periodKey, unit, limit, keepSeconds: 3 * 86_400 });
const monthly = (unit: 'messages' | 'segments', limit: number): QuotaLimit => ({ period: 'monthly', periodKey: 'm:2026-01', unit, limit, keepSeconds: 35 * 86_400 });

export function usageStoreContract(name: string, makeStore: () => Promise<UsageStore>): void {
  describe(`UsageStore contract: ${name}`, () => {
    test('a count adds its figures once per once-key; days come back in order, empty days empty, accounts apart', async () => {
      const store = await makeStore();
      const add = { '|m': 1, '|s': 3, 'carrier=au|m': 1, '|p:JPY': 9_900_000 };
      expect(await store.count({ accountId: 'shop', once: 'm1:billed', day: '2026-01-15', add })).toBe(true);
      expect(await store.count({ accountId: 'shop', once: 'm1:billed', day: '2026-01-15', add })).toBe(false);
      expect(await store.count({ accountId: 'shop', once: 'm2:billed', day: '2026-01-15', add: { '|m': 1, '|s': 1 } })).toBe(true);
      expect(await store.count({ accountId: 'shop', once: 'm2:final', day: '2026-01-16', add: { 'status=delivered|m': 1 } })).toBe(true);
      expect(await store.count({ accountId: 'other', once: 'm3:billed', day: '2026-01-15', add: { '|m': 1 } })).toBe(true);
      expect(await store.days('shop', ['2026-01-14', '2026-01-15', '2026-01-16'])).toEqual([
        { day: '2026-01-14', figures: {} },
        { day: '2026-01-15', figures: { '|m': 2, '|s': 4, 'carrier=au|m': 1, '|p:JPY': 9_900_000 } },
        { day: '2026-01-16', figures: { 'status=delivered|m': 1 } },
      ]);
      expect(await store.days('other', ['2026-01-15'])).toEqual([{ day: '2026-01-15', figures: { '|m': 1 } }]);
      expect(await store.days('shop', [])).toEqual([]);
    });

    test('countMany counts like count, in order: a once-key counted before or twice in the batch counts once; accounts apart', async () => {
      const store = await makeStore();
      expect(await store.count({ accountId: 'shop', once: 'm1:billed', day: '2026-01-15', add: { '|m': 1 } })).toBe(true);
      expect(await store.countMany([])).toEqual([]);
      const counted = await store.countMany([
        { accountId: 'shop', once: 'm1:billed', day: '2026-01-15', add: { '|m': 1 } },
        { accountId: 'shop', once: 'm2:billed', day: '2026-01-15', add: { '|m': 1, '|s': 2 } },
        { accountId: 'other', once: 'm3:billed', day: '2026-01-15', add: { '|m': 1, '|s': 5 } },
        { accountId: 'shop', once: 'm2:billed', day: '2026-01-15', add: { '|m': 1, '|s': 2 } },
        { accountId: 'shop', once: 'm2:final', day: '2026-01-16', add: { 'status=delivered|m': 1 } },
      ]);
      expect(counted).toEqual([false, true, true, false, true]);
      expect(await store.days('shop', ['2026-01-15', '2026-01-16'])).toEqual([
        { day: '2026-01-15', figures: { '|m': 2, '|s': 2 } },
        { day: '2026-01-16', figures: { 'status=delivered|m': 1 } },
      ]);
      expect(await store.days('other', ['2026-01-15'])).toEqual([{ day: '2026-01-15', figures: { '|m': 1, '|s': 5 } }]);
    });

    test('a take fits every limit or takes nothing, and names the first limit crossed', async () => {
      const store = await makeStore();
      const take = (segments: number, limits: readonly QuotaLimit[]): QuotaTake => ({ accountId: 'shop', limits, messages: 1, segments });
      const limits = [daily('messages', 3), daily('segments', 5), monthly('messages', 100)];
      expect(await store.take(take(2, limits))).toEqual({ taken: true });
      expect(await store.take(take(2, limits))).toEqual({ taken: true });
      // 4 segments used: a 2-segment message would make 6 > 5; nothing is taken, the message count stays 2.
      expect(await store.take(take(2, limits))).toEqual({ taken: false, limit: limits[1], used: 4 });
      expect(await store.take(take(1, limits))).toEqual({ taken: true });
      expect(await store.take(take(0, limits))).toEqual({ taken: false, limit: limits[0], used: 3 });
      // Another day: a fresh daily counter; the month goes on counting.
      const nextDay = [daily('messages', 3, 'd:2026-01-16'), monthly('messages', 4)];
      expect(await store.take(take(1, nextDay))).toEqual({ taken: true });
      expect(await store.take(take(1, nextDay))).toEqual({ taken: false, limit: nextDay[1], used: 4 });
      // Another account has its own counters.
      expect(await store.take({ ...take(1, limits), accountId: 'other' })).toEqual({ taken: true });
    });

    test('a give-back returns exactly the share, never below zero', async () => {
      const store = await makeStore();
      const limits = [daily('messages', 1), monthly('segments', 3)];
      const share: QuotaTake = { accountId: 'shop', limits, messages: 1, segments: 3 };
      expect(await store.take(share)).toEqual({ taken: true });
      expect(await store.take(share)).toEqual({ taken: false, limit: limits[0], used: 1 });
      await store.giveBack(share);
      expect(await store.take(share)).toEqual({ taken: true });
      await store.giveBack(share);
      await store.giveBack(share);
      expect(await store.take({ ...share, segments: 4 })).toEqual({ taken: false, limit: limits[1], used: 0 });
    });
  });
}
