/**
 * Runs the gateway from a configuration document: the backend (Redis with REDIS_URL, memory without), the event
 * transport (Kafka with KAFKA_BROKERS, its outbox on the backend's Redis client; in memory without), the router
 * with its carrier sources (number portability: Redis on the same Redis and prefix as `smsgw mnp`, or the memory
 * mode's `mnp.file`; the HLR hook when `mnp.hlr` is on), the drivers, the core (`Gateway`, which builds the
 * services once) and the HTTP API.
 * SIGHUP (or POST /v1/admin/reload) reloads the accounts and routing sections of the file and the portability
 * file, all in one step; SIGINT and SIGTERM stop gracefully.
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/index.ts';
import { maskDigits } from '../../common/index.ts';
import {
  createDriver,
  createHlrHook,
  createMemoryBackend,
  createRedisBackend,
  DEFAULT_KEY_PREFIX,
  Gateway,
  GatewayMetrics,
  gatewayError,
  type GatewayLog,
  KafkaEventTransport,
  kafkaSettings,
  loadPortingFile,
  loadRoutingFile,
  parseGatewayConfig,
  readConfigFile,
  type AccountChanges,
  type GatewayConfig,
  portingFileOf,
  readBuiltinRanges,
  RedisPortingSource,
  DEFAULT_KAFKA_TOPICS as DEFAULT_TOPICS,
  type MessageBackend,
  type RedisBackend,
} from '../../gateway/index.ts';
import { buildRoutingTable, MemoryPortingSource, RouterHandle, type PortingSource, type RoutingTable } from '../../router/index.ts';

export interface RunningGateway {
  readonly url: string;
  readonly gateway: Gateway;
  readonly app: FastifyInstance;
  readonly backend: MessageBackend;
  /** The Kafka event transport, in Kafka mode (its publisher shows whether the outbox is in use). */
  readonly kafka?: KafkaEventTransport;
  /** Where carriers of ported numbers come from, in words for the start banner. */
  readonly porting: string;
  /** Whether the web console is served at /console. */
  readonly console: boolean;
  /**
   * What SIGHUP and POST /v1/admin/reload run: re-reads the configuration file's accounts and routing sections
   * (and `server.adminTokenHash`) when it came from a file, and the memory mode's portability file, then puts
   * them in force in one step; when any is refused, all stay as they were.
   */
  reload(): Promise<GatewayReload>;
  stop(): Promise<void>;
}

export type GatewayReload =
  | {
      readonly ok: true;
      readonly version: string;
      /** Ported numbers now held, when a portability file was read. */
      readonly ported?: number;
      /** What changed in the accounts (ids and key counts; never keys or hashes), when a file was read. */
      readonly accounts?: AccountChanges;
      /** Sections that differ from those in force but take a restart. */
      readonly restartNeeded?: readonly string[];
    }
  | { readonly ok: false; readonly error: unknown };

export interface RunOptions {
  readonly document: Record<string, unknown>;
  readonly fileName: string;
  /** The file to reload on SIGHUP, when the configuration came from one. */
  readonly path?: string;
  readonly redisUrl?: string;
  /**
   * The deployment secret of one-time codes and sealed message parts (SMSGW_VERIFY_SECRET: at least 32 characters,
   * the same on every process). Without it the memory mode makes one for this process and a Redis mode refuses
   * verifications (VERIFY_NOT_CONFIGURED): a per-process secret would make one process's codes fail on another.
   */
  readonly verifySecret?: string;
  /** Seals console sessions (SMSGW_CONSOLE_SECRET; `console.sessionSecret` in the file wins). */
  readonly consoleSecret?: string;
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
  /** A portability CSV for the memory mode, in place of the file's `mnp.file` (`--mnp-file`; relative to the working directory). */
  readonly mnpFile?: string;
  /** The clock of the core and of routing decisions (effective dates of ports) and the HLR cache; tests inject one. */
  readonly now?: () => number;
}

export async function runGateway(options: RunOptions): Promise<RunningGateway> {
  const config = parseGatewayConfig(options.document, options.fileName);
  const connectorIds = new Set(config.connectors.map((c) => c.id));
  const table =
    options.path === undefined
      ? buildRoutingTable(options.document, { fileName: options.fileName, connectorIds, rangeEntries: [...readBuiltinRanges()] })
      : loadRoutingFile(options.path, { connectorIds });
  const drivers = config.connectors.map(createDriver);
  // Number portability: the memory mode reads its file now (a bad row refuses the start); Redis mode reads
  // `smsgw mnp` data live, so the file setting there would be a second, silently ignored source: refused.
  const mnpFile = (t: RoutingTable): string | undefined => (options.mnpFile === undefined ? portingFileOf(t, options.path) : resolve(options.mnpFile));
  const mnpSetting = options.mnpFile === undefined ? `${options.fileName}: mnp.file` : '--mnp-file';
  const readPorting = (t: RoutingTable, file: string) =>
    loadPortingFile(file, { setting: mnpSetting, knownCarriers: t.knownCarriers, ...(t.config.mnp?.country === undefined ? {} : { defaultCountry: t.config.mnp.country }) });
  const noFileWithRedis = (t: RoutingTable): void => {
    if (options.redisUrl !== undefined && mnpFile(t) !== undefined) {
      throw gatewayError('GW_INVALID_CONFIG', `${mnpSetting} is for the memory mode; with Redis, load it with \`smsgw mnp import FILE\` (same Redis and prefix)`, { field: 'mnp.file' });
    }
  };
  noFileWithRedis(table);
  const startFile = options.redisUrl === undefined ? mnpFile(table) : undefined;
  const prefix = options.redisPrefix ?? DEFAULT_KEY_PREFIX;
  let memoryPorting: MemoryPortingSource | undefined;
  let porting: PortingSource;
  if (options.redisUrl === undefined) {
    memoryPorting = startFile === undefined ? new MemoryPortingSource() : (await readPorting(table, startFile)).source;
    porting = memoryPorting;
  } else {
    porting = new RedisPortingSource({ url: options.redisUrl, prefix });
  }
  const hlr = createHlrHook(table.hlr, options.now === undefined ? {} : { now: options.now });
  const router = new RouterHandle(table, { porting, ...(hlr === undefined ? {} : { hlr }) });
  const portingNote = [
    memoryPorting === undefined
      ? `number portability: Redis, keys ${prefix}mnp:* (smsgw mnp import / set)`
      : startFile === undefined
        ? 'number portability: none (set mnp.file or --mnp-file)'
        : `number portability: ${memoryPorting.size} ported numbers from ${startFile}`,
    ...(table.hlr === undefined ? [] : [`HLR hook ${table.hlr.url}`]),
  ].join('; ');
  const redisBackend: RedisBackend | undefined =
    options.redisUrl === undefined ? undefined : createRedisBackend({ url: options.redisUrl, ...(options.redisPrefix === undefined ? {} : { prefix: options.redisPrefix }) });
  const { recentCorrelations, ...memoryBounds } = config.memory;
  const backend: MessageBackend = redisBackend ?? createMemoryBackend(memoryBounds);
  const brokers = options.kafkaBrokers ?? config.kafka?.brokers;
  let kafka: KafkaEventTransport | undefined;
  let receiptHoldMs: number | undefined;
  let partEvents: 'all' | 'multipart' | undefined;
  const metrics = new GatewayMetrics();
  // The Kafka client logs through the HTTP app's logger, which exists only once the gateway is running.
  const logTo: { app?: FastifyInstance } = {};
  const processName = options.processName ?? `${hostname()}-${process.pid}`;
  if (brokers !== undefined && brokers.length > 0) {
    if (redisBackend === undefined) {
      await backend.close();
      await porting.close();
      throw gatewayError('GW_INVALID_CONFIG', `${options.fileName}: Kafka needs Redis (set REDIS_URL): the event outbox and the webhook queue live there`, { field: 'kafka' });
    }
    const { topics, ...rest } = config.kafka ?? {};
    const settings = kafkaSettings({ ...rest, brokers, ...(topics === undefined ? {} : { topics: { ...DEFAULT_TOPICS, ...topics } }) });
    receiptHoldMs = settings.receiptHoldMs;
    partEvents = settings.partEvents;
    kafka = await KafkaEventTransport.create({
      settings,
      outbox: redisBackend.outbox,
      owner: processName,
      metrics,
      log: (level, message) => logTo.app?.log[level](message),
    }).catch(async (error: unknown) => {
      await backend.close();
      await porting.close();
      throw error;
    });
  }
  const listening = { baseUrl: `http://${options.host ?? config.server.host}:${options.port ?? config.server.port}` };
  const gateway = new Gateway({
    backend,
    router,
    drivers,
    accounts: config.accounts,
    metrics,
    consumer: processName,
    retry: { maxAttempts: config.dispatch.maxAttempts, baseDelayMs: config.dispatch.baseDelayMs, maxDelayMs: config.dispatch.maxDelayMs },
    reclaimIdleMs: config.dispatch.reclaimIdleMs,
    leaseMs: config.dispatch.leaseMs,
    receiptTimeoutMs: config.dispatch.receiptTimeoutSeconds * 1000,
    defaultValiditySeconds: config.dispatch.defaultValiditySeconds,
    maxBacklogPerConnector: config.dispatch.maxBacklogPerConnector,
    // The memory store is written at once, so few receipts outrun it; with Redis the gateway's default holds.
    ...(redisBackend === undefined ? { recentCorrelations } : {}),
    webhooks: { allow: config.webhooks.allow },
    usage: config.usage,
    // Without links.baseUrl, links are made on the address the API listens on (known once it listens).
    shortLinks: { ...config.links, fallbackBaseUrl: () => listening.baseUrl },
    ...verifySecretFor(options),
    ...(kafka === undefined ? {} : { events: kafka, receiptHoldMs, partEvents }),
    ...(options.now === undefined ? {} : { now: options.now }),
    log: appLog(logTo),
  });
  // The app (and so its logger) exists before the gateway starts: links coming up are logged from the first.
  let adminTokenHash = config.server.adminTokenHash;
  // `reload` is defined once the app listens; the admin route reaches it through this late binding.
  const late: { reload?: () => Promise<GatewayReload> } = {};
  const app = await buildApp({
    gateway,
    logger: { level: options.logLevel ?? 'info' },
    server: config.server,
    console: consoleSettings(config, options.consoleSecret),
    admin: { tokenHash: () => adminTokenHash, reload: () => (late.reload ?? (() => Promise.resolve({ ok: false, error: new Error('not started') })))() },
  });
  logTo.app = app;
  await gateway.start();
  const address = await app.listen({ host: options.host ?? config.server.host, port: options.port ?? config.server.port });
  listening.baseUrl = address;
  const reloadOnce = async (): Promise<GatewayReload> => {
    try {
      // Everything is read and checked before anything changes: a refusal leaves all in force as it was.
      const nextConfig = options.path === undefined ? undefined : parseGatewayConfig(readConfigFile(options.path), options.path);
      const next = options.path === undefined ? router.table : loadRoutingFile(options.path, { connectorIds });
      noFileWithRedis(next);
      const file = memoryPorting === undefined ? undefined : mnpFile(next);
      const loaded = file === undefined ? undefined : await readPorting(next, file);
      // All in force in one synchronous step: no request sees new accounts with the old routing, nor a decision
      // the new table with the old portability data. `replace` is first because it alone can still refuse.
      const accounts = nextConfig === undefined ? undefined : gateway.accounts.replace(nextConfig.accounts);
      if (nextConfig !== undefined) adminTokenHash = nextConfig.server.adminTokenHash;
      if (next !== router.table) router.swap(next);
      memoryPorting?.replaceWith(loaded?.source ?? new MemoryPortingSource());
      return {
        ok: true,
        version: next.version,
        ...(loaded === undefined ? {} : { ported: loaded.rows }),
        ...(accounts === undefined ? {} : { accounts }),
        ...(nextConfig === undefined ? {} : { restartNeeded: restartNeeded(config, nextConfig) }),
      };
    } catch (error: unknown) {
      return { ok: false, error };
    }
  };
  // One reload at a time, in signal order: a slow file read must not let an older reload win.
  let reloading: Promise<unknown> = Promise.resolve();
  const reload = (): Promise<GatewayReload> => {
    const next = reloading.then(reloadOnce);
    reloading = next;
    return next;
  };
  late.reload = reload;
  const onHup = (): void => {
    if (options.path === undefined && (memoryPorting === undefined || mnpFile(router.table) === undefined)) return;
    void reload().then((result) => {
      if (!result.ok) {
        // The refusal names bad rows, and a portability row holds a number: masked, and no error object (whose
        // every field pino would copy).
        const { error } = result;
        app.log.error(
          { code: (error as { code?: unknown }).code, error: maskDigits(error instanceof Error ? error.message : String(error)) },
          'reload refused; the accounts, routing and portability data in force stay',
        );
        return;
      }
      if (options.path !== undefined) app.log.info({ version: result.version, accounts: result.accounts }, 'accounts and routing reloaded');
      if (result.restartNeeded !== undefined && result.restartNeeded.length > 0) app.log.warn({ sections: result.restartNeeded }, 'these sections changed but take a restart');
      if (result.ported !== undefined) app.log.info({ ported: result.ported }, 'portability file reloaded');
    });
  };
  process.on('SIGHUP', onHup);
  return {
    url: address,
    gateway,
    app,
    backend,
    ...(kafka === undefined ? {} : { kafka }),
    porting: portingNote,
    console: config.console.enabled,
    reload,
    stop: async () => {
      process.off('SIGHUP', onHup);
      await app.close();
      // Stops the transport's consumers and flushes its publisher (into Kafka or the outbox) before Redis goes.
      await gateway.stop();
      await backend.close();
      await porting.close();
    },
  };
}

/** Sections a reload does not apply (they shape what was built at start): named when the file changed them. */
function restartNeeded(running: GatewayConfig, file: GatewayConfig): string[] {
  const { adminTokenHash: _running, ...server } = running.server;
  const { adminTokenHash: _file, ...nextServer } = file.server;
  const pairs: [string, unknown, unknown][] = [
    ['server', server, nextServer],
    ['connectors', running.connectors, file.connectors],
    ['dispatch', running.dispatch, file.dispatch],
    ['webhooks', running.webhooks, file.webhooks],
    ['kafka', running.kafka, file.kafka],
    ['links', running.links, file.links],
  ];
  return pairs.filter(([, a, b]) => JSON.stringify(a) !== JSON.stringify(b)).map(([name]) => name);
}

/** The gateway core logs through the HTTP app's pino logger, which is built after the core. */
function appLog(to: { readonly app?: FastifyInstance }): GatewayLog {
  return {
    info: (fields, message) => to.app?.log.info(fields, message),
    warn: (fields, message) => to.app?.log.warn(fields, message),
    error: (fields, message) => to.app?.log.error(fields, message),
  };
}

/** The console's settings, with the environment's session secret when the file has none; a short one is refused by name. */
function consoleSettings(config: GatewayConfig, secret: string | undefined): GatewayConfig['console'] {
  if (config.console.sessionSecret !== undefined || secret === undefined) return config.console;
  if (secret.length < 32) throw gatewayError('GW_INVALID_CONFIG', 'SMSGW_CONSOLE_SECRET must be at least 32 characters (random)', { field: 'SMSGW_CONSOLE_SECRET' });
  return { ...config.console, sessionSecret: secret };
}

/** The Gateway's `verifySecret` for this mode (see RunOptions.verifySecret); a short secret is refused by name. */
function verifySecretFor(options: RunOptions): { verifySecret?: Buffer | false } {
  if (options.verifySecret !== undefined) {
    if (options.verifySecret.length < 32) throw gatewayError('GW_INVALID_CONFIG', 'SMSGW_VERIFY_SECRET must be at least 32 characters (random)', { field: 'SMSGW_VERIFY_SECRET' });
    return { verifySecret: Buffer.from(options.verifySecret, 'utf8') };
  }
  return options.redisUrl === undefined ? {} : { verifySecret: false };
}
