/**
 * Runs the gateway from a configuration document: the backend (Redis with REDIS_URL, memory without), the
 * router, the drivers, the core and the HTTP API; SIGHUP reloads the routing sections of the file, SIGINT and
 * SIGTERM stop gracefully.
 */
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/index.ts';
import {
  createDriver,
  createMemoryBackend,
  createRedisBackend,
  Gateway,
  GatewayMetrics,
  gatewayError,
  KafkaPipeline,
  kafkaSettings,
  loadRoutingFile,
  parseGatewayConfig,
  readBuiltinRanges,
  DEFAULT_KAFKA_TOPICS as DEFAULT_TOPICS,
  type MessageBackend,
} from '../../gateway/index.ts';
import { buildRoutingTable, RouterHandle } from '../../router/index.ts';

export interface RunningGateway {
  readonly url: string;
  readonly gateway: Gateway;
  readonly app: FastifyInstance;
  readonly backend: MessageBackend;
  readonly pipeline?: KafkaPipeline;
  stop(): Promise<void>;
}

export interface RunOptions {
  readonly document: Record<string, unknown>;
  readonly fileName: string;
  /** The file to reload on SIGHUP, when the configuration came from one. */
  readonly path?: string;
  readonly redisUrl?: string;
  /** Key prefix in Redis (default `smsgw:`), so several gateways or test runs can share one Redis. */
  readonly redisPrefix?: string;
  readonly logLevel?: string;
  /** Kafka brokers (KAFKA_BROKERS); they replace the file's `kafka.brokers`. Kafka needs Redis. */
  readonly kafkaBrokers?: readonly string[];
  /** Name of this process in queues and the outbox lead. */
  readonly processName?: string;
  /** Listen address and port (HOST, PORT); they replace the file's `server` section. */
  readonly host?: string;
  readonly port?: number;
}

export async function runGateway(options: RunOptions): Promise<RunningGateway> {
  const config = parseGatewayConfig(options.document, options.fileName);
  const connectorIds = new Set(config.connectors.map((c) => c.id));
  const table =
    options.path === undefined
      ? buildRoutingTable(options.document, { fileName: options.fileName, connectorIds, rangeEntries: [...readBuiltinRanges()] })
      : loadRoutingFile(options.path, { connectorIds });
  const router = new RouterHandle(table);
  const drivers = config.connectors.map(createDriver);
  const backend =
    options.redisUrl === undefined
      ? createMemoryBackend()
      : createRedisBackend({ url: options.redisUrl, ...(options.redisPrefix === undefined ? {} : { prefix: options.redisPrefix }) });
  const brokers = options.kafkaBrokers ?? config.kafka?.brokers;
  let pipeline: KafkaPipeline | undefined;
  const metrics = new GatewayMetrics();
  // The Kafka client logs through the HTTP app's logger, which exists only once the gateway is running.
  const logTo: { app?: FastifyInstance } = {};
  const processName = options.processName ?? `${hostname()}-${process.pid}`;
  if (brokers !== undefined && brokers.length > 0) {
    if (options.redisUrl === undefined) {
      await backend.close();
      throw gatewayError('GW_INVALID_CONFIG', `${options.fileName}: Kafka needs Redis (set REDIS_URL): the event outbox and the webhook queue live there`, { field: 'kafka' });
    }
    const { topics, ...rest } = config.kafka ?? {};
    pipeline = await KafkaPipeline.create({
      settings: kafkaSettings({ ...rest, brokers, ...(topics === undefined ? {} : { topics: { ...DEFAULT_TOPICS, ...topics } }) }),
      redisUrl: options.redisUrl,
      ...(options.redisPrefix === undefined ? {} : { redisPrefix: options.redisPrefix }),
      owner: processName,
      metrics,
      log: (level, message) => logTo.app?.log[level](message),
    }).catch(async (error: unknown) => {
      await backend.close();
      throw error;
    });
  }
  const gateway = new Gateway({
    backend,
    router,
    drivers,
    accounts: config.accounts,
    metrics,
    consumer: processName,
    retry: { maxAttempts: config.dispatch.maxAttempts, baseDelayMs: config.dispatch.baseDelayMs, maxDelayMs: config.dispatch.maxDelayMs },
    reclaimIdleMs: config.dispatch.reclaimIdleMs,
    ...(pipeline === undefined ? {} : { events: pipeline.events, receiptLog: pipeline.events }),
  });
  await gateway.start();
  await pipeline?.startConsumers(gateway);
  const app = await buildApp({ gateway, logger: { level: options.logLevel ?? 'info' } });
  logTo.app = app;
  const address = await app.listen({ host: options.host ?? config.server.host, port: options.port ?? config.server.port });
  const onHup = (): void => {
    if (options.path === undefined) return;
    const result = router.reload(() => loadRoutingFile(options.path, { connectorIds }));
    if (result.ok) app.log.info({ version: result.table.version }, 'routing reloaded');
    else app.log.error({ err: result.error }, 'routing reload refused; the previous configuration stays in force');
  };
  process.on('SIGHUP', onHup);
  return {
    url: address,
    gateway,
    app,
    backend,
    ...(pipeline === undefined ? {} : { pipeline }),
    stop: async () => {
      process.off('SIGHUP', onHup);
      await app.close();
      await pipeline?.stopConsumers();
      await gateway.stop();
      await pipeline?.close();
      await backend.close();
    },
  };
}
