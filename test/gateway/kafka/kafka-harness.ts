/**
 * A gateway on Redis and a real Kafka broker for the Kafka tests: SMSC simulator, SMPP driver, Redis backend
 * with its own key prefix, the Kafka event transport with its own topics and consumer groups, a webhook receiver,
 * and a reader that takes a topic back from its beginning. Everything it made is removed by `close()`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { createSmppConnector } from '../../../drivers/smpp/index.ts';
import {
  createRedisBackend,
  Gateway,
  GatewayMetrics,
  hashApiKey,
  KafkaEventTransport,
  kafkaSettings,
  loadRoutingFile,
  type ConsumerRole,
  type KafkaSettings,
  type RedisBackend,
} from '../../../gateway/index.ts';
import { RouterHandle } from '../../../router/index.ts';
import { startSmscSimulator, type SmscSimulatorHandle } from '../../../simulator/index.ts';
import { waitFor } from '../../support/wait-for.ts';

export { waitFor };

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const SECRET = 'whsec-kafka-test-secret';

export interface Hook {
  readonly body: string;
  readonly signature: string;
  readonly eventId: string;
}

export interface ReadRecord {
  readonly key: string;
  readonly partition: number;
  readonly offset: number;
  readonly value: Record<string, unknown>;
}


export async function hookServer(answer: () => number = () => 204): Promise<{ server: Server; url: string; hooks: Hook[] }> {
  const hooks: Hook[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const status = answer();
      if (status < 300) {
        hooks.push({
          body: Buffer.concat(chunks).toString('utf8'),
          signature: String(req.headers['smsgw-signature'] ?? ''),
          eventId: String(req.headers['smsgw-event-id'] ?? ''),
        });
      }
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, hooks };
}

export interface HarnessOptions {
  readonly brokers: readonly string[];
  readonly scenario?: string;
  readonly roles?: readonly ConsumerRole[];
  readonly settings?: Partial<KafkaSettings>;
}

export class KafkaHarness {
  readonly tag = randomBytes(4).toString('hex');
  readonly prefix = `smsgw-test:${this.tag}:`;
  readonly settings: KafkaSettings;
  readonly metrics = new GatewayMetrics({ processMetrics: false });
  readonly kafka: Kafka;
  simulator!: SmscSimulatorHandle;
  backend!: RedisBackend;
  transport!: KafkaEventTransport;
  gateway!: Gateway;
  hooks!: Awaited<ReturnType<typeof hookServer>>;

  constructor(private readonly options: HarnessOptions) {
    this.settings = kafkaSettings({
      brokers: options.brokers,
      clientId: `smsgw-test-${this.tag}`,
      partitions: 3,
      groupPrefix: `smsgw-test-${this.tag}`,
      receiptHoldMs: 3_000,
      ...options.settings,
      topics: {
        receipts: `sms.receipts.${this.tag}`,
        events: `sms.events.${this.tag}`,
        inbound: `sms.inbound.${this.tag}`,
        unmatched: `sms.receipts.unmatched.${this.tag}`,
        suppressions: `sms.suppressions.${this.tag}`,
        verifications: `sms.verifications.${this.tag}`,
        campaigns: `sms.campaigns.${this.tag}`,
      },
    });
    this.kafka = new Kafka({ clientId: `reader-${this.tag}`, brokers: [...options.brokers], logLevel: logLevel.NOTHING });
  }

  async start(hookAnswer?: () => number): Promise<Gateway> {
    this.simulator = await startSmscSimulator({ scenario: this.options.scenario ?? 'happy', accounts: [{ systemId: 'gw', password: 'pw', maxBinds: 4 }] });
    this.hooks = await hookServer(hookAnswer);
    this.backend = createRedisBackend({ url: REDIS_URL, prefix: this.prefix });
    this.transport = await this.newTransport();
    this.gateway = this.newGateway(this.transport, [this.smppDriver()], this.options.roles);
    await this.gateway.start();
    await waitFor(() => (this.gateway.links.isUp('smpp-aggregator') ? true : undefined), 'bind up');
    return this.gateway;
  }

  /**
   * Another process's share of the work, in this one: a gateway without drivers on the same Redis and topics that
   * runs only `roles`. Stop it with `stop()`.
   */
  async replica(roles: readonly ConsumerRole[]): Promise<Gateway> {
    const gateway = this.newGateway(await this.newTransport(), [], roles);
    await gateway.start();
    return gateway;
  }

  private newTransport(): Promise<KafkaEventTransport> {
    return KafkaEventTransport.create({
      sessionTimeoutMs: 6_000,
      settings: this.settings,
      outbox: this.backend.outbox,
      owner: `test-${this.tag}-${randomBytes(2).toString('hex')}`,
      metrics: this.metrics,
    });
  }

  private smppDriver() {
    return createSmppConnector({
      id: 'smpp-aggregator',
      host: '127.0.0.1',
      port: this.simulator.smppPort,
      systemId: 'gw',
      password: 'pw',
      binds: 2,
      windowSize: 50,
      reconnect: { initialMs: 50, maxMs: 500 },
    });
  }

  private newGateway(transport: KafkaEventTransport, drivers: ReturnType<KafkaHarness['smppDriver']>[], roles: readonly ConsumerRole[] | undefined): Gateway {
    return new Gateway({
      backend: this.backend,
      router: new RouterHandle(loadRoutingFile(undefined)),
      drivers,
      accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey('k')], defaultCountry: 'JP', callbackUrl: this.hooks.url, callbackSecret: SECRET }],
      metrics: this.metrics,
      events: transport,
      receiptHoldMs: this.settings.receiptHoldMs,
      webhooks: { schedule: [200, 400], timeoutMs: 2_000, allow: ['127.0.0.1/32'] },
      ...(roles === undefined ? {} : { roles }),
    });
  }

  /** Reads a topic from its beginning (a fresh group) until `done` says the records are enough. */
  async read(topic: string, done: (records: readonly ReadRecord[]) => boolean, ms = 30_000): Promise<ReadRecord[]> {
    const consumer = this.kafka.consumer({ groupId: `reader-${this.tag}-${randomBytes(3).toString('hex')}` });
    const records: ReadRecord[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${records.length} records from ${topic} in ${ms} ms`)), ms);
        consumer
          .run({
            eachMessage: ({ partition, message }) => {
              records.push({
                key: message.key?.toString('utf8') ?? '',
                partition,
                offset: Number(message.offset),
                value: JSON.parse(message.value?.toString('utf8') ?? 'null') as Record<string, unknown>,
              });
              if (done(records)) {
                clearTimeout(timer);
                resolve();
              }
              return Promise.resolve();
            },
          })
          .catch(reject);
        if (done(records)) {
          clearTimeout(timer);
          resolve();
        }
      });
      return records;
    } finally {
      await consumer.disconnect();
    }
  }

  async close(): Promise<void> {
    // Stops the gateway's consumers, then flushes and closes its transport.
    await this.gateway?.stop().catch(() => undefined);
    await this.backend?.close().catch(() => undefined);
    await this.simulator?.close().catch(() => undefined);
    await new Promise((resolve) => this.hooks?.server.close(resolve));
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const { receipts, events, inbound, unmatched } = this.settings.topics;
      await admin.deleteTopics({ topics: [receipts, events, inbound, unmatched], timeout: 5_000 });
    } catch {
      // The broker of a test that stopped it may be gone already.
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${this.prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  }
}
