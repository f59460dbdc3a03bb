/**
 * The kafkajs client (consumers, topic creation) and its topics; the producer is on @platformatic/kafka
 * (record-producer.ts). kafkajs logs through a callback here, so the gateway decides what reaches its own logs
 * (connection retries while a broker restarts would otherwise flood stdout).
 */
import { Kafka, logLevel } from 'kafkajs';
import type { KafkaSettings } from './kafka-settings.ts';

export type KafkaLog = (level: 'error' | 'warn' | 'info', message: string) => void;

export function createKafka(settings: KafkaSettings, log?: KafkaLog): Kafka {
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
