/**
 * The status updater over the one receipt processor: waiting for held receipts (Kafka), a batch resolves only once
 * a late receipt matched or a stray one was given up and parked under its key; without waiting (memory), it
 * resolves at once and the receipt is held in the background. A final receipt that moves nothing has its events
 * published again.
 */
import { describe, expect, test } from 'vitest';
import type { Receipt } from '../../../drivers/transport/index.ts';
import { createMemoryBackend } from '../../../gateway/adapters/memory/memory-backend.ts';
import { StatusUpdater } from '../../../gateway/consumers/status-updater.ts';
import type { UnmatchedReceiptRecord } from '../../../gateway/events/gateway-event.ts';
import { ReceiptProcessor } from '../../../gateway/receipts/receipt-processor.ts';
import { RecentCorrelations } from '../../../gateway/receipts/recent-correlations.ts';
import { makeRecord } from '../adapters/message-backend.contract.ts';

const receipt = (carrierMessageId: string): Receipt => ({ connectorId: 'smsc', carrierMessageId, state: 'delivered', final: true, raw: { stat: 'DELIVRD' }, receivedAt: new Date() });
const heartbeat = (): Promise<void> => Promise.resolve();

async function setUp(waitForHeld: boolean) {
  const backend = createMemoryBackend();
  const record = makeRecord({ text: 'one part' });
  await backend.store.insert(record, { kind: 'queue', connectorId: 'smsc', lane: 'normal', attempt: 0 });
  const recent = new RecentCorrelations();
  const unmatched: string[] = [];
  const processor = new ReceiptProcessor({ store: backend.store, recent, holdMs: 300, retryEveryMs: 10, observer: { changed: () => undefined, unmatched: (r) => unmatched.push(r.carrierMessageId) } });
  const parked: { record: UnmatchedReceiptRecord; key: string }[] = [];
  const republished: string[] = [];
  const updater = new StatusUpdater({
    receipts: processor,
    waitForHeld,
    republish: (r) => Promise.resolve(void republished.push(r.carrierMessageId)),
    park: (parkedRecord, key) => Promise.resolve(void parked.push({ record: parkedRecord, key })),
  });
  return { backend, id: record.envelope.id, recent, processor, updater, parked, republished, unmatched };
}

describe('StatusUpdater', () => {
  test('waiting for held receipts: a late one is applied, a stray one given up and parked, before the batch resolves', async () => {
    const { backend, id, recent, processor, updater, parked, unmatched } = await setUp(true);
    const batch = updater.handle([receipt('late'), receipt('stray')], heartbeat);
    // Each receipt waits one turn for a submit outcome this process might be writing, then the memory store answers
    // within the next: two turns later both receipts matched nothing and are held.
    for (let turn = 0; turn < 2; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(processor.heldCount).toBe(2);
    // The submit response of `late` is recorded while its receipt is held.
    recent.set('smsc', 'late', { messageId: id, seq: 1 });
    await batch;
    expect((await backend.store.get(id))?.status).toBe('delivered');
    expect(unmatched).toEqual(['stray']);
    expect(parked.map((p) => [p.key, p.record.reason, p.record.receipt?.smscMessageId])).toEqual([['smsc:stray', 'no-matching-part', 'stray']]);
    expect(processor.heldCount).toBe(0);
  });

  test('without waiting: the batch resolves at once and the receipt is held in the background', async () => {
    const { backend, id, recent, processor, updater, parked } = await setUp(false);
    await updater.handle([receipt('late')], heartbeat);
    expect(processor.heldCount).toBe(1);
    recent.set('smsc', 'late', { messageId: id, seq: 1 });
    const held = processor.hold(receipt('late'));
    await expect(held).resolves.toBe(true);
    expect((await backend.store.get(id))?.status).toBe('delivered');
    expect(parked).toEqual([]);
    processor.stop();
  });

  test('a final receipt that moves nothing publishes its events again; a stop fails whoever waits on a held receipt', async () => {
    const { recent, id, processor, updater, republished } = await setUp(true);
    recent.set('smsc', 'done', { messageId: id, seq: 1 });
    await updater.handle([receipt('done')], heartbeat);
    await updater.handle([receipt('done')], heartbeat);
    expect(republished).toEqual(['done']);
    const waiting = updater.handle([receipt('nobody-yet')], heartbeat);
    processor.stop();
    await expect(waiting).rejects.toMatchObject({ code: 'GW_STORE_UNAVAILABLE' });
  });
});
