/**
 * Receipts that overtake their submit response: the status updater holds a receipt whose part is not known yet
 * and applies it once the submit is recorded; a receipt no part ever claims, and a record that is not a receipt,
 * are parked on the dead-letter topic with their reason and counted, never dropped.
 */
import { afterEach, describe, expect, inject, test } from 'vitest';
import { receiptRecord } from '../../../gateway/index.ts';
import { KafkaHarness, waitFor } from './kafka-harness.ts';

describe('receipts before their submit responses', () => {
  let harness: KafkaHarness | undefined;
  afterEach(async () => {
    await harness?.close();
  });

  test('are held until the part is known, or parked with a reason after the hold time', { timeout: 60_000 }, async () => {
    harness = new KafkaHarness({ brokers: inject('kafkaBrokers'), scenario: 'no-receipts', settings: { receiptHoldMs: 3_000 } });
    const gateway = await harness.start();
    const accepted = await gateway.messages.submit('demo', { to: '090-1234-5678', text: 'Your code is 123456' });
    await waitFor(async () => ((await gateway.messages.get('demo', accepted.id)).status === 'submitted' ? true : undefined), 'submitted');

    const late = `late-${harness.tag}`;
    const never = `never-${harness.tag}`;
    const receipt = (id: string) =>
      JSON.stringify(receiptRecord({ connectorId: 'smpp-aggregator', carrierMessageId: id, state: 'delivered', final: true, raw: { stat: 'DELIVRD', err: '000' }, receivedAt: new Date() }));
    const producer = harness.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      await producer.send({
        topic: harness.settings.topics.receipts,
        acks: -1,
        messages: [
          { key: `smpp-aggregator:${late}`, value: receipt(late) },
          { key: `smpp-aggregator:${never}`, value: receipt(never) },
          { key: 'garbage', value: 'this is not a receipt' },
        ],
      });
    } finally {
      await producer.disconnect();
    }
    // The submit response of `late` is recorded only now, well after its receipt reached the topic.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await gateway.messages.get('demo', accepted.id)).status).toBe('submitted');
    await harness.backend.store.correlate('smpp-aggregator', late, { messageId: accepted.id, seq: 1, submittedAt: Date.now() }, 60_000);

    const delivered = await waitFor(async () => {
      const record = await gateway.messages.get('demo', accepted.id);
      return record.status === 'delivered' ? record : undefined;
    }, 'delivered by the held receipt');
    expect(delivered.parts[0]).toMatchObject({ status: 'delivered', raw: { stat: 'DELIVRD', err: '000' } });

    const parked = await harness.read(harness.settings.topics.unmatched, (records) => records.length >= 2);
    const byReason = new Map(parked.map((r) => [String(r.value.reason), r]));
    expect(byReason.get('no-matching-part')?.value).toMatchObject({ type: 'receipt.unmatched', version: 1, receipt: { smscMessageId: never, state: 'delivered' } });
    expect(byReason.get('no-matching-part')?.key).toBe(`smpp-aggregator:${never}`);
    expect(byReason.get('unreadable')?.value).toMatchObject({ type: 'receipt.unmatched', payload: 'this is not a receipt' });
    expect(parked.some((r) => JSON.stringify(r.value).includes(late))).toBe(false);
    const counted = (await harness.metrics.receiptsParked.get()).values;
    expect(Object.fromEntries(counted.map((v) => [String(v.labels.reason), v.value]))).toEqual({ 'no-matching-part': 1, unreadable: 1 });
  });
});
