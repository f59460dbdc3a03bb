/**
 * Bind ownership on a real Redis: processes take a fair share of a connector's slots, a newcomer gets slots
 * given up after their binds closed, a dead process's slots pass to the survivor once its leases expire, and a
 * clean stop frees them at once. The rounds are called by hand; only the leases' expiry waits on Redis's clock.
 */
import { afterAll, expect, test } from 'vitest';
import { createRedisBackend, type RedisBackend } from '../../../gateway/index.ts';
import { BindOwnership } from '../../../gateway/dispatch/bind-ownership.ts';
import type { BindLeaseStore } from '../../../gateway/ports/bind-lease-store.ts';
import { redisTestKeys } from '../../support/redis-test-keys.ts';
import { REDIS_URL } from '../../support/test-backends.ts';
import { waitFor } from '../../support/wait-for.ts';

const keys = redisTestKeys();
const backends: RedisBackend[] = [];
afterAll(async () => {
  for (const backend of backends) await backend.close();
  await keys.cleanup();
});

function leaseStore(): BindLeaseStore {
  const backend = createRedisBackend({ url: REDIS_URL, prefix: keys.prefix() });
  backends.push(backend);
  if (backend.binds === undefined) throw new Error('the Redis backend shares bind ownership');
  return backend.binds;
}

/** One process's ownership, with the slots its driver was last told to open. */
function member(store: BindLeaseStore, owner: string, leaseMs: number, slots = 4) {
  const opened = new Map<string, readonly number[]>();
  const closing: number[][] = [];
  const ownership = new BindOwnership({
    store,
    owner,
    leaseMs,
    connectors: [{ id: 'smsc', slots }],
    apply: (id, open) => {
      const before = opened.get(id) ?? [];
      closing.push(before.filter((slot) => !open.includes(slot)));
      opened.set(id, open);
      return Promise.resolve();
    },
  });
  return { ownership, opened: () => opened.get('smsc') ?? [], closing };
}

test('a lone process holds every slot; a second one gets half, each slot given up only after its bind closed', async () => {
  const store = leaseStore();
  const a = member(store, 'a', 10_000);
  await a.ownership.tick();
  await waitFor(() => a.opened().length === 4, 'a opens every slot');
  const b = member(store, 'b', 10_000);
  await b.ownership.tick();
  expect(b.opened()).toEqual([]);
  // a sees two processes: it closes its two highest slots, then frees their leases.
  await a.ownership.tick();
  await waitFor(() => a.opened().join() === '0,1', 'a keeps slots 0 and 1');
  await waitFor(async () => (await store.holders('smsc', 4)).join() === 'a,a,,', 'slots 2 and 3 free');
  expect(a.closing.at(-1)).toEqual([2, 3]);
  await b.ownership.tick();
  await waitFor(() => b.opened().join() === '2,3', 'b opens slots 2 and 3');
  expect(await store.holders('smsc', 4)).toEqual(['a', 'a', 'b', 'b']);
  // Steady: more rounds change nothing.
  await a.ownership.tick();
  await b.ownership.tick();
  expect(await store.holders('smsc', 4)).toEqual(['a', 'a', 'b', 'b']);
  expect(a.ownership.heldElsewhere('smsc')).toBe(true);
});

test("a dead process's slots pass to the survivor once its leases expire; a clean stop frees them at once", async () => {
  const store = leaseStore();
  const leaseMs = 300;
  const a = member(store, 'a', leaseMs, 2);
  const b = member(store, 'b', leaseMs, 2);
  await a.ownership.tick();
  await b.ownership.tick();
  await a.ownership.tick();
  await waitFor(async () => (await store.holders('smsc', 2)).join() === 'a,', 'a gave slot 1 up');
  await b.ownership.tick();
  expect(await store.holders('smsc', 2)).toEqual(['a', 'b']);
  // a dies (no more rounds): while its lease holds, b's rounds leave slot 0 alone.
  await b.ownership.tick();
  expect(b.ownership.holding('smsc')).toEqual([1]);
  await waitFor(
    async () => {
      await b.ownership.tick();
      return b.ownership.holding('smsc').length === 2;
    },
    'b takes slot 0 after a lease',
    5_000,
    50,
  );
  await waitFor(() => b.opened().join() === '0,1', 'b opens both');
  expect(await store.holders('smsc', 2)).toEqual(['b', 'b']);
  await b.ownership.stop();
  await b.ownership.release();
  expect(await store.holders('smsc', 2)).toEqual([undefined, undefined]);
});

test('a slot taken by another process while this one could not renew is dropped at the next round', async () => {
  const store = leaseStore();
  const a = member(store, 'a', 200, 1);
  await a.ownership.tick();
  await waitFor(() => a.opened().join() === '0', 'a opens slot 0');
  // a stalls past its lease; c takes the slot meanwhile.
  await waitFor(async () => (await store.take('smsc', 0, 'c', 10_000)) || undefined, 'c takes the lapsed slot', 5_000, 50);
  await a.ownership.tick();
  await waitFor(() => a.opened().length === 0, 'a closes the bind it lost');
  expect(await store.holders('smsc', 1)).toEqual(['c']);
});

test('a stopping process keeps its leases renewed until release, however long its binds take to close', async () => {
  const store = leaseStore();
  const leaseMs = 300;
  const a = member(store, 'a', leaseMs, 1);
  await a.ownership.tick();
  await waitFor(() => a.opened().length === 1, 'a opens its slot');
  await a.ownership.stop();
  // The binds are still closing (a shutdown waiting for its in-flight submits): three leases' time goes by.
  await new Promise((resolve) => setTimeout(resolve, 3 * leaseMs));
  const b = member(store, 'b', leaseMs, 1);
  await b.ownership.tick();
  expect(await store.holders('smsc', 1)).toEqual(['a']);
  expect(b.opened()).toEqual([]);
  await a.ownership.release();
  await b.ownership.tick();
  await waitFor(() => b.opened().length === 1, 'b takes the slot once a released it');
  await b.ownership.stop();
  await b.ownership.release();
});
