import { describe, expect, test } from 'vitest';
import { createMemoryBackend } from '../../../gateway/adapters/memory/memory-backend.ts';
import { MemoryMessageStore } from '../../../gateway/adapters/memory/memory-message-store.ts';
import { GW_ERRORS } from '../../../gateway/errors.ts';
import type { MessageChange, MessageRecord } from '../../../gateway/messages/message-record.ts';
import type { MessageBackend } from '../../../gateway/ports/backend.ts';
import { makeRecord, messageBackendContract } from './message-backend.contract.ts';

messageBackendContract('memory', () => Promise.resolve(createMemoryBackend()));

describe('memory backend bounds', () => {
  const queue = { kind: 'queue', connectorId: 'smsc', lane: 'normal', attempt: 0 } as const;
  const finish = (_id: string, at = 1): MessageChange => ({ at, status: 'canceled', timeline: [] });

  test('beyond maxFinalMessages the oldest final messages go, in the order they became final; messages on their way stay', async () => {
    const backend = createMemoryBackend({ maxFinalMessages: 10 });
    const records = Array.from({ length: 30 }, () => makeRecord({ text: 'hi' }));
    for (const record of records) await backend.store.insert(record, queue);
    // A backlog larger than the final bound: nothing is final, nothing may go.
    expect((await Promise.all(records.map((r) => backend.store.get(r.envelope.id)))).every(Boolean)).toBe(true);
    // Finished in reverse order of arrival: eviction follows the finishing order.
    for (const record of [...records].reverse().slice(0, 25)) await backend.store.apply(record.envelope.id, finish(record.envelope.id));
    const present = await Promise.all(records.map(async (r) => (await backend.store.get(r.envelope.id)) !== undefined));
    // 0-4 are still on their way; 29 down to 15 finished first and went first; 14-5 finished last and stay.
    expect(present.slice(0, 15).every(Boolean)).toBe(true);
    expect(present.slice(15).some(Boolean)).toBe(false);
    expect(memoryStore(backend).counts()).toMatchObject({ final: 10, pending: 5 });
    await backend.close();
  });

  test('at maxPendingMessages a new message is refused with a retriable GW_BACKLOG_FULL, and no pending one is dropped', async () => {
    const backend = createMemoryBackend({ maxFinalMessages: 1, maxPendingMessages: 3 });
    const pending = Array.from({ length: 3 }, () => makeRecord({ text: 'hi' }));
    for (const record of pending) await backend.store.insert(record, queue);
    const claim = { accountId: 'acct-a', key: 'k-1', fingerprint: 'f', ttlMs: 60_000 };
    const refused = makeRecord({ text: 'one too many' });
    await expect(backend.store.insert(refused, queue, claim)).rejects.toMatchObject({
      code: 'GW_BACKLOG_FULL',
      details: { bound: 'store', limit: 3, retryAfter: 5 },
    });
    expect(GW_ERRORS.GW_BACKLOG_FULL.retriable).toBe(true);
    // Nothing of the refused one stays: not the record, not its queue entry, not its idempotency key.
    expect(await backend.store.get(refused.envelope.id)).toBeUndefined();
    expect((await backend.queue.depth('smsc')).find((d) => d.lane === 'normal')?.waiting).toBe(3);
    for (const record of pending) expect(await backend.store.get(record.envelope.id)).toBeDefined();
    // Once one is final there is room again; the retry with the same key is accepted as new.
    await backend.store.apply(pending[0]!.envelope.id, finish(pending[0]!.envelope.id));
    await expect(backend.store.insert(refused, queue, claim)).resolves.toMatchObject({ inserted: true, id: refused.envelope.id });
    // A record that is final from the start takes no pending room.
    const rejected: MessageRecord = { ...makeRecord({ text: 'rejected' }), status: 'rejected' };
    await expect(backend.store.insert(rejected, queue)).resolves.toMatchObject({ inserted: true });
    expect(memoryStore(backend).counts()).toMatchObject({ pending: 3, final: 1 });
    await backend.close();
  });

  test("an evicted message's carrier correlations go with it; a held one's stay", async () => {
    const backend = createMemoryBackend({ maxFinalMessages: 1 });
    const [a, b] = [makeRecord({ text: 'a' }), makeRecord({ text: 'b' })];
    for (const [record, carrierId] of [[a, 'c-a'], [b, 'c-b']] as const) {
      await backend.store.insert(record, queue);
      await backend.store.apply(record.envelope.id, {
        at: 2,
        parts: [{ seq: 1, status: 'submitted', connectorId: 'smsc', carrierMessageId: carrierId, submittedAt: 2 }],
        correlations: [{ connectorId: 'smsc', carrierMessageId: carrierId, seq: 1, submittedAt: 2, ttlMs: 3_600_000 }],
        timeline: [],
      });
    }
    await backend.store.apply(a.envelope.id, finish(a.envelope.id, 3));
    expect(await backend.store.findCorrelation('smsc', 'c-a')).toBeDefined();
    await backend.store.apply(b.envelope.id, finish(b.envelope.id, 4));
    expect(await backend.store.get(a.envelope.id)).toBeUndefined();
    expect(await backend.store.findCorrelation('smsc', 'c-a')).toBeUndefined();
    expect(await backend.store.findCorrelation('smsc', 'c-b')).toMatchObject({ messageId: b.envelope.id });
    await backend.close();
  });

  test('a long run of accepted, submitted and finished messages holds steady counts in every map', async () => {
    const backend = createMemoryBackend({ maxFinalMessages: 50, maxPendingMessages: 100 });
    const store = memoryStore(backend);
    for (let i = 0; i < 5_000; i += 1) {
      const record = makeRecord({ text: 'steady' });
      const id = record.envelope.id;
      await backend.store.insert(record, queue, { accountId: 'acct-a', key: `k-${i}`, fingerprint: 'f', ttlMs: 86_400_000 });
      await backend.store.apply(id, {
        at: i,
        parts: [{ seq: 1, status: 'submitted', connectorId: 'smsc', carrierMessageId: `c-${i}`, submittedAt: i }],
        correlations: [{ connectorId: 'smsc', carrierMessageId: `c-${i}`, seq: 1, submittedAt: i, ttlMs: 86_400_000 }],
        watchUntil: i + 1_000,
        timeline: [],
      });
      await backend.store.apply(id, { at: i, status: 'delivered', parts: [{ seq: 1, status: 'delivered' }], timeline: [] });
      const taken = await backend.queue.read('smsc', 'w', 10, 0);
      await backend.queue.ack('smsc', taken);
    }
    expect(store.counts()).toMatchObject({ final: 50, pending: 0, correlations: 50, watches: 0 });
    // Idempotency keys: at most one per message the store may hold (trimmed to 90% when over).
    expect(store.counts().idempotencyKeys).toBeGreaterThan(130);
    expect(store.counts().idempotencyKeys).toBeLessThanOrEqual(150);
    await backend.close();
  });

  test('correlations and idempotency keys stay bounded, dropping the oldest live ones first', async () => {
    const backend = createMemoryBackend({ maxFinalMessages: 5, maxPendingMessages: 5 });
    for (let i = 0; i < 1_000; i += 1) await backend.store.correlate('smsc', `id-${i}`, { messageId: `m-${i}`, seq: 1 }, 3_600_000);
    expect(await backend.store.findCorrelation('smsc', 'id-999')).toEqual({ messageId: 'm-999', seq: 1 });
    expect(await backend.store.findCorrelation('smsc', 'id-0')).toBeUndefined();
    let kept = 0;
    for (let i = 0; i < 1_000; i += 1) if ((await backend.store.findCorrelation('smsc', `id-${i}`)) !== undefined) kept += 1;
    expect(kept).toBeGreaterThanOrEqual(18);
    expect(kept).toBeLessThanOrEqual(20);
    await backend.close();
  });
});

function memoryStore(backend: MessageBackend): MemoryMessageStore {
  if (!(backend.store instanceof MemoryMessageStore)) throw new Error('not the memory store');
  return backend.store;
}
