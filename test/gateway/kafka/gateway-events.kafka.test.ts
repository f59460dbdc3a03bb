/**
 * The gateway on Redis and a real Kafka broker, end to end: a 3-part Japanese message is accepted, submitted and
 * delivered; its whole event sequence comes back from the events topic in order, its raw receipts are on the
 * receipts topic, the signed webhook arrives once, and usage counts it once.
 */
import { afterEach, describe, expect, inject, test } from 'vitest';
import { verifyWebhook } from '../../../gateway/index.ts';
import { KafkaHarness, SECRET, waitFor } from './kafka-harness.ts';

describe('gateway events through Kafka', () => {
  let harness: KafkaHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  test('every state change of a delivered 3-part message is on the events topic, in order', async () => {
    harness = new KafkaHarness({ brokers: inject('kafkaBrokers') });
    const gateway = await harness.start();
    const text = '明日の配達は午前中を予定しています。ご不在の場合は再配達をご依頼ください。'.repeat(4);
    const accepted = await gateway.messages.submit('demo', { to: '090-1234-5678', text, clientRef: 'order-7' });
    expect(accepted.parts).toBe(3);

    const events = await harness.read(harness.settings.topics.events, (records) =>
      records.some((r) => r.value.messageId === accepted.id && r.value.type === 'message.status' && r.value.status === 'delivered'),
    );
    const mine = events.filter((r) => r.value.messageId === accepted.id);
    expect(new Set(mine.map((r) => r.key))).toEqual(new Set([accepted.id]));
    expect(new Set(mine.map((r) => r.partition)).size).toBe(1);
    const sequence = mine.map((r) => (r.value.type === 'message.part' ? `part:${String(r.value.seq)}:${String(r.value.status)}` : String(r.value.status)));
    expect(sequence.slice(0, 3)).toEqual(['accepted', 'queued', 'sending']);
    expect(sequence.at(-1)).toBe('delivered');
    for (const seq of [1, 2, 3]) {
      const submitted = sequence.indexOf(`part:${seq}:submitted`);
      const delivered = sequence.indexOf(`part:${seq}:delivered`);
      expect(submitted).toBeGreaterThan(2);
      expect(delivered).toBeGreaterThan(submitted);
    }
    expect(sequence.indexOf('submitted')).toBeGreaterThan(Math.max(...[1, 2, 3].map((s) => sequence.indexOf(`part:${s}:submitted`))));
    expect(new Set(mine.map((r) => r.value.id)).size).toBe(mine.length);
    const submittedParts = mine.filter((r) => r.value.type === 'message.part' && r.value.status === 'submitted');
    const smscIds = submittedParts.map((r) => String(r.value.smscMessageId));
    expect(new Set(smscIds).size).toBe(3);

    const receipts = await harness.read(harness.settings.topics.receipts, (records) => smscIds.every((id) => records.some((r) => r.value.smscMessageId === id)));
    for (const record of receipts) {
      expect(record.key).toBe(`smpp-aggregator:${String(record.value.smscMessageId)}`);
      expect(record.value).toMatchObject({ type: 'receipt.raw', version: 1, connector: 'smpp-aggregator', state: 'delivered', final: true, raw: { stat: 'DELIVRD' } });
    }

    const hook = await waitFor(() => harness?.hooks.hooks.find((h) => h.body.includes('"delivered"')), 'delivered webhook');
    expect(verifyWebhook(SECRET, hook.body, hook.signature, Math.floor(Date.now() / 1000))).toBe(true);
    expect(JSON.parse(hook.body)).toMatchObject({ type: 'message.status', messageId: accepted.id, status: 'delivered', clientRef: 'order-7', segments: 3 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const statuses = harness.hooks.hooks.map((h) => (JSON.parse(h.body) as { status: string }).status);
    expect(statuses.sort()).toEqual(['delivered', 'submitted']);

    const today = new Date().toISOString().slice(0, 10);
    const usage = await waitFor(async () => {
      const [day] = (await harness?.gateway.usage.report({ accountId: 'demo', from: today, to: today, groupBy: 'day' }))?.rows ?? [];
      return day !== undefined && day.messages > 0 ? day : undefined;
    }, 'usage counted');
    expect(usage).toEqual({ key: today, messages: 1, segments: 3, price: { JPY: 9.9 } });
    expect((await gateway.messages.get('demo', accepted.id)).status).toBe('delivered');
  });
});
