/**
 * Kafka away, on a broker of the test's own: under steady load the broker stops until hundreds of messages went
 * in without it and their events and receipts wait in the Redis outbox; once it is back, the outbox is flushed in
 * order and every message's whole event sequence is on the events topic. With a small outbox limit, the gateway
 * refuses new messages with a 503 while Kafka is away, and takes them again once the outbox has drained. No step
 * waits a fixed time: the load paces itself on the SMSC, and each phase ends on what it waits for.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { buildApp } from '../../../api/index.ts';
import { KafkaBroker } from '../../support/kafka-broker.ts';
import { KafkaHarness, waitFor, type ReadRecord } from './kafka-harness.ts';

const EXPECTED = ['accepted', 'queued', 'sending', 'submitted', 'delivered'];

function statusSequences(records: readonly ReadRecord[], ids: ReadonlySet<string>): { sequences: Map<string, string[]>; duplicates: number } {
  const seen = new Set<string>();
  const sequences = new Map<string, string[]>();
  let duplicates = 0;
  for (const record of records) {
    const id = String(record.value.id);
    if (record.value.type !== 'message.status' || !ids.has(String(record.value.messageId))) continue;
    // At least once: a batch Kafka took just before it went away may come again from the outbox.
    if (seen.has(id)) {
      duplicates += 1;
      continue;
    }
    seen.add(id);
    const messageId = String(record.value.messageId);
    sequences.set(messageId, [...(sequences.get(messageId) ?? []), String(record.value.status)]);
  }
  return { sequences, duplicates };
}

/** Waits until every message is delivered in the store and has its final event on the topic; their sequences. */
async function deliveredSequences(harness: KafkaHarness, ids: readonly string[], ms: number): Promise<{ sequences: Map<string, string[]>; duplicates: number }> {
  await waitFor(
    async () => {
      const records = await Promise.all(ids.map((id) => harness.gateway.messages.get('demo', id)));
      return records.every((r) => r.status === 'delivered') ? true : undefined;
    },
    'every message delivered',
    ms,
  );
  const wanted = new Set(ids);
  const finals = (records: readonly ReadRecord[]): number =>
    new Set(records.filter((r) => r.value.status === 'delivered' && r.value.type === 'message.status' && wanted.has(String(r.value.messageId))).map((r) => r.value.messageId)).size;
  const events = await harness.read(harness.settings.topics.events, (records) => finals(records) === wanted.size, ms);
  return statusSequences(events, wanted);
}

async function gauge(harness: KafkaHarness): Promise<number> {
  return (await harness.metrics.outboxSize.get()).values[0]?.value ?? 0;
}

/** Groups kafkajs gave up on during the outage and the gateway joined again (it varies from run to run). */
async function rejoins(harness: KafkaHarness): Promise<string> {
  const counts = (await harness.metrics.consumerRejoins.get()).values.map(({ labels, value }) => `${String(labels.group)} ${value}`);
  return counts.length === 0 ? 'none' : counts.join(', ');
}

describe('Kafka unreachable', () => {
  let broker: KafkaBroker | undefined;
  let harness: KafkaHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    await broker?.close();
    harness = undefined;
    broker = undefined;
  });

  test('under load: nothing lost, the outbox flushed in order', { timeout: 180_000 }, async () => {
    broker = await KafkaBroker.start();
    harness = new KafkaHarness({ brokers: broker.brokers });
    const gateway = await harness.start();
    const publisher = harness.transport.publisher;
    const ids: string[] = [];
    let sending = true;
    let refused = 0;
    let outboxPeak = 0;
    let n = 0;
    const load = (async () => {
      while (sending) {
        const batch = Array.from({ length: 5 }, () => ({ to: `+8190${String(30_000_000 + (n += 1))}`, text: `Order ${n} confirmed` }));
        const accepted: string[] = [];
        for (const result of await gateway.messages.submitBatch('demo', batch)) {
          if (result.ok) accepted.push(result.message.id);
          else refused += 1;
        }
        ids.push(...accepted);
        outboxPeak = Math.max(outboxPeak, await gauge(harness));
        // Steady load at the pace the SMSC takes it: the next batch once this one has left for the carrier.
        await waitFor(async () => {
          const records = await Promise.all(accepted.map((id) => gateway.messages.get('demo', id)));
          return records.every((record) => record.status !== 'accepted' && record.status !== 'queued' && record.status !== 'sending');
        }, 'the batch submitted');
      }
    })();
    await waitFor(() => ids.length >= 50, 'load under way with Kafka up');
    await broker.stop();
    const beforeOutage = ids.length;
    await waitFor(() => ids.length - beforeOutage >= 250 && outboxPeak > 0 && !publisher.direct, 'hundreds of messages with Kafka away, their records in the outbox', 90_000);
    const duringOutage = ids.length - beforeOutage;
    await broker.restart();
    const afterRestart = ids.length;
    await waitFor(() => publisher.direct && ids.length - afterRestart >= 50, 'load going straight to Kafka again', 90_000);
    sending = false;
    await load;

    expect(refused).toBe(0);
    expect(outboxPeak).toBeGreaterThan(0);
    expect(duringOutage).toBeGreaterThanOrEqual(250);
    await waitFor(async () => ((await gauge(harness as KafkaHarness)) === 0 ? true : undefined), 'the outbox drained', 60_000);
    const { sequences, duplicates } = await deliveredSequences(harness, ids, 90_000);
    const wrong = ids.filter((id) => JSON.stringify(sequences.get(id)) !== JSON.stringify(EXPECTED));
    expect(wrong.map((id) => ({ id, sequence: sequences.get(id) })).slice(0, 3)).toEqual([]);
    expect(sequences.size).toBe(ids.length);
    process.stdout.write(`outage: ${ids.length} messages, outbox peak ${outboxPeak}, ${duplicates} duplicate status events, groups joined again: ${await rejoins(harness)}\n`);
  });

  test('with the outbox at its limit: new messages get a 503, and are taken again once it drains', { timeout: 120_000 }, async () => {
    broker = await KafkaBroker.start();
    harness = new KafkaHarness({ brokers: broker.brokers, settings: { outboxLimit: 40 } });
    const gateway = await harness.start();
    const app = await buildApp({ gateway });
    try {
      const before = await gateway.messages.submit('demo', { to: '090-1111-2222', text: 'before the outage' });
      await broker.stop();
      const accepted = [before.id];
      // One message per probe until the outbox is at its limit and the gateway refuses.
      let i = 0;
      const answer: { statusCode: number; headers: Record<string, unknown>; body: string } = await waitFor(
        async () => {
          const response = await app.inject({
            method: 'POST',
            url: '/v1/messages',
            headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
            payload: { to: `090-2222-${String(3000 + (i % 7000))}`, text: `message ${(i += 1)}` },
          });
          if (response.statusCode === 202) accepted.push(response.json<{ id: string }>().id);
          return response.statusCode === 202 ? undefined : { statusCode: response.statusCode, headers: response.headers, body: response.body };
        },
        'a refusal once the outbox is full',
        60_000,
      );
      expect(answer?.statusCode).toBe(503);
      expect(answer?.headers['retry-after']).toBeDefined();
      expect(JSON.parse(answer?.body ?? '{}')).toMatchObject({ code: 'GW_EVENTS_BACKLOGGED' });
      expect(accepted.length).toBeGreaterThan(1);

      await broker.restart();
      await waitFor(() => (harness?.transport.publisher.accepting === true && harness.transport.publisher.direct ? true : undefined), 'the outbox drained', 60_000);
      const after = await gateway.messages.submit('demo', { to: '090-1111-3333', text: 'after the outage' });
      accepted.push(after.id);
      const { sequences } = await deliveredSequences(harness, accepted, 60_000);
      for (const id of accepted) expect(sequences.get(id)).toEqual(EXPECTED);
      process.stdout.write(`outbox limit: ${accepted.length} messages, groups joined again: ${await rejoins(harness)}\n`);
    } finally {
      await app.close();
    }
  });
});
