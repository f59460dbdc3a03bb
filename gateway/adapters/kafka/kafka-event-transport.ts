/**
 * Events and receipts on Kafka. Records go out through the durable publisher (Kafka, or the Redis outbox while
 * Kafka is away); keys keep what must stay ordered on one partition: a message's events by message id, a receipt
 * by connector and SMSC id, inbound by destination. Each handler this process runs reads its topics in a consumer
 * group of its own (`<groupPrefix>.status` for receipts, `<groupPrefix>.<name>` for event handlers), and a batch's
 * offsets are committed only after its handler resolved. A receipts record that is no receipt is parked on the
 * dead-letter topic at once. The adapter owns its Kafka client; the outbox is given (it lives on the backend's
 * Redis). Local subscribers still see every event this process publishes (tests, logs), after it is durable.
 */
import type { Kafka } from 'kafkajs';
import type { Receipt } from '../../../drivers/transport/index.ts';
import { DurablePublisher, type OutboundRecord, type Outbox } from '../../events/durable-publisher.ts';
import { EventListeners } from '../../events/event-listeners.ts';
import type { GatewayEvent, UnmatchedReceiptRecord } from '../../events/gateway-event.ts';
import { parkedReceipt, receiptFromRecord, receiptKey, receiptRecord } from '../../events/receipt-record.ts';
import type { GatewayMetrics } from '../../metrics/gateway-metrics.ts';
import type { EventFilter, EventHandler, EventHandlers, EventTransport, ReceiptHandler } from '../../ports/event-transport.ts';
import { eventsFor } from './event-records.ts';
import { createKafka, ensureTopics, type KafkaLog } from './kafka-client.ts';
import type { KafkaSettings, KafkaTopics } from './kafka-settings.ts';
import { KafkaTopicConsumer, type ConsumedRecord } from './kafka-topic-consumer.ts';
import { KafkaRecordSink } from './record-producer.ts';

export interface KafkaEventTransportOptions {
  readonly settings: KafkaSettings;
  /** Where records wait while Kafka is away (the backend's Redis: `RedisBackend.outbox`). */
  readonly outbox: Outbox;
  /** This process's name (outbox lead, logs). */
  readonly owner: string;
  readonly metrics?: GatewayMetrics;
  readonly log?: KafkaLog;
  /** Commit consumer offsets at most this often (default: the settings' `commitIntervalMs`; 0 after every batch). */
  readonly commitEveryMs?: number;
  /** Consumer group session timeout (default: the settings' `sessionTimeoutMs`): how soon a dead process's partitions move on. */
  readonly sessionTimeoutMs?: number;
}

export class KafkaEventTransport implements EventTransport {
  readonly shared = true;
  readonly publisher: DurablePublisher;
  private readonly listeners = new EventListeners();
  private readonly consumers: KafkaTopicConsumer[] = [];
  private readonly topics: KafkaTopics;

  private constructor(
    private readonly options: KafkaEventTransportOptions,
    private readonly kafka: Kafka,
    private readonly sink: KafkaRecordSink,
  ) {
    const { metrics, log } = options;
    this.topics = options.settings.topics;
    this.publisher = new DurablePublisher({
      sink,
      outbox: options.outbox,
      owner: options.owner,
      maxOutbox: options.settings.outboxLimit,
      spillAfterMs: options.settings.spillAfterMs,
      observer: {
        published: (topic, count) => metrics?.eventsPublished.inc({ topic }, count),
        outboxSize: (size) => metrics?.outboxSize.set(size),
        fellBack: (reason) => {
          metrics?.outboxFallbacks.inc();
          log?.('warn', `Kafka send failed (${reason}); records go to the outbox until it answers again`);
        },
      },
    });
  }

  /** Connects, creates missing topics when allowed, and starts the publisher's relay. */
  static async create(options: KafkaEventTransportOptions): Promise<KafkaEventTransport> {
    const kafka = createKafka(options.settings, options.log);
    if (options.settings.createTopics) await ensureTopics(kafka, options.settings);
    const transport = new KafkaEventTransport(options, kafka, new KafkaRecordSink(options.settings, options.log));
    transport.publisher.start();
    return transport;
  }

  get accepting(): boolean {
    return this.publisher.accepting;
  }

  async publish(event: GatewayEvent): Promise<void> {
    await this.publisher.publish([this.record(event)]);
    this.listeners.emit(event);
  }

  /** Everything goes to the topics, whoever reads them. */
  interested(): boolean {
    return true;
  }

  appendReceipt(receipt: Receipt): Promise<void> {
    const record = receiptRecord(receipt);
    return this.publisher.publish([{ topic: this.topics.receipts, key: receiptKey(record.connector, record.smscMessageId), value: JSON.stringify(record) }]);
  }

  park(record: UnmatchedReceiptRecord, key: string): Promise<void> {
    return this.publisher.publish([{ topic: this.topics.unmatched, key, value: JSON.stringify(record) }]);
  }

  async consume(handlers: EventHandlers): Promise<void> {
    const started: KafkaTopicConsumer[] = [];
    if (handlers.receipts !== undefined) started.push(this.consumer('status', [this.topics.receipts], this.receiptBatches(handlers.receipts)));
    for (const handler of handlers.events ?? []) started.push(this.consumer(handler.name, this.topicsOf(handler), this.eventBatches(handler)));
    this.consumers.push(...started);
    await Promise.all(started.map((consumer) => consumer.start()));
  }

  async stopConsuming(): Promise<void> {
    await Promise.all(this.consumers.splice(0).map((consumer) => consumer.stop()));
  }

  subscribe(listener: (event: GatewayEvent) => void, filter?: EventFilter): () => void {
    return this.listeners.add(listener, filter);
  }

  /** Leaves the groups, flushes what is waiting (to Kafka or the outbox) and disconnects. */
  async close(): Promise<void> {
    await this.stopConsuming();
    this.listeners.clear();
    await this.publisher.close();
    await this.sink.close();
  }

  private consumer(name: string, topics: readonly string[], handler: (records: readonly ConsumedRecord[], heartbeat: () => Promise<void>) => Promise<void>): KafkaTopicConsumer {
    const { settings, commitEveryMs, sessionTimeoutMs, log } = this.options;
    return new KafkaTopicConsumer(this.kafka, {
      groupId: `${settings.groupPrefix}.${name}`,
      topics,
      handler,
      onError: (error: unknown) => log?.('error', `consumer: ${error instanceof Error ? error.message : String(error)}`),
      onRejoin: (error, delayMs) => {
        this.options.metrics?.consumerRejoins.inc({ group: name });
        log?.('warn', `consumer group ${name} stopped (${error.message}); joining it again in ${delayMs} ms`);
      },
      ...commitEvery(commitEveryMs ?? settings.commitIntervalMs),
      sessionTimeoutMs: sessionTimeoutMs ?? settings.sessionTimeoutMs,
      minBytes: settings.fetchMinBytes,
      maxWaitMs: settings.fetchMaxWaitMs,
    });
  }

  /** Readable receipts go to the handler; a record that is no receipt is parked at once, with its text. */
  private receiptBatches(handler: ReceiptHandler) {
    return async (records: readonly ConsumedRecord[], heartbeat: () => Promise<void>): Promise<void> => {
      const receipts: Receipt[] = [];
      for (const record of records) {
        const receipt = readReceipt(record.value);
        if (receipt !== undefined) {
          receipts.push(receipt);
          continue;
        }
        const parked = parkedReceipt('unreadable', new Date(), { payload: (record.value ?? '').slice(0, 10_000) });
        await this.park(parked, parked.id);
        this.options.metrics?.receiptsParked.inc({ reason: 'unreadable' });
      }
      if (receipts.length > 0) await handler.handle(receipts, heartbeat);
    };
  }

  private eventBatches(handler: EventHandler) {
    return async (records: readonly ConsumedRecord[], heartbeat: () => Promise<void>): Promise<void> => {
      const events = eventsFor(handler, records.map((record) => record.value));
      if (events.length > 0) await handler.handle(events, heartbeat);
    };
  }

  private topicsOf(handler: EventHandler): string[] {
    const topics = new Set<string>();
    for (const type of handler.types) topics.add(this.topicOf(type));
    return [...topics];
  }

  private topicOf(type: GatewayEvent['type']): string {
    switch (type) {
      case 'message.inbound':
        return this.topics.inbound;
      case 'suppression.changed':
        return this.topics.suppressions;
      case 'verification.status':
        return this.topics.verifications;
      case 'campaign.status':
        return this.topics.campaigns;
      default:
        return this.topics.events;
    }
  }

  private record(event: GatewayEvent): OutboundRecord {
    const value = JSON.stringify(event);
    switch (event.type) {
      case 'message.status':
      case 'message.part':
        return { topic: this.topics.events, key: event.messageId, value };
      case 'message.inbound':
        return { topic: this.topics.inbound, key: event.to, value };
      case 'suppression.changed':
        // One number's changes stay in order (one partition per account and number).
        return { topic: this.topics.suppressions, key: `${event.accountId}:${event.number}`, value };
      case 'verification.status':
        // One number's verifications stay in order.
        return { topic: this.topics.verifications, key: `${event.accountId}:${event.to}`, value };
      case 'link.clicked':
        // Beside the message's own events (one partition per message); a link of no message by its code.
        return { topic: this.topics.events, key: event.messageId ?? event.code, value };
      case 'campaign.status':
        // One campaign's changes stay in order.
        return { topic: this.topics.campaigns, key: event.campaignId, value };
    }
  }
}

function readReceipt(value: string | undefined): Receipt | undefined {
  if (value === undefined) return undefined;
  try {
    return receiptFromRecord(JSON.parse(value) as unknown);
  } catch {
    return undefined;
  }
}

/** 0 is kafkajs's own commit after every batch. */
function commitEvery(ms: number): { readonly commitEveryMs?: number } {
  return ms > 0 ? { commitEveryMs: ms } : {};
}
