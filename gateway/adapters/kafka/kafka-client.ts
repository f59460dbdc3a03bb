/**
 * The kafkajs client, its topics and the producer behind the durable publisher. kafkajs logs through a callback
 * here, so the gateway decides what reaches its own logs (connection retries while a broker restarts would
 * otherwise flood stdout).
 */
import { CompressionTypes, Kafka, logLevel, type Producer } from 'kafkajs';
import type { OutboundRecord, RecordSink } from '../../events/durable-publisher.ts';
import type { KafkaSettings } from './kafka-settings.ts';
import { silenceKafkajsNegativeTimeout } from './kafkajs-timeout-warning.ts';

export type KafkaLog = (level: 'error' | 'warn', message: string) => void;

export function createKafka(settings: KafkaSettings, log?: KafkaLog): Kafka {
  silenceKafkajsNegativeTimeout();
  return new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry) => {
      if (log === undefined) return;
      log(entry.level === logLevel.ERROR ? 'error' : 'warn', `kafka ${entry.namespace}: ${entry.log.message}`);
    },
  });
}

/** Creates the configured topics that do not exist yet; existing ones are left as they are. */
export async function ensureTopics(kafka: Kafka, settings: KafkaSettings): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const { receipts, events, inbound, unmatched, suppressions, verifications, campaigns } = settings.topics;
    const missing = [...new Set([receipts, events, inbound, unmatched, suppressions, verifications, campaigns])].filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: settings.partitions, replicationFactor: settings.replicationFactor })),
      });
    }
    return missing;
  } finally {
    await admin.disconnect();
  }
}

/**
 * An idempotent producer (acks from all in-sync replicas). After a failed send the producer is replaced: its
 * sequence numbers may no longer match the broker's, and a fresh producer id starts clean. The publisher keeps
 * order by sending one batch at a time.
 */
export class KafkaRecordSink implements RecordSink {
  private producer: Producer | undefined;
  private connecting: Promise<Producer> | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly settings: KafkaSettings,
  ) {}

  async send(records: readonly OutboundRecord[]): Promise<void> {
    const producer = await this.connected();
    const byTopic = new Map<string, { key: string; value: string }[]>();
    for (const record of records) {
      let messages = byTopic.get(record.topic);
      if (messages === undefined) byTopic.set(record.topic, (messages = []));
      messages.push({ key: record.key, value: record.value });
    }
    try {
      await producer.sendBatch({
        acks: -1,
        timeout: 10_000,
        compression: this.settings.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    } catch (error: unknown) {
      this.producer = undefined;
      void producer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }

  private async connected(): Promise<Producer> {
    if (this.producer !== undefined) return this.producer;
    this.connecting ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // Bounded on purpose: a broker that stays away must hand the batch to the outbox, not hold it forever.
        retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1_000 },
      });
      try {
        await producer.connect();
        this.producer = producer;
        return producer;
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }
}
