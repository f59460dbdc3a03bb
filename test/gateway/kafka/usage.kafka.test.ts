/**
 * Usage in Kafka mode: the usage consumer group counts a delivered message once, and the whole events topic read
 * again from its beginning (as a consumer that crashed before committing, or a group reset, would read it) counts
 * nothing more.
 */
import { afterEach, expect, inject, test } from 'vitest';
import { eventsFor } from '../../../gateway/adapters/kafka/event-records.ts';
import { UsageConsumer } from '../../../gateway/consumers/usage-consumer.ts';
import { UsageCalendar } from '../../../gateway/index.ts';
import { KafkaHarness, waitFor } from './kafka-harness.ts';

let harness: KafkaHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

test('a message counts once in Kafka mode, and a replay of the events topic adds nothing', async () => {
  harness = new KafkaHarness({ brokers: inject('kafkaBrokers') });
  const gateway = await harness.start();
  const accepted = await gateway.messages.submit('demo', { to: '090-1234-5678', text: 'あ'.repeat(100) });
  const today = new Date().toISOString().slice(0, 10);
  const query = { accountId: 'demo', from: today, to: today } as const;
  await waitFor(async () => ((await gateway.usage.report({ ...query, groupBy: 'status' })).total.messages === 1 ? true : undefined), 'final status counted', 30_000);
  const counted = await gateway.usage.report({ ...query, groupBy: 'day' });
  expect(counted.total).toMatchObject({ messages: 1, segments: 2 });

  const records = await harness.read(harness.settings.topics.events, (read) => read.some((r) => r.value.messageId === accepted.id && r.value.type === 'message.status' && r.value.status === 'delivered'));
  const replay = new UsageConsumer(harness.backend.usage, new UsageCalendar());
  const events = eventsFor(replay, records.map((record) => JSON.stringify(record.value)));
  expect(events.map((event) => event.id)).toContain(`${accepted.id}:delivered`);
  expect(await replay.count(events)).toBe(0);
  expect((await gateway.usage.report({ ...query, groupBy: 'day' })).total).toEqual(counted.total);
  expect((await gateway.usage.report({ ...query, groupBy: 'status' })).rows).toEqual([{ key: 'delivered', ...counted.total }]);
});
