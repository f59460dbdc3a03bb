/**
 * Events and receipts on Kafka. Records go out through the durable publisher (Kafka, or the Redis outbox while
 * Kafka is away); keys keep what must stay ordered on one partition: a message's events by message id, a receipt
 * by connector and SMSC id, inbound by destination. Receipts are read in the group `<groupPrefix>.status`; the event
 * handlers this process runs read their topics in one group together, or one group each (`kafka.eventGroups`, see
 * event-groups.ts), and a batch's offsets are committed only after every handler of its group resolved. A receipts
 * record that is no receipt is parked on the dead-letter topic at once. The adapter owns its Kafka client; the
 * outbox is given (it lives on the backend's Redis). Local subscribers still see every event this process publishes
 * (tests, logs), after it is durable.
 */
import type { Kafka } from 'kafkajs';
import type { Receipt } from '../../../drivers/transport/index.ts';
import { DurablePublisher, type OutboundRecord, type Outbox } from '../../events/durable-publisher.ts';
import { EventListeners } from '../../events/event-listeners.ts';
import type { GatewayEvent, UnmatchedReceiptRecord } from '../../events/gateway-event.ts';
import { parkedReceipt, receiptFromRecord, receiptKey, receiptRecord } from '../../events/receipt-record.ts';
import type { GatewayMetrics } from '../../metrics/gateway-metrics.ts';
import type { EventFilter, EventHandler, EventHandlers, EventTransport, ReceiptHandler } from '../../ports/event-transport.ts';
import { eventsForEach } from './event-records.ts';
import { eventGroupId, groupRoles, type EventRole } from './event-groups.ts';
import { createKafka, ensureTopics, type KafkaLog } from './kafka-client.ts';
import type { KafkaSettings, KafkaTopics } from './kafka-settings.ts';
import { KafkaTopicConsumer, type ConsumedRecord } from './kafka-topic-consumer.ts';
import { KafkaRecordSink } from './record-producer.ts';
import { seedEventGroup } from './seed-event-group.ts';

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
    if (handlers.receipts !== undefined) started.push(this.consumer(`${this.options.settings.groupPrefix}.status`, [this.topics.receipts], this.receiptBatches(handlers.receipts)));
    const byName = new Map((handlers.events ?? []).map((handler) => [handler.name, handler]));
    const roles: EventRole[] = [...byName.values()].map((handler) => ({ name: handler.name, topics: this.topicsOf(handler) }));
    for (const group of groupRoles(this.options.settings.eventGroups, roles)) {
      const groupId = eventGroupId(this.options.settings.groupPrefix, group.map((role) => role.name));
      await this.seed(groupId, group);
      const members = group.map((role) => byName.get(role.name)).filter((handler) => handler !== undefined);
      started.push(this.consumer(groupId, [...new Set(group.flatMap((role) => role.topics))], this.eventBatches(members)));
    }
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

  /** A group starts where its roles stand in all their groups: a new one not at the beginning, an old one not behind. */
  private async seed(groupId: string, roles: readonly EventRole[]): Promise<void> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const seeded = await seedEventGroup(admin, this.options.settings.groupPrefix, groupId, roles);
      if (seeded !== undefined) this.options.log?.('info', `consumer group ${groupId} moved on to where ${seeded.from.join(', ')} got (${seeded.offsets.length} partitions)`);
    } catch (error: unknown) {
      // Refused when another process joined the group first: its seed, or its progress, stands.
      this.options.log?.('warn', `consumer group ${groupId}: not moved on to its roles' other groups (${error instanceof Error ? error.message : String(error)})`);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private consumer(groupId: string, topics: readonly string[], handler: (records: readonly ConsumedRecord[], heartbeat: () => Promise<void>) => Promise<void>): KafkaTopicConsumer {
    const { settings, commitEveryMs, sessionTimeoutMs, log } = this.options;
    const name = groupId.slice(settings.groupPrefix.length + 1);
    return new KafkaTopicConsumer(this.kafka, {
      groupId,
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

  /**
   * Each handler gets the batch's events it wants; the batch is done (and its offsets may be committed) once all
   * of them have stored their effects. A handler that fails fails the batch, after the others finished theirs: the
   * group fetches it again, and the handlers that had succeeded see it again, which their idempotence absorbs.
   */
  private eventBatches(handlers: readonly EventHandler[]) {
    return async (records: readonly ConsumedRecord[], heartbeat: () => Promise<void>): Promise<void> => {
      const lists = eventsForEach(handlers, records.map((record) => record.value));
      const outcomes = await Promise.allSettled(
        handlers.map(async (handler, i) => {
          const events = lists[i] ?? [];
          if (events.length > 0) await handler.handle(events, heartbeat);
        }),
      );
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') throw outcome.reason instanceof Error ? outcome.reason : new Error(String(outcome.reason));
      }
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
