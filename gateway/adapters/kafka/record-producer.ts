/**
 * The producer behind the durable publisher, on @platformatic/kafka: measured against kafkajs it produces the
 * gateway's records for about a quarter of the CPU (README, "Client libraries"). Consumers, topic creation and the
 * CLI stay on kafkajs.
 *
 * What the publisher relies on: `send` resolves only once Kafka acknowledged every record (idempotent producer,
 * acks from all in-sync replicas), and rejects within a bounded time when Kafka stays away, so that the batch and
 * the ones after it go to the outbox rather than wait. Keys land on the partition kafkajs' default partitioner
 * (Java's murmur2) chose before the switch, so a message's events stay on one partition across an upgrade.
 */
import { ProduceAcks, Producer, stringSerializers, type MessageToProduce } from '@platformatic/kafka';
import type { OutboundRecord, RecordSink } from '../../events/durable-publisher.ts';
import type { KafkaLog } from './kafka-client.ts';
import { rememberingPartitioner } from './key-partitioner.ts';
import type { KafkaSettings } from './kafka-settings.ts';

type RecordProducer = Producer<string, string, string, string>;

export interface RecordSinkTimings {
  /** How long a broker may take to accept a connection. */
  readonly connectTimeoutMs: number;
  /** How long the leader may wait for the in-sync replicas before it answers a produce request. */
  readonly ackTimeoutMs: number;
  /** How long a request may go unanswered before the client gives up on it (above the ack timeout). */
  readonly requestTimeoutMs: number;
  /**
   * Retries of one operation (connection, producer id, produce). At least 2: the library takes fewer on an
   * idempotent producer as "retry forever".
   */
  readonly retries: number;
  readonly retryDelayMs: number;
  /**
   * The hard bound on one `send`, whatever the library's retries add up to (they nest: metadata, producer id and
   * produce each retry on their own). Past it the producer is dropped and the send rejects.
   */
  readonly sendDeadlineMs: number;
}

export const DEFAULT_SINK_TIMINGS: RecordSinkTimings = {
  connectTimeoutMs: 3_000,
  ackTimeoutMs: 10_000,
  requestTimeoutMs: 12_000,
  retries: 2,
  retryDelayMs: 250,
  sendDeadlineMs: 15_000,
};

/**
 * After a failed send the producer is replaced: its sequence numbers may no longer match the broker's, and a fresh
 * producer id starts clean. The publisher keeps order by sending one batch at a time.
 */
export class KafkaRecordSink implements RecordSink {
  private producer: RecordProducer | undefined;
  private closed = false;
  /** Brokers whose last connection attempt failed: one warning per outage, not one per retry. */
  private readonly unreachable = new Set<string>();
  /** Kept across producers: a replaced producer's successor finds the same keys. */
  private readonly partitioner = rememberingPartitioner();
  private readonly timings: RecordSinkTimings;

  constructor(
    private readonly settings: KafkaSettings,
    private readonly log?: KafkaLog,
    timings: Partial<RecordSinkTimings> = {},
  ) {
    this.timings = { ...DEFAULT_SINK_TIMINGS, ...timings };
  }

  async send(records: readonly OutboundRecord[]): Promise<void> {
    if (this.closed) throw new Error('the Kafka record sink is closed');
    if (records.length === 0) return;
    const producer = this.current();
    const messages: MessageToProduce<string, string, string, string>[] = records.map((record) => ({ topic: record.topic, key: record.key, value: record.value }));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Kafka did not acknowledge ${records.length} records within ${this.timings.sendDeadlineMs} ms`)),
        this.timings.sendDeadlineMs,
      );
    });
    try {
      await Promise.race([producer.send({ messages }), deadline]);
    } catch (error: unknown) {
      this.replace(producer);
      throw new Error(`Kafka send failed: ${reasons(error)}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  /** The producer a send is stuck on is dropped: sends under way reject, the next send starts a new one. */
  reset(): void {
    const producer = this.producer;
    if (producer !== undefined) this.replace(producer);
  }

  /** Idempotent; never throws. A send still under way rejects. */
  async close(): Promise<void> {
    this.closed = true;
    const producer = this.producer;
    this.producer = undefined;
    await producer?.close(true).catch(() => undefined);
  }

  private current(): RecordProducer {
    this.producer ??= this.create();
    return this.producer;
  }

  private replace(failed: RecordProducer): void {
    // A send that failed alongside another one must not drop the producer that already replaced this one.
    if (this.producer === failed) this.producer = undefined;
    // Forced: pending retries stop, and a late answer can no longer settle anything.
    void failed.close(true).catch(() => undefined);
  }

  private create(): RecordProducer {
    const { settings, timings } = this;
    const producer: RecordProducer = new Producer({
      clientId: settings.clientId,
      bootstrapBrokers: [...settings.brokers],
      serializers: stringSerializers,
      idempotent: true,
      acks: ProduceAcks.ALL,
      compression: settings.compression,
      partitioner: this.partitioner,
      autocreateTopics: false,
      connectTimeout: timings.connectTimeoutMs,
      timeout: timings.ackTimeoutMs,
      requestTimeout: timings.requestTimeoutMs,
      retries: Math.max(2, timings.retries),
      retryDelay: timings.retryDelayMs,
    });
    producer.on('client:broker:failed', ({ broker }) => {
      const address = `${broker.host}:${broker.port}`;
      if (this.unreachable.has(address)) return;
      this.unreachable.add(address);
      this.log?.('warn', `kafka producer: cannot connect to broker ${address}`);
    });
    producer.on('client:broker:connect', ({ broker }) => {
      this.unreachable.delete(`${broker.host}:${broker.port}`);
    });
    return producer;
  }
}

/** The distinct messages inside the library's nested retry errors (its own message says only how many tries). */
function reasons(error: unknown): string {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (value instanceof AggregateError && value.errors.length > 0) {
      for (const inner of value.errors) visit(inner);
    } else if (value instanceof Error) {
      found.add(value.message);
    } else {
      found.add(String(value));
    }
  };
  visit(error);
  return [...found].join('; ');
}
