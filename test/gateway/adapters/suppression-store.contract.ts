/**
 * One contract for every SuppressionStore adapter (memory, Redis): the same tests, the same expectations.
 */
import { describe, expect, test } from 'vitest';
import type { ConsentEvent, SuppressionEntry, SuppressionStore } from '../../../gateway/ports/suppression-store.ts';

export function entry(overrides: Partial<SuppressionEntry> = {}): SuppressionEntry {
  return { accountId: 'acct-a', number: '+819012345678', reason: 'opt-out', source: { kind: 'keyword', detail: 'STOP', connector: 'smsc-a' }, createdAt: 1_000, ...overrides };
}

const lift = (at: number): ConsentEvent => ({ action: 'lifted', at, source: { kind: 'keyword', detail: '再開' } });

export function suppressionStoreContract(name: string, make: () => SuppressionStore): void {
  describe(`SuppressionStore contract: ${name}`, () => {
    test('an account-wide entry blocks every sender; a sender entry blocks only its sender; other accounts are apart', async () => {
      const store = make();
      expect(await store.add(entry())).toBe(true);
      expect(await store.add(entry({ number: '+819011112222', sender: '+81312345678', reason: 'manual', source: { kind: 'api', detail: 'key-1' } }))).toBe(true);
      expect(await store.match('acct-a', '+819012345678', undefined)).toEqual(entry());
      expect(await store.match('acct-a', '+819012345678', 'SHOP')).toEqual(entry());
      expect((await store.match('acct-a', '+819011112222', '+81312345678'))?.reason).toBe('manual');
      expect(await store.match('acct-a', '+819011112222', '+81399999999')).toBeUndefined();
      expect(await store.match('acct-a', '+819011112222', undefined)).toBeUndefined();
      expect(await store.match('acct-b', '+819012345678', undefined)).toBeUndefined();
      expect(await store.count('acct-a')).toBe(2);
      expect(await store.count('acct-b')).toBe(0);
    });

    test('adding again replaces the entry, answers false and logs it again; removing keeps the history', async () => {
      const store = make();
      expect(await store.add(entry())).toBe(true);
      expect(await store.add(entry({ reason: 'manual', createdAt: 2_000, note: 'asked by phone' }))).toBe(false);
      expect(await store.count('acct-a')).toBe(1);
      expect((await store.match('acct-a', '+819012345678', undefined))?.reason).toBe('manual');
      const removed = await store.remove('acct-a', '+819012345678', undefined, lift(3_000));
      expect(removed?.createdAt).toBe(2_000);
      expect(await store.remove('acct-a', '+819012345678', undefined, lift(4_000))).toBeUndefined();
      expect(await store.match('acct-a', '+819012345678', undefined)).toBeUndefined();
      expect(await store.count('acct-a')).toBe(0);
      const history = await store.history('acct-a', '+819012345678');
      expect(history.map((h) => [h.action, h.at, h.reason])).toEqual([
        ['suppressed', 1_000, 'opt-out'],
        ['suppressed', 2_000, 'manual'],
        ['lifted', 3_000, undefined],
      ]);
      expect(history[0]?.source).toEqual({ kind: 'keyword', detail: 'STOP', connector: 'smsc-a' });
      expect(history[1]?.note).toBe('asked by phone');
    });

    test('entries of one number: the account-wide one first, then by sender, and nothing of a number that shares its prefix', async () => {
      const store = make();
      await store.add(entry({ sender: 'SHOP' }));
      await store.add(entry());
      await store.add(entry({ sender: '+81312345678' }));
      await store.add(entry({ number: '+8190123456789' }));
      const senders = (await store.entries('acct-a', '+819012345678')).map((e) => e.sender);
      expect(senders).toEqual([undefined, '+81312345678', 'SHOP']);
      expect(await store.entries('acct-a', '+819099999999')).toEqual([]);
    });

    test('listing pages through every entry once, in order, and the last page has no cursor', async () => {
      const store = make();
      const numbers = Array.from({ length: 23 }, (_, i) => `+8190${String(77_000_000 - i * 1_234).padStart(8, '0')}`);
      for (const number of numbers) await store.add(entry({ number }));
      const seen: string[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await store.list('acct-a', 5, after);
        seen.push(...page.entries.map((e) => e.number));
        after = page.next;
        pages += 1;
      } while (after !== undefined);
      expect(pages).toBe(5);
      expect(seen).toEqual([...numbers].sort());
      const exact = await store.list('acct-a', 23);
      expect(exact.entries).toHaveLength(23);
      expect(exact.next).toBeUndefined();
      expect(await store.list('acct-z', 5)).toEqual({ entries: [] });
    });

    test('a removed entry leaves the listing, and a cursor at a removed entry still continues after it', async () => {
      const store = make();
      for (const n of ['+819010000001', '+819010000002', '+819010000003']) await store.add(entry({ number: n }));
      const first = await store.list('acct-a', 2);
      expect(first.entries.map((e) => e.number)).toEqual(['+819010000001', '+819010000002']);
      await store.remove('acct-a', '+819010000002', undefined, lift(5));
      const rest = await store.list('acct-a', 2, first.next);
      expect(rest.entries.map((e) => e.number)).toEqual(['+819010000003']);
      expect(rest.next).toBeUndefined();
    });
  });
}
