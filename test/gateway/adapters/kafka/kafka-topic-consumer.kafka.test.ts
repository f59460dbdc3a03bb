/**
 * The consumer groups' commits on the real broker: with an interval, a group commits every partition's stored
 * progress in one request instead of one request per batch, catches up on a quiet tail by itself, commits what
 * it stored when it stops, and never commits a batch whose handler failed.
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type ConsumerConfig } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import { KafkaTopicConsumer, type BatchHandler, type TopicConsumerOptions } from '../../../../gateway/adapters/kafka/kafka-topic-consumer.ts';
import { waitFor } from '../../../support/wait-for.ts';

const PARTITIONS = 6;
const RECORDS = 120;
const tag = randomBytes(4).toString('hex');
const brokers = inject('kafkaBrokers');
const kafka = new Kafka({ clientId: `topic-consumer-test-${tag}`, brokers, logLevel: logLevel.NOTHING });
const topic = `topic-consumer-${tag}`;

/** A Kafka whose consumers report their OffsetCommit requests, to count them. */
function countingKafka(commits: { count: number }): Kafka {
  const counting = Object.create(kafka) as Kafka;
  counting.consumer = (config: ConsumerConfig): Consumer => {
    const consumer = kafka.consumer(config);
    consumer.on(consumer.events.REQUEST, ({ payload }) => {
      if (payload.apiName === 'OffsetCommit') commits.count += 1;
    });
    return consumer;
  };
  return counting;
}

/** The group's committed offset per partition (-1 where it has none). */
async function committed(groupId: string): Promise<number[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [answer] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const offsets = Array.from({ length: PARTITIONS }, () => -1);
    for (const { partition, offset } of answer?.partitions ?? []) offsets[partition] = Number(offset);
    return offsets;
  } finally {
    await admin.disconnect();
  }
}

/** Where each partition ends now. */
async function ends(): Promise<number[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = Array.from({ length: PARTITIONS }, () => 0);
    for (const { partition, high } of await admin.fetchTopicOffsets(topic)) offsets[partition] = Number(high);
    return offsets;
  } finally {
    await admin.disconnect();
  }
}

describe('KafkaTopicConsumer commits', () => {
  const consumers: KafkaTopicConsumer[] = [];

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    // Several sends, so the group reads several batches per partition.
    for (let round = 0; round < 4; round += 1) {
      const messages = Array.from({ length: RECORDS / 4 }, (_, index) => ({ key: `k${round}-${index}`, value: `v${round}-${index}` }));
      await producer.send({ topic, messages });
    }
    await producer.disconnect();
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
  });

  afterAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic], timeout: 5_000 }).catch(() => undefined);
    await admin.disconnect();
  });

  /** A group that counts what it handled and the OffsetCommit requests it sent. */
  function counted(groupId: string, commitEveryMs: number | undefined): { consumer: KafkaTopicConsumer; seen: () => number; batches: () => number; commits: { count: number } } {
    let seen = 0;
    let batches = 0;
    const commits = { count: 0 };
    const consumer = start(groupId, commitEveryMs, (records) => {
      seen += records.length;
      batches += 1;
      return Promise.resolve();
    }, commits);
    return { consumer, seen: () => seen, batches: () => batches, commits };
  }

  function start(
    groupId: string,
    commitEveryMs: number | undefined,
    handler: BatchHandler,
    commits = { count: 0 },
    more: Partial<TopicConsumerOptions> = {},
  ): KafkaTopicConsumer {
    const consumer = new KafkaTopicConsumer(countingKafka(commits), {
      groupId,
      topics: [topic],
      handler,
      minBytes: 1,
      maxWaitMs: 20,
      sessionTimeoutMs: 6_000,
      ...(commitEveryMs === undefined ? {} : { commitEveryMs }),
      ...more,
    });
    consumers.push(consumer);
    return consumer;
  }

  test('within the interval nothing is committed; a graceful stop commits every partition it stored', async () => {
    const groupId = `commit-stop-${tag}`;
    const { consumer, seen, batches, commits } = counted(groupId, 600_000);
    await consumer.start();
    await waitFor(() => seen() >= RECORDS, 'every record handled', 30_000);
    expect(batches()).toBeGreaterThanOrEqual(PARTITIONS);
    expect(commits.count).toBe(0);
    expect(await committed(groupId)).toEqual(Array.from({ length: PARTITIONS }, () => -1));

    consumers.splice(consumers.indexOf(consumer), 1);
    await consumer.stop();
    expect(commits.count).toBe(1);
    expect(await committed(groupId)).toEqual(await ends());
  });

  test('a quiet tail is committed after the interval, without a batch to carry it', async () => {
    const groupId = `commit-tail-${tag}`;
    const { consumer, seen, commits } = counted(groupId, 200);
    await consumer.start();
    await waitFor(() => seen() >= RECORDS, 'every record handled', 30_000);
    const end = await ends();
    await waitFor(async () => JSON.stringify(await committed(groupId)) === JSON.stringify(end), 'the tail committed', 15_000, 100);
    expect(commits.count).toBeGreaterThan(0);
  });

  test('every batch commits on its own without an interval (kafkajs after each batch)', async () => {
    const groupId = `commit-each-${tag}`;
    const { consumer, seen, batches, commits } = counted(groupId, undefined);
    await consumer.start();
    await waitFor(() => seen() >= RECORDS, 'every record handled', 30_000);
    await waitFor(() => commits.count >= batches(), 'a commit per batch', 15_000);
    expect(await committed(groupId)).toEqual(await ends());
  });

  test('a batch whose handler fails is not committed, even at stop', async () => {
    const groupId = `commit-failed-${tag}`;
    let tries = 0;
    const consumer = start(groupId, 100, () => {
      tries += 1;
      return Promise.reject(new Error('store unavailable'));
    });
    await consumer.start();
    await waitFor(() => tries >= 2, 'the batch tried again', 30_000);
    consumers.splice(consumers.indexOf(consumer), 1);
    await consumer.stop();
    expect(await committed(groupId)).toEqual(Array.from({ length: PARTITIONS }, () => -1));
  });

  test('a group kafkajs gives up on (a non-retriable failure) joins again and reads on from its stored progress', async () => {
    const groupId = `rejoin-${tag}`;
    const rejoins: string[] = [];
    const offsets = new Set<string>();
    let failed = false;
    const consumer = start(
      groupId,
      100,
      (records) => {
        // Once, the way a broker back from an outage can answer ("Failed to find group coordinator"): kafkajs
        // does not retry such an error and does not restart the group.
        if (!failed) {
          failed = true;
          return Promise.reject(Object.assign(new Error('group coordinator not found'), { retriable: false }));
        }
        for (const record of records) offsets.add(`${record.partition}:${record.offset}`);
        return Promise.resolve();
      },
      { count: 0 },
      { rejoinDelayMs: { initial: 50, max: 200 }, onRejoin: (error) => rejoins.push(error.message) },
    );
    await consumer.start();
    await waitFor(() => offsets.size >= RECORDS, 'every record handled after the group joined again', 30_000);
    expect(rejoins).toEqual(['group coordinator not found']);
    consumers.splice(consumers.indexOf(consumer), 1);
    await consumer.stop();
    expect(await committed(groupId)).toEqual(await ends());
  });

  test('a stopped group is not joined again', async () => {
    const groupId = `rejoin-stopped-${tag}`;
    const rejoins: string[] = [];
    let tries = 0;
    const consumer = start(
      groupId,
      100,
      () => {
        tries += 1;
        return Promise.reject(Object.assign(new Error('not retriable'), { retriable: false }));
      },
      { count: 0 },
      // A delay the stop below comes well within, even on a loaded machine.
      { rejoinDelayMs: { initial: 1_500, max: 1_500 }, onRejoin: (error) => rejoins.push(error.message) },
    );
    await consumer.start();
    await waitFor(() => rejoins.length >= 1, 'kafkajs gave up once', 30_000);
    consumers.splice(consumers.indexOf(consumer), 1);
    await consumer.stop();
    const triesAtStop = tries;
    // Past the rejoin delay: a rejoin scheduled before the stop would have fetched and failed again.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(tries).toBe(triesAtStop);
    expect(rejoins).toEqual(['not retriable']);
  });
});
