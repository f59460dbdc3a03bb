/**
 * The gateway on Kafka: the durable publisher (Kafka, or the Redis outbox while Kafka is away), the event log
 * the core publishes to, and the consumer groups that act on the topics: the status updater (receipts to
 * message state), the webhook feeder and its sender, and the usage counter. Every consumer commits only after
 * its effect is stored, and every effect is idempotent.
 */
import { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import type { Gateway } from '../../gateway.ts';
import { DurablePublisher } from '../../events/durable-publisher.ts';
import type { UnmatchedReceiptRecord } from '../../events/gateway-event.ts';
import { receiptKey } from '../../events/receipt-record.ts';
import type { GatewayMetrics } from '../../metrics/gateway-metrics.ts';
import { StatusUpdater } from '../../consumers/status-updater.ts';
import { UsageConsumer } from '../../consumers/usage-consumer.ts';
import { WebhookFeeder } from '../../consumers/webhook-feeder.ts';
import { webhookObserver } from '../../webhooks/webhook-observer.ts';
import type { WebhookSettings } from '../../webhooks/webhook-delivery.ts';
import { WebhookSender } from '../../webhooks/webhook-sender.ts';
import { DEFAULT_KEY_PREFIX, redisKeys } from '../redis/redis-keys.ts';
import { RedisOutbox } from '../redis/redis-outbox.ts';
import { RedisUsage } from '../redis/redis-usage.ts';
import { RedisWebhookQueue } from '../redis/redis-webhook-queue.ts';
import { createKafka, ensureTopics, KafkaRecordSink, type KafkaLog } from './kafka-client.ts';
import { KafkaEventLog } from './kafka-event-log.ts';
import type { KafkaSettings } from './kafka-settings.ts';
import { KafkaTopicConsumer } from './kafka-topic-consumer.ts';

/**
 * What a process does with the topics: apply receipts (`status`), turn events into webhook jobs (`webhooks`),
 * post the jobs (`webhook-sender`, not a consumer group: it works from the Redis queue), count usage (`usage`).
 */
export type ConsumerRole = 'status' | 'webhooks' | 'webhook-sender' | 'usage';
export const CONSUMER_ROLES: readonly ConsumerRole[] = ['status', 'webhooks', 'webhook-sender', 'usage'];

export interface KafkaPipelineOptions {
  readonly settings: KafkaSettings;
  readonly redisUrl: string;
  readonly redisPrefix?: string;
  /** This process's name (outbox lead, logs). */
  readonly owner: string;
  readonly metrics?: GatewayMetrics;
  readonly log?: KafkaLog;
  readonly webhooks?: WebhookSettings;
  /** Which consumer groups this process joins (default all). */
  readonly roles?: readonly ConsumerRole[];
  /** Commit consumer offsets at most this often (default after every batch). */
  readonly commitEveryMs?: number;
  /** Consumer group session timeout (default 30 s): how soon a dead process's partitions move on. */
  readonly sessionTimeoutMs?: number;
}

export class KafkaPipeline {
  readonly events: KafkaEventLog;
  readonly publisher: DurablePublisher;
  readonly usage: RedisUsage;
  readonly webhookQueue: RedisWebhookQueue;
  private readonly consumers: KafkaTopicConsumer[] = [];
  private sender: WebhookSender | undefined;

  private constructor(
    private readonly options: KafkaPipelineOptions,
    private readonly kafka: Kafka,
    private readonly sink: KafkaRecordSink,
    private readonly redis: Redis,
  ) {
    const keys = redisKeys(options.redisPrefix ?? DEFAULT_KEY_PREFIX);
    const metrics = options.metrics;
    this.publisher = new DurablePublisher({
      sink,
      outbox: new RedisOutbox(redis, keys),
      owner: options.owner,
      maxOutbox: options.settings.outboxLimit,
      observer: {
        published: (topic, count) => metrics?.eventsPublished.inc({ topic }, count),
        outboxSize: (size) => metrics?.outboxSize.set(size),
        fellBack: (reason) => {
          metrics?.outboxFallbacks.inc();
          options.log?.('warn', `Kafka send failed (${reason}); records go to the outbox until it answers again`);
        },
      },
    });
    this.events = new KafkaEventLog(this.publisher, options.settings.topics);
    this.usage = new RedisUsage(redis, keys);
    this.webhookQueue = new RedisWebhookQueue(redis, keys);
  }

  /** Connects, creates missing topics when allowed, and starts the publisher's relay. */
  static async create(options: KafkaPipelineOptions): Promise<KafkaPipeline> {
    const kafka = createKafka(options.settings, options.log);
    if (options.settings.createTopics) await ensureTopics(kafka, options.settings);
    const redis = new Redis(options.redisUrl, { enableAutoPipelining: true, maxRetriesPerRequest: 3 });
    const pipeline = new KafkaPipeline(options, kafka, new KafkaRecordSink(kafka, options.settings), redis);
    pipeline.publisher.start();
    return pipeline;
  }

  /** Joins the consumer groups of this process's roles, acting through `gateway`. */
  async startConsumers(gateway: Gateway): Promise<void> {
    const { settings, metrics } = this.options;
    const roles = new Set(this.options.roles ?? CONSUMER_ROLES);
    const topics = settings.topics;
    const onError = (error: unknown): void => this.options.log?.('error', `consumer: ${error instanceof Error ? error.message : String(error)}`);
    const commit = {
      ...(this.options.commitEveryMs === undefined ? {} : { commitEveryMs: this.options.commitEveryMs }),
      ...(this.options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: this.options.sessionTimeoutMs }),
    };
    if (roles.has('status')) {
      const updater = new StatusUpdater({
        gateway,
        holdMs: settings.receiptHoldMs,
        park: (record: UnmatchedReceiptRecord) =>
          this.publisher.publish([{ topic: topics.unmatched, key: record.receipt === undefined ? record.id : receiptKey(record.receipt.connector, record.receipt.smscMessageId), value: JSON.stringify(record) }]),
        observer: { parked: (reason) => metrics?.receiptsParked.inc({ reason }) },
      });
      this.consumers.push(
        new KafkaTopicConsumer(this.kafka, { groupId: `${settings.groupPrefix}.status`, topics: [topics.receipts], handler: (records, heartbeat) => updater.handle(records, heartbeat), onError, ...commit }),
      );
    }
    if (roles.has('webhook-sender')) {
      const sender = new WebhookSender({
        queue: this.webhookQueue,
        ...this.options.webhooks,
        observer: webhookObserver(metrics, gateway.log),
      });
      this.sender = sender;
      sender.start();
    }
    if (roles.has('webhooks')) {
      const feeder = new WebhookFeeder({
        account: (id) => gateway.accounts.get(id),
        store: async (jobs) => {
          const added = await this.webhookQueue.add(jobs, Date.now());
          metrics?.webhookJobs.inc({ outcome: 'added' }, added);
          if (jobs.length > added) metrics?.webhookJobs.inc({ outcome: 'duplicate' }, jobs.length - added);
          return added;
        },
      });
      this.consumers.push(
        new KafkaTopicConsumer(this.kafka, {
          groupId: `${settings.groupPrefix}.webhooks`,
          topics: [topics.events, topics.inbound],
          handler: async (records) => {
            if ((await feeder.handle(records)) > 0) this.sender?.nudge();
          },
          onError,
          ...commit,
        }),
      );
    }
    if (roles.has('usage')) {
      const usage = new UsageConsumer(this.usage);
      this.consumers.push(
        new KafkaTopicConsumer(this.kafka, { groupId: `${settings.groupPrefix}.usage`, topics: [topics.events], handler: async (records, heartbeat) => void (await usage.handle(records, heartbeat)), onError, ...commit }),
      );
    }
    await Promise.all(this.consumers.map((consumer) => consumer.start()));
  }

  /** Leaves the consumer groups (their last committed offsets stay for the next start). */
  async stopConsumers(): Promise<void> {
    await Promise.all(this.consumers.splice(0).map((consumer) => consumer.stop()));
    await this.sender?.stop();
    this.sender = undefined;
  }

  /** After the gateway stopped: flushes what is waiting (to Kafka or the outbox) and disconnects. */
  async close(): Promise<void> {
    await this.stopConsumers();
    await this.publisher.close();
    await this.sink.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
