/**
 * The durable publisher's Kafka sink on @platformatic/kafka, against the real broker and read back with kafkajs
 * (the gateway's consumers): every key lands on the partition kafkajs' default partitioner picked before the switch,
 * a key's records keep their order there, gzip batches read back, and a broker that is not there, or that never
 * answers, makes `send` reject (so the publisher falls back to the outbox) instead of waiting.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Kafka, logLevel, Partitioners, type PartitionMetadata } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import type { OutboundRecord } from '../../../../gateway/events/durable-publisher.ts';
import type { KafkaLog } from '../../../../gateway/adapters/kafka/kafka-client.ts';
import { KafkaRecordSink, type RecordSinkTimings } from '../../../../gateway/adapters/kafka/record-producer.ts';
import { kafkaSettings, type KafkaSettings } from '../../../../gateway/index.ts';
import { waitFor } from '../../../support/wait-for.ts';

const PARTITIONS = 6;
const tag = randomBytes(4).toString('hex');
const brokers = inject('kafkaBrokers');
const kafka = new Kafka({ clientId: `record-producer-test-${tag}`, brokers, logLevel: logLevel.NOTHING });

interface Received {
  readonly key: string;
  readonly partition: number;
  readonly value: string;
}

/** The partition kafkajs' producer (the gateway's before the switch) chose for `key`. */
function kafkajsPartition(topic: string, key: string): number {
  const partitionMetadata: PartitionMetadata[] = Array.from({ length: PARTITIONS }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    partitionErrorCode: 0,
    replicas: [1],
    isr: [1],
  }));
  return Partitioners.DefaultPartitioner()({ topic, partitionMetadata, message: { key, value: null } });
}

async function createTopic(name: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: name, numPartitions: PARTITIONS, replicationFactor: 1 }] });
  } finally {
    await admin.disconnect();
  }
}

/** Reads `topic` from its beginning with a kafkajs consumer until `count` records came. */
async function readBack(topic: string, count: number): Promise<Received[]> {
  const consumer = kafka.consumer({ groupId: `record-producer-test-${tag}-${randomBytes(3).toString('hex')}` });
  const received: Received[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: ({ partition, message }) => {
            received.push({ key: message.key?.toString('utf8') ?? '', partition, value: message.value?.toString('utf8') ?? '' });
            if (received.length >= count) resolve();
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
    return received;
  } finally {
    await consumer.disconnect();
  }
}

function settings(partial: Partial<KafkaSettings> = {}): KafkaSettings {
  return kafkaSettings({ brokers, clientId: `record-producer-test-${tag}`, ...partial });
}

/** `keys` × `perKey` records, sent in `batches` sends one after the other (as the publisher does), keys interleaved. */
async function sendInterleaved(sink: KafkaRecordSink, topic: string, keys: readonly string[], perKey: number, batches: number): Promise<void> {
  const records: OutboundRecord[] = [];
  for (let seq = 0; seq < perKey; seq += 1) for (const key of keys) records.push({ topic, key, value: JSON.stringify({ key, seq }) });
  const size = Math.ceil(records.length / batches);
  for (let start = 0; start < records.length; start += size) await sink.send(records.slice(start, start + size));
}

/** A port on loopback that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('KafkaRecordSink', () => {
  const sinks: KafkaRecordSink[] = [];
  const topics: string[] = [];
  const sink = (partial: Partial<KafkaSettings> = {}, log?: KafkaLog, timings?: Partial<RecordSinkTimings>): KafkaRecordSink => {
    const made = new KafkaRecordSink(settings(partial), log, timings);
    sinks.push(made);
    return made;
  };

  afterEach(async () => {
    await Promise.all(sinks.splice(0).map((made) => made.close()));
  });

  afterAll(async () => {
    if (topics.length === 0) return;
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics, timeout: 5_000 }).catch(() => undefined);
    await admin.disconnect();
  });

  describe('on the broker', () => {
    const topic = `record-producer-${tag}`;
    beforeAll(async () => {
      await createTopic(topic);
      topics.push(topic);
    });

    test("each key lands on kafkajs' partition for it, its records in the order they were sent", async () => {
      const keys = Array.from({ length: 12 }, (_, i) => `msg-${tag}-${i}`);
      // The keys must spread, or "the same partition as kafkajs" would say little.
      expect(new Set(keys.map((key) => kafkajsPartition(topic, key))).size).toBeGreaterThan(2);
      const perKey = 10;
      await sendInterleaved(sink(), topic, keys, perKey, 4);

      const received = await readBack(topic, keys.length * perKey);
      expect(received).toHaveLength(keys.length * perKey);
      for (const key of keys) {
        const mine = received.filter((record) => record.key === key);
        expect(new Set(mine.map((record) => record.partition)), key).toEqual(new Set([kafkajsPartition(topic, key)]));
        expect(mine.map((record) => (JSON.parse(record.value) as { seq: number }).seq), key).toEqual(Array.from({ length: perKey }, (_, seq) => seq));
      }
    });

    test('gzip batches read back with kafkajs', async () => {
      const gzipTopic = `record-producer-gzip-${tag}`;
      await createTopic(gzipTopic);
      topics.push(gzipTopic);
      const keys = ['a', 'b', 'c'].map((key) => `${key}-${tag}`);
      await sendInterleaved(sink({ compression: 'gzip' }), gzipTopic, keys, 20, 2);

      const received = await readBack(gzipTopic, keys.length * 20);
      for (const key of keys) {
        const mine = received.filter((record) => record.key === key);
        expect(new Set(mine.map((record) => record.partition))).toEqual(new Set([kafkajsPartition(gzipTopic, key)]));
        expect(mine.map((record) => (JSON.parse(record.value) as { seq: number }).seq)).toEqual(Array.from({ length: 20 }, (_, seq) => seq));
      }
    });

    test('an empty send resolves; a send after close rejects; close twice is fine', async () => {
      const made = sink();
      await made.send([]);
      await made.send([{ topic, key: `k-${tag}`, value: '{}' }]);
      await made.close();
      await made.close();
      await expect(made.send([{ topic, key: `k-${tag}`, value: '{}' }])).rejects.toThrow(/closed/);
    });
  });

  describe('without a broker', () => {
    let silent: Server | undefined;
    const held: Socket[] = [];
    afterEach(async () => {
      for (const socket of held.splice(0)) socket.destroy();
      await new Promise<void>((resolve) => (silent === undefined ? resolve() : silent.close(() => resolve())));
      silent = undefined;
    });

    /** A broker address whose listener takes every connection and never answers. */
    async function silentBroker(): Promise<string> {
      const server = createServer((socket) => held.push(socket));
      silent = server;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `127.0.0.1:${(server.address() as AddressInfo).port}`;
    }

    test('nothing listening: send rejects, again on the next try, with one warning for the broker', async () => {
      const logged: string[] = [];
      const made = sink({ brokers: [`127.0.0.1:${await closedPort()}`] }, (level, message) => logged.push(`${level} ${message}`));
      const record: OutboundRecord = { topic: 'sms.events', key: 'm1', value: '{}' };
      await expect(made.send([record])).rejects.toThrow(/Kafka send failed/);
      await expect(made.send([record])).rejects.toThrow(/Kafka send failed/);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatch(/^warn kafka producer: cannot connect to broker 127\.0\.0\.1:\d+$/);
    });

    test('a broker that takes the connection and never answers: send rejects at its deadline', async () => {
      const broker = await silentBroker();
      // The library's own timeouts are set past the deadline, so only the deadline can end this send.
      const made = sink({ brokers: [broker] }, undefined, { requestTimeoutMs: 60_000, connectTimeoutMs: 60_000, sendDeadlineMs: 1_000 });
      await expect(made.send([{ topic: 'sms.events', key: 'm1', value: '{}' }])).rejects.toThrow(/did not acknowledge 1 records within 1000 ms/);
      expect(held.length).toBeGreaterThan(0);
    });

    test('reset drops the producer a send is stuck on: that send rejects long before its deadline', async () => {
      const broker = await silentBroker();
      const made = sink({ brokers: [broker] }, undefined, { requestTimeoutMs: 60_000, connectTimeoutMs: 60_000, sendDeadlineMs: 60_000 });
      const stuck = made.send([{ topic: 'sms.events', key: 'm1', value: '{}' }]);
      await waitFor(() => held.length > 0, 'the connection taken');
      made.reset();
      await expect(stuck).rejects.toThrow(/Kafka send failed/);
    }, 20_000);
  });
});
