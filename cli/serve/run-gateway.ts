/**
 * Runs the gateway from a configuration document: the backend (Redis with REDIS_URL, memory without), the
 * router, the drivers, the core and the HTTP API; SIGHUP reloads the routing sections of the file, SIGINT and
 * SIGTERM stop gracefully.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/index.ts';
import {
  createDriver,
  createMemoryBackend,
  createRedisBackend,
  Gateway,
  loadRoutingFile,
  parseGatewayConfig,
  readBuiltinRanges,
  type MessageBackend,
} from '../../gateway/index.ts';
import { buildRoutingTable, RouterHandle } from '../../router/index.ts';

export interface RunningGateway {
  readonly url: string;
  readonly gateway: Gateway;
  readonly app: FastifyInstance;
  readonly backend: MessageBackend;
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
  const gateway = new Gateway({
    backend,
    router,
    drivers,
    accounts: config.accounts,
    retry: { maxAttempts: config.dispatch.maxAttempts, baseDelayMs: config.dispatch.baseDelayMs, maxDelayMs: config.dispatch.maxDelayMs },
    reclaimIdleMs: config.dispatch.reclaimIdleMs,
  });
  await gateway.start();
  const app = await buildApp({ gateway, logger: { level: options.logLevel ?? 'info' } });
  const address = await app.listen({ host: config.server.host, port: config.server.port });
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
    stop: async () => {
      process.off('SIGHUP', onHup);
      await app.close();
      await gateway.stop();
      await backend.close();
    },
  };
}
