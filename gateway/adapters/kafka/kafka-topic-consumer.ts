/**
 * One consumer group over some topics, handing each fetched batch to a handler and committing the batch's
 * offsets only after the handler has stored its effects. A handler that throws leaves the batch uncommitted:
 * kafkajs fetches it again, and the handlers' effects are idempotent, so a replay changes nothing.
 */
import type { Consumer, Kafka } from 'kafkajs';

export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | undefined;
  readonly value: string | undefined;
}

export type BatchHandler = (records: readonly ConsumedRecord[], heartbeat: () => Promise<void>) => Promise<void>;

export interface TopicConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly handler: BatchHandler;
  /** Where a group without committed offsets starts (default: the beginning, so nothing is skipped). */
  readonly fromBeginning?: boolean;
  readonly onError?: (error: unknown) => void;
}

export class KafkaTopicConsumer {
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: TopicConsumerOptions,
  ) {}

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.options.topics], fromBeginning: this.options.fromBeginning ?? true });
    await consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        if (!payload.isRunning() || payload.isStale() || batch.messages.length === 0) return;
        const records = batch.messages.map((message) => ({
          topic: batch.topic,
          partition: batch.partition,
          offset: message.offset,
          key: message.key?.toString('utf8'),
          value: message.value?.toString('utf8'),
        }));
        try {
          await this.options.handler(records, () => payload.heartbeat());
        } catch (error: unknown) {
          this.options.onError?.(error);
          throw error;
        }
        payload.resolveOffset(batch.lastOffset());
      },
    });
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
  }
}
