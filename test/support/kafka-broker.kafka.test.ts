import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { Admin, Producer } from 'kafkajs';
import { KafkaBroker } from './kafka-broker.ts';

const tag = (): string => randomBytes(4).toString('hex');

// Quiet clients: retriable errors (a coordinator still loading, the stopped broker) are logged at ERROR level
// by kafkajs; what matters reaches the test as a rejection.
function client(brokers: string[]): Kafka {
  return new Kafka({ clientId: `kafka-broker-test-${tag()}`, brokers, logLevel: logLevel.NOTHING });
}

type Retry = { retries: number; initialRetryTime?: number; maxRetryTime?: number };

function idempotentProducer(kafka: Kafka, retry?: Retry): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    ...(retry ? { retry } : {}),
  });
}

async function createTopic(admin: Admin, topic: string): Promise<void> {
  const topics = [{ topic, numPartitions: 1, replicationFactor: 1 }];
  expect(await admin.createTopics({ topics, waitForLeaders: true })).toBe(true);
}

async function produce(producer: Producer, topic: string, values: string[]): Promise<void> {
  await producer.send({ topic, acks: -1, messages: values.map((value) => ({ key: 'k', value })) });
}

/** Reads the topic from the beginning with a new consumer group until `count` records arrived. */
async function consumeAll(kafka: Kafka, admin: Admin, topic: string, count: number): Promise<string[]> {
  const groupId = `kafka-broker-test-${tag()}`;
  const consumer = kafka.consumer({ groupId });
  const values: string[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`only ${values.length}/${count} records from ${topic}`)), 20_000);
      consumer
        .run({
          eachMessage: ({ message }) => {
            values.push(message.value?.toString() ?? '');
            if (values.length >= count) {
              clearTimeout(timer);
              done();
            }
            return Promise.resolve();
          },
        })
        .catch(fail);
    });
  } finally {
    await consumer.disconnect();
  }
  await admin.deleteGroups([groupId]).catch(() => undefined);
  return values;
}

describe('shared Kafka broker', () => {
  const brokers = inject('kafkaBrokers');
  const kafka = client(brokers);
  const admin = kafka.admin();
  const topic = `smsgw-test-${tag()}`;

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('is a real broker on 127.0.0.1 that keeps the order of an idempotent producer', async () => {
    expect(brokers).toHaveLength(1);
    expect(brokers[0]).toMatch(/^127\.0\.0\.1:\d+$/);
    await admin.connect();
    const cluster = await admin.describeCluster();
    expect(cluster.brokers.map((b) => `${b.host}:${b.port}`)).toEqual(brokers);

    await createTopic(admin, topic);
    const producer = idempotentProducer(kafka);
    await producer.connect();
    const values = Array.from({ length: 50 }, (_, i) => `m${i}`);
    try {
      await produce(producer, topic, values.slice(0, 20));
      for (const value of values.slice(20)) await produce(producer, topic, [value]);
    } finally {
      await producer.disconnect();
    }
    expect(await consumeAll(kafka, admin, topic, values.length)).toEqual(values);
  });
});

describe('own Kafka broker, stopped and restarted', () => {
  let broker: KafkaBroker | undefined;

  afterAll(async () => {
    await broker?.close();
  });

  it('refuses produces while down and keeps every record across the restart', async () => {
    broker = await KafkaBroker.start({ heapMb: 384 });
    const own = broker;
    const kafka = client(own.brokers);
    const admin = kafka.admin();
    const topic = `smsgw-test-${tag()}`;
    await admin.connect();
    await createTopic(admin, topic);
    const producer = idempotentProducer(kafka);
    await producer.connect();

    try {
      const before = ['b0', 'b1', 'b2', 'b3', 'b4'];
      await produce(producer, topic, before);

      await own.stop();
      const stoppedAt = Date.now();
      expect(own.isRunning).toBe(false);
      // A separate producer with few retries, so its failure is quick and it cannot deliver after the restart.
      const down = idempotentProducer(client(own.brokers), { retries: 1, initialRetryTime: 100, maxRetryTime: 300 });
      const outcome = await Promise.race([
        down.connect().then(() => produce(down, topic, ['while-down'])).then(() => 'sent', () => 'failed'),
        new Promise<string>((ok) => setTimeout(() => ok('timed out'), 10_000)),
      ]);
      await down.disconnect().catch(() => undefined);
      expect(outcome).not.toBe('sent');
      // Down for 20 s, like a real outage: the clients' connections are gone for good, not a blip.
      await new Promise((ok) => setTimeout(ok, Math.max(0, stoppedAt + 20_000 - Date.now())));

      await own.restart();
      expect(own.isRunning).toBe(true);
      const after = ['a0', 'a1', 'a2'];
      // Same producer as before the stop: it reconnects to the same address.
      await produce(producer, topic, after);

      const consumed = await consumeAll(kafka, admin, topic, before.length + after.length);
      expect(consumed.filter((value) => value !== 'while-down')).toEqual([...before, ...after]);
      await admin.deleteTopics({ topics: [topic] });
    } catch (err) {
      throw new Error(`${String(err)}\n--- broker log ---\n${own.logTail(60)}`, { cause: err });
    } finally {
      await producer.disconnect().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
    }
  }, 120_000);
});
