import { waitFor } from '../../support/wait-for.ts';
import { describe, expect, test } from 'vitest';
import type { Receipt } from '../../../drivers/transport/index.ts';
import { createMemoryBackend } from '../../../gateway/adapters/memory/memory-backend.ts';
import { ReceiptProcessor } from '../../../gateway/receipts/receipt-processor.ts';
import { RecentCorrelations } from '../../../gateway/receipts/recent-correlations.ts';
import type { MessageStore } from '../../../gateway/ports/message-store.ts';
import { makeRecord } from '../adapters/message-backend.contract.ts';

const receipt = (carrierMessageId: string, state: Receipt['state'] = 'delivered'): Receipt => ({
  connectorId: 'smsc',
  carrierMessageId,
  state,
  final: true,
  raw: { stat: 'DELIVRD', err: '000' },
  receivedAt: new Date(),
});

/** The store, with each id its correlation lookups ask for added to `lookups`. */
function countingLookups(store: MessageStore, lookups: string[]): MessageStore {
  return Object.assign(Object.create(store) as MessageStore, {
    findCorrelation: (connectorId: string, id: string) => {
      lookups.push(id);
      return store.findCorrelation(connectorId, id);
    },
  });
}

describe('ReceiptProcessor', () => {
  test('matches a receipt by the other spelling of the id (decimal for hex) and rolls the message up', async () => {
    const backend = createMemoryBackend();
    const record = makeRecord({ text: 'one part' });
    await backend.store.insert(record, { kind: 'queue', connectorId: 'smsc', lane: 'normal', attempt: 0 });
    await backend.store.apply(record.envelope.id, { at: 1, parts: [{ seq: 1, status: 'submitted' }], rollUp: true, timeline: [] });
    await backend.store.correlate('smsc', 'ff', { messageId: record.envelope.id, seq: 1, submittedAt: 1 }, 60_000);
    const latencies: number[] = [];
    const processor = new ReceiptProcessor({ store: backend.store, now: () => 1_001, observer: { changed: () => undefined, submitToReceipt: (_c, ms) => latencies.push(ms) } });
    await processor.handle(receipt('255'));
    const stored = await backend.store.get(record.envelope.id);
    expect(stored?.status).toBe('delivered');
    expect(stored?.parts[0]).toMatchObject({ status: 'delivered', raw: { stat: 'DELIVRD', err: '000' } });
    expect(latencies).toEqual([1_000]);
    expect(processor.heldCount).toBe(0);
  });

  test('a fresh correlation under the other spelling of the id matches without a store read', async () => {
    const backend = createMemoryBackend();
    const record = makeRecord({ text: 'one part' });
    await backend.store.insert(record, { kind: 'queue', connectorId: 'smsc', lane: 'normal', attempt: 0 });
    await backend.store.apply(record.envelope.id, { at: 1, parts: [{ seq: 1, status: 'submitted' }], rollUp: true, timeline: [] });
    const recent = new RecentCorrelations();
    // The submit response gave decimal; the receipt comes in hex, which the candidates try first.
    recent.set('smsc', '255', { messageId: record.envelope.id, seq: 1, submittedAt: 1 });
    const lookups: string[] = [];
    const store = countingLookups(backend.store, lookups);
    const processor = new ReceiptProcessor({ store, recent, now: () => 2, observer: { changed: () => undefined } });
    await processor.handle(receipt('ff'));
    expect((await backend.store.get(record.envelope.id))?.status).toBe('delivered');
    expect(lookups).toEqual([]);
  });

  test('a receipt that comes while its part outcome is being stored waits for that write, then applies, never held', async () => {
    const backend = createMemoryBackend();
    const record = makeRecord({ text: 'one part' });
    await backend.store.insert(record, { kind: 'queue', connectorId: 'smsc', lane: 'normal', attempt: 0 });
    const recent = new RecentCorrelations();
    let finish: () => void = () => undefined;
    const write = new Promise<void>((resolve) => (finish = resolve)).then(async () => {
      await backend.store.apply(record.envelope.id, { at: 1, parts: [{ seq: 1, status: 'submitted', carrierMessageId: 'ab' }], rollUp: true, timeline: [] });
      recent.set('smsc', 'ab', { messageId: record.envelope.id, seq: 1, submittedAt: 1 });
    });
    recent.track('smsc', ['ab'], write);
    const processor = new ReceiptProcessor({ store: backend.store, recent, now: () => 2, observer: { changed: () => undefined } });
    const handled = processor.handle(receipt('ab'));
    await new Promise((resolve) => setImmediate(resolve));
    // Still waiting on the write: nothing applied, nothing held.
    expect((await backend.store.get(record.envelope.id))?.status).toBe('queued');
    expect(processor.heldCount).toBe(0);
    finish();
    await handled;
    expect((await backend.store.get(record.envelope.id))?.status).toBe('delivered');
    expect(processor.heldCount).toBe(0);
    expect(recent.writing('smsc', 'ab')).toBeUndefined();
  });

  test('a receipt handed on before its submit has started storing the outcome (one socket read) finds that write a turn later: no store read, never held', async () => {
    const backend = createMemoryBackend();
    const record = makeRecord({ text: 'one part' });
    await backend.store.insert(record, { kind: 'queue', connectorId: 'smsc', lane: 'normal', attempt: 0 });
    const recent = new RecentCorrelations();
    const lookups: string[] = [];
    const store = countingLookups(backend.store, lookups);
    const processor = new ReceiptProcessor({ store, recent, now: () => 2, observer: { changed: () => undefined } });
    const handled = processor.handle(receipt('ab'));
    // The sender's continuation, queued by the submit_sm_resp read just before the receipt, runs only now.
    queueMicrotask(() => {
      const write = backend.store
        .apply(record.envelope.id, { at: 1, parts: [{ seq: 1, status: 'submitted', carrierMessageId: 'ab' }], rollUp: true, timeline: [], correlations: [{ connectorId: 'smsc', carrierMessageId: 'ab', seq: 1, submittedAt: 1, ttlMs: 60_000 }] })
        .then(() => recent.set('smsc', 'ab', { messageId: record.envelope.id, seq: 1, submittedAt: 1 }));
      recent.track('smsc', ['ab'], write);
    });
    await handled;
    expect((await backend.store.get(record.envelope.id))?.status).toBe('delivered');
    expect(processor.heldCount).toBe(0);
    expect(lookups).toEqual([]);
  });

  test('a receipt for a part this process did not send is looked up in the store after that turn', async () => {
    const backend = createMemoryBackend();
    const record = makeRecord({ text: 'one part' });
    await backend.store.insert(record, { kind: 'queue', connectorId: 'smsc', lane: 'normal', attempt: 0 });
    await backend.store.apply(record.envelope.id, { at: 1, parts: [{ seq: 1, status: 'submitted' }], rollUp: true, timeline: [] });
    await backend.store.correlate('smsc', 'cd', { messageId: record.envelope.id, seq: 1, submittedAt: 1 }, 60_000);
    const processor = new ReceiptProcessor({ store: backend.store, recent: new RecentCorrelations(), now: () => 2, observer: { changed: () => undefined } });
    await processor.handle(receipt('cd'));
    expect((await backend.store.get(record.envelope.id))?.status).toBe('delivered');
    expect(processor.heldCount).toBe(0);
  });

  test('a part keeps the gateway clock in doneAt (never before submittedAt) and the carrier clock in carrierDoneAt', async () => {
    const backend = createMemoryBackend();
    const record = makeRecord({ text: 'one part' });
    await backend.store.insert(record, { kind: 'queue', connectorId: 'smsc', lane: 'normal', attempt: 0 });
    await backend.store.apply(record.envelope.id, { at: 1_000, parts: [{ seq: 1, status: 'submitted', submittedAt: 1_000 }], rollUp: true, timeline: [] });
    await backend.store.correlate('smsc', 'ab', { messageId: record.envelope.id, seq: 1, submittedAt: 1_000 }, 60_000);
    const processor = new ReceiptProcessor({ store: backend.store, now: () => 4_000, observer: { changed: () => undefined } });
    // The carrier's clock runs behind: its done date is before the gateway's submit.
    await processor.handle({ ...receipt('ab'), doneAt: new Date(400) });
    expect((await backend.store.get(record.envelope.id))?.parts[0]).toMatchObject({ status: 'delivered', submittedAt: 1_000, doneAt: 4_000, carrierDoneAt: 400 });
  });

  test('a receipt that overtakes its correlation is held, then matched once the correlation is known', async () => {
    const backend = createMemoryBackend();
    const record = makeRecord({ text: 'one part' });
    await backend.store.insert(record, { kind: 'queue', connectorId: 'smsc', lane: 'normal', attempt: 0 });
    const recent = new RecentCorrelations();
    const matched: boolean[] = [];
    const processor = new ReceiptProcessor({ store: backend.store, recent, retryEveryMs: 20, observer: { changed: () => undefined, receipt: (_r, m) => matched.push(m) } });
    await processor.handle(receipt('abc'));
    // Not counted while held: it may still match.
    expect(matched).toEqual([]);
    expect(processor.heldCount).toBe(1);
    recent.set('smsc', 'abc', { messageId: record.envelope.id, seq: 1 });
    await waitFor(async () => (await backend.store.get(record.envelope.id))?.parts[0]?.status === 'delivered', 'the part delivered', 3_000);
    expect(processor.heldCount).toBe(0);
    // Counted once, as matched.
    expect(matched).toEqual([true]);
    processor.stop();
  });

  test('a receipt that never matches is given up after the hold time and counted, never dropped silently', async () => {
    const backend = createMemoryBackend();
    const unmatched: string[] = [];
    const counted: boolean[] = [];
    const processor = new ReceiptProcessor({
      store: backend.store,
      holdMs: 50,
      retryEveryMs: 10,
      observer: { changed: () => undefined, unmatched: (r) => unmatched.push(r.carrierMessageId), receipt: (_r, matched) => counted.push(matched) },
    });
    await processor.handle(receipt('nobody'));
    await waitFor(() => unmatched.length === 1, 'the receipt given up as unmatched', 3_000);
    expect(unmatched).toEqual(['nobody']);
    // Tried again several times meanwhile, yet counted once, as unmatched.
    expect(counted).toEqual([false]);
    expect(processor.heldCount).toBe(0);
  });

  test('held receipts are bounded: beyond the cap the oldest is given up as unmatched', async () => {
    const backend = createMemoryBackend();
    const unmatched: string[] = [];
    const processor = new ReceiptProcessor({ store: backend.store, maxHeld: 2, holdMs: 60_000, observer: { changed: () => undefined, unmatched: (r) => unmatched.push(r.carrierMessageId) } });
    for (const id of ['a', 'b', 'c']) await processor.handle(receipt(id));
    expect(unmatched).toEqual(['a']);
    expect(processor.heldCount).toBe(2);
    processor.stop();
  });
});

describe('RecentCorrelations', () => {
  test('keeps at least the newest half of its capacity and never more than the capacity', () => {
    const recent = new RecentCorrelations(4);
    for (let i = 1; i <= 7; i += 1) recent.set('c', String(i), { messageId: `m${i}`, seq: 1 });
    expect(recent.get('c', '1')).toBeUndefined();
    for (const i of [5, 6, 7]) expect(recent.get('c', String(i))).toEqual({ messageId: `m${i}`, seq: 1 });
    expect(recent.get('other', '7')).toBeUndefined();
    expect(recent.size).toBeGreaterThanOrEqual(2);
    expect(recent.size).toBeLessThanOrEqual(4);
  });
});
