import type { Command } from 'commander';
import { untilStopSignal } from './until-stop-signal.ts';
import { cliError } from './cli-errors.ts';
import type { EmbeddedSetup } from './serve/embedded-defaults.ts';
import { EMBEDDED_FILE_NAME } from './serve/embedded-routing.ts';
import { wholeNumber } from './whole-number.ts';
import { applyHeapGrowth, DEFAULT_HEAP_GROWTH_PERCENT, parseHeapGrowth } from './serve/heap-growth.ts';

interface ServeOptions {
  readonly config?: string;
  readonly mnpFile?: string;
  readonly logLevel: string;
  readonly workers: string;
  readonly heapGrowth: string;
}

/** `smsgw serve`: the gateway from a configuration file, or on its embedded defaults without one. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the gateway (without --config: embedded defaults, memory store, simulated carriers in-process)')
    .option('--config <file>', 'YAML configuration file (accounts, connectors, routing)')
    .option('--mnp-file <csv>', 'memory mode: portability CSV (as for `smsgw mnp import`) in place of the configuration\'s mnp.file; re-read on SIGHUP')
    .option('--log-level <level>', 'pino log level', 'info')
    .option('--workers <n>', 'gateway processes on this machine sharing the port, Redis and Kafka (needs REDIS_URL)', '1')
    .option('--heap-growth <percent>', "how far V8's heap may grow past its live data after a full collection (0: V8's own sizing)", String(DEFAULT_HEAP_GROWTH_PERCENT))
    .action(async (options: ServeOptions) => {
      const workers = workerCount(options.workers);
      const heapGrowth = parseHeapGrowth(options.heapGrowth);
      if (workers > 1 && process.env.REDIS_URL === undefined) {
        throw cliError('CLI_WORKERS_NEED_REDIS', '--workers above 1 needs REDIS_URL: processes share nothing in memory mode', { field: 'workers' });
      }
      const { default: cluster } = await import('node:cluster');
      if (workers > 1 && cluster.isPrimary) {
        // A file the workers would refuse is refused here once, not by a crash loop of workers.
        if (options.config !== undefined) {
          const { parseGatewayConfig, readConfigFile } = await import('../gateway/index.ts');
          parseGatewayConfig(readConfigFile(options.config), options.config);
        }
        const { runWorkers } = await import('./serve/serve-workers.ts');
        await runWorkers({ count: workers });
        return;
      }
      applyHeapGrowth(heapGrowth);
      // Loaded here, not at the top: every other subcommand starts without the server's modules.
      const [{ startEmbedded }, { runGateway }] = await Promise.all([import('./serve/embedded-defaults.ts'), import('./serve/run-gateway.ts')]);
      let embedded: EmbeddedSetup | undefined;
      let document: Record<string, unknown>;
      if (options.config === undefined) {
        embedded = await startEmbedded();
        document = embedded.document;
      } else {
        document = (await import('../gateway/index.ts')).readConfigFile(options.config);
      }
      const running = await runGateway({
        document,
        fileName: options.config ?? EMBEDDED_FILE_NAME,
        ...(options.config === undefined ? {} : { path: options.config }),
        ...(options.mnpFile === undefined ? {} : { mnpFile: options.mnpFile }),
        ...(process.env.REDIS_URL === undefined ? {} : { redisUrl: process.env.REDIS_URL }),
        ...(process.env.REDIS_PREFIX === undefined ? {} : { redisPrefix: process.env.REDIS_PREFIX }),
        ...(process.env.SMSGW_CONSOLE_SECRET === undefined || process.env.SMSGW_CONSOLE_SECRET === '' ? {} : { consoleSecret: process.env.SMSGW_CONSOLE_SECRET }),
        ...(process.env.SMSGW_VERIFY_SECRET === undefined || process.env.SMSGW_VERIFY_SECRET === '' ? {} : { verifySecret: process.env.SMSGW_VERIFY_SECRET }),
        ...(options.config === undefined || process.env.HOST === undefined ? {} : { host: process.env.HOST }),
        ...(options.config === undefined || process.env.PORT === undefined ? {} : { port: listenPort(process.env.PORT) }),
        ...(process.env.KAFKA_BROKERS === undefined || process.env.KAFKA_BROKERS.trim() === ''
          ? {}
          : { kafkaBrokers: process.env.KAFKA_BROKERS.split(',').map((broker) => broker.trim()).filter(Boolean) }),
        logLevel: options.logLevel,
      }).catch(async (error: unknown) => {
        await embedded?.close();
        throw error;
      });
      // Listening for the stop signals before announcing readiness: whoever reads the banner may stop us at once.
      const stopped = untilStopSignal();
      const redis = /^rediss?\+cluster:/i.test(process.env.REDIS_URL ?? '') ? 'Redis Cluster' : 'Redis';
      const mode =
        process.env.REDIS_URL === undefined
          ? 'memory store (nothing survives a restart)'
          : running.kafka === undefined
            ? `${redis} store`
            : `${redis} store and Kafka events`;
      process.stdout.write(`smsgw listening on ${running.url} with ${mode}\n`);
      process.stdout.write(`  ${running.porting}\n`);
      for (const note of embedded?.notes ?? []) process.stdout.write(`  ${note}\n`);
      if (running.console) process.stdout.write(`web console: ${running.url}/console${embedded === undefined ? '' : ' (sign in with the API key below)'}\n`);
      if (embedded !== undefined) process.stdout.write(`API key: ${embedded.apiKey} (account demo, default country JP)\n`);
      await stopped;
      process.stdout.write('smsgw stopping: finishing in-flight submits\n');
      await running.stop();
      await embedded?.close();
    });
}

function workerCount(value: string): number {
  const count = wholeNumber(value);
  if (count === undefined || count < 1 || count > 256) {
    throw cliError('CLI_INVALID_OPTION', `--workers must be a whole number from 1 to 256, not "${value}"`, { field: 'workers' });
  }
  return count;
}

function listenPort(value: string): number {
  const port = Number(value);
  if (value.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw cliError('CLI_INVALID_OPTION', `PORT must be a TCP port number (0-65535), not "${value}"`, { field: 'PORT' });
  }
  return port;
}
