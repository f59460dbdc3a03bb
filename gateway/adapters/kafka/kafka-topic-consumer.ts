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
  /**
   * Commit at most this often (default: after every batch). Offsets are resolved only after the handler, so a
   * longer interval never commits an effect that is not stored; it only makes a restart replay more.
   */
  readonly commitEveryMs?: number;
  /** How long the group waits for a silent member before handing its partitions on (default 30 s). */
  readonly sessionTimeoutMs?: number;
  /** A fetch is answered once this many bytes wait or `maxWaitMs` passed (defaults: kafkajs's, 1 byte and 5 s). */
  readonly minBytes?: number;
  readonly maxWaitMs?: number;
}

export class KafkaTopicConsumer {
  private consumer: Consumer | undefined;
  private lastCommit = Date.now();

  constructor(
    private readonly kafka: Kafka,
    private readonly options: TopicConsumerOptions,
  ) {}

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: Math.min(3_000, Math.floor((this.options.sessionTimeoutMs ?? 30_000) / 3)),
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 5_000 },
      ...(this.options.minBytes === undefined ? {} : { minBytes: this.options.minBytes }),
      ...(this.options.maxWaitMs === undefined ? {} : { maxWaitTimeInMs: this.options.maxWaitMs }),
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.options.topics], fromBeginning: this.options.fromBeginning ?? true });
    await consumer.run({
      // kafkajs commits the resolved offsets after every batch; with an interval, this class commits instead.
      autoCommit: this.options.commitEveryMs === undefined,
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
        const every = this.options.commitEveryMs;
        if (every !== undefined && Date.now() - this.lastCommit >= every) {
          const next = (BigInt(batch.lastOffset()) + 1n).toString();
          await payload.commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }] });
          this.lastCommit = Date.now();
        }
      },
    });
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
  }
}
