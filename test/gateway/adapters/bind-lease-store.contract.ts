/**
 * One contract for every BindLeaseStore adapter (Redis; memory mode has none, its one process owns every bind):
 * presence counts the live processes, a slot has one holder at a time, only its holder renews or releases it, and
 * `holders` reads who holds each slot, which the operations snapshot turns into slot numbers. Leases here are long
 * enough never to lapse during a test; their expiry is bind-ownership.redis.test.ts's.
 */
import { describe, expect, test } from 'vitest';
import type { BindLeaseStore } from '../../../gateway/ports/bind-lease-store.ts';

const LEASE_MS = 120_000;

/** `make` gives a fresh, empty store. */
export function bindLeaseStoreContract(name: string, make: () => BindLeaseStore): void {
  describe(`BindLeaseStore contract: ${name}`, () => {
    test('presence: each live process counts once, at least one; a process that leaves counts no more', async () => {
      const store = make();
      expect(await store.present('a', LEASE_MS)).toBe(1);
      expect(await store.present('b', LEASE_MS)).toBe(2);
      expect(await store.present('a', LEASE_MS)).toBe(2);
      await store.leave('b');
      expect(await store.present('a', LEASE_MS)).toBe(1);
      await store.leave('a');
      // Asking counts the asker: never zero.
      expect(await store.present('c', LEASE_MS)).toBe(1);
    });

    test('a slot has one holder: taken when free, renewed by its holder, refused to another', async () => {
      const store = make();
      expect(await store.take('smsc', 0, 'a', LEASE_MS)).toBe(true);
      expect(await store.take('smsc', 0, 'a', LEASE_MS)).toBe(true);
      expect(await store.take('smsc', 0, 'b', LEASE_MS)).toBe(false);
      // Slots and connectors are apart.
      expect(await store.take('smsc', 1, 'b', LEASE_MS)).toBe(true);
      expect(await store.take('other', 0, 'b', LEASE_MS)).toBe(true);
      expect(await store.holders('smsc', 2)).toEqual(['a', 'b']);
    });

    test('only the holder releases a slot; then another may take it', async () => {
      const store = make();
      await store.take('smsc', 0, 'a', LEASE_MS);
      await store.release('smsc', 0, 'b');
      expect(await store.holders('smsc', 1)).toEqual(['a']);
      await store.release('smsc', 0, 'a');
      expect(await store.holders('smsc', 1)).toEqual([undefined]);
      expect(await store.take('smsc', 0, 'b', LEASE_MS)).toBe(true);
      // Releasing a free slot is harmless.
      await store.release('smsc', 1, 'a');
    });

    test('holders: one entry per slot in order, undefined for a free one, none for zero slots', async () => {
      const store = make();
      expect(await store.holders('smsc', 3)).toEqual([undefined, undefined, undefined]);
      await store.take('smsc', 2, 'b', LEASE_MS);
      await store.take('smsc', 0, 'a', LEASE_MS);
      // A slot beyond the count asked for is not read.
      await store.take('smsc', 5, 'c', LEASE_MS);
      expect(await store.holders('smsc', 4)).toEqual(['a', undefined, 'b', undefined]);
      expect(await store.holders('smsc', 0)).toEqual([]);
      expect(await store.holders('unknown', 2)).toEqual([undefined, undefined]);
    });
  });
}
