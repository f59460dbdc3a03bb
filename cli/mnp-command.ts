import type { Command } from 'commander';
import type { PortingSource } from '../router/index.ts';

/** The modules behind the subcommands load when one runs, so `smsgw` starts fast for everything else. */
async function load() {
  const [gateway, router, progress] = await Promise.all([import('../gateway/index.ts'), import('../router/index.ts'), import('cli-progress')]);
  return { ...gateway, ...router, SingleBar: progress.SingleBar };
}

type Lib = Awaited<ReturnType<typeof load>>;

interface StoreOptions {
  readonly redis?: string;
  readonly prefix: string;
}

interface CarrierOptions {
  /** A configuration whose carriers count as known besides the shipped range data. */
  readonly config?: string;
}

interface ImportCommandOptions extends StoreOptions, CarrierOptions {
  readonly country?: string;
  readonly batch: string;
}

interface SetCommandOptions extends StoreOptions, CarrierOptions {
  readonly country?: string;
}

/** A command-line run gives up on an unreachable Redis after a few tries instead of reconnecting forever. */
const ONE_SHOT_REDIS = { maxRetriesPerRequest: 1, connectTimeout: 3_000, retryStrategy: (times: number) => (times > 2 ? null : 200) };

/** Bad rows printed one per line before the rest are only counted. */
const MAX_REPORTED_BAD_ROWS = 100;

/**
 * `smsgw mnp`: number portability data. `import FILE` streams a CSV (`number,carrier[,effective date]`,
 * header optional) into Redis in pipelined batches with a progress bar on stderr, then prints a summary line.
 * Bad rows are reported as `FILE:LINE: reason` on stderr and skipped; every good row is still stored, and
 * the command then exits 1 (ROUTE_PORTING_ROW_INVALID) so scripts notice. `get`, `set`, `delete` edit one number.
 * A number must be valid for its country and its carrier a known one (`smsgw route` could not name another):
 * the carriers of the shipped range data, or those of the routing table of --config.
 */
export function registerMnpCommand(program: Command): void {
  const mnp = program.command('mnp').description('number portability data (ported numbers and their current carrier)');
  mnp
    .command('import')
    .description('import a portability CSV: number, carrier, optional effective date (header optional)')
    .argument('<file>', 'CSV file')
    .option('--redis <url>', 'Redis to import into (default: $REDIS_URL; without either, rows are only validated)')
    .option('--prefix <prefix>', 'Redis key prefix', 'smsgw:')
    .option('--country <cc>', 'country for national numbers in the file (e.g. JP for 090...)')
    .option('--batch <rows>', 'rows per pipeline', '5000')
    .option('--config <file>', 'gateway configuration whose carriers (carriers.names, ranges, rangeFiles) are known too')
    .action(async (file: string, options: ImportCommandOptions) => {
      const lib = await load();
      const { importPortingCsv, routeError, SingleBar } = lib;
      const batchSize = Number(options.batch);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
        throw routeError('ROUTE_INVALID_OPTION', `--batch "${options.batch}" must be an integer from 1 to 100000`, { field: 'batch', value: options.batch });
      }
      const carriers = knownCarriersFor(lib, options);
      const { source, target } = openStore(lib, options);
      const bar = new SingleBar({ stream: process.stderr, format: 'mnp import [{bar}] {percentage}% | {rows} rows stored', hideCursor: true });
      let barStarted = false;
      let reported = 0;
      try {
        const summary = await importPortingCsv(file, source, {
          batchSize,
          defaultCountry: options.country,
          knownCarriers: carriers,
          onProgress: ({ bytesRead, totalBytes, rowsStored }) => {
            if (!barStarted) {
              bar.start(100, 0, { rows: 0 });
              barStarted = true;
            }
            bar.update(Math.min(100, Math.floor((bytesRead / Math.max(1, totalBytes)) * 100)), { rows: rowsStored });
          },
          onBadRow: (line, reason) => {
            if (reported < MAX_REPORTED_BAD_ROWS) process.stderr.write(`${file}:${line}: ${reason}\n`);
            reported++;
          },
        });
        if (barStarted) bar.stop();
        if (summary.bad > MAX_REPORTED_BAD_ROWS) process.stderr.write(`... and ${summary.bad - MAX_REPORTED_BAD_ROWS} more bad rows\n`);
        const seconds = (summary.durationMs / 1000).toFixed(2);
        process.stdout.write(
          `imported ${summary.imported} of ${summary.rows} rows (${summary.bad} bad) from ${file} into ${target} in ${seconds} s (${summary.rowsPerSecond} rows/s)\n`,
        );
        if (summary.bad > 0) {
          throw routeError('ROUTE_PORTING_ROW_INVALID', `${summary.bad} bad row(s) in ${file} were skipped; the ${summary.imported} good rows were imported`, {
            file,
            bad: summary.bad,
            imported: summary.imported,
          });
        }
      } finally {
        if (barStarted) bar.stop();
        await source.close();
      }
    });
  mnp
    .command('get')
    .description('show the portability record of a number')
    .argument('<number>', 'E.164 number')
    .option('--redis <url>', 'Redis (default: $REDIS_URL)')
    .option('--prefix <prefix>', 'Redis key prefix', 'smsgw:')
    .action((number: string, options: StoreOptions) =>
      printFromStore(options, async (source, lib) => (await source.get(lib.normalizeNumber(number).e164)) ?? null),
    );
  mnp
    .command('set')
    .description('record that a number is ported to a carrier')
    .argument('<number>', 'E.164 number, or national with --country')
    .argument('<carrier>', 'carrier id (one the range data or the --config file knows)')
    .argument('[effective-date]', 'ISO 8601 date the port takes effect')
    .option('--redis <url>', 'Redis (default: $REDIS_URL)')
    .option('--prefix <prefix>', 'Redis key prefix', 'smsgw:')
    .option('--country <cc>', 'country of a national number (e.g. JP for 090...)')
    .option('--config <file>', 'gateway configuration whose carriers (carriers.names, ranges, rangeFiles) are known too')
    .action(async (number: string, carrier: string, effective: string | undefined, options: SetCommandOptions) => {
      const lib = await load();
      // Judged before Redis is reached: a refused row is refused the same with or without a store.
      const row = lib.parsePortingRow(effective === undefined ? [number, carrier] : [number, carrier, effective], {
        defaultCountry: options.country,
        knownCarriers: knownCarriersFor(lib, options),
      });
      if (!row.ok) throw lib.routeError('ROUTE_PORTING_ROW_INVALID', row.reason, { field: row.field, value: row.value });
      await printFromStore(options, async (source) => {
        await source.set(row.record);
        return row.record;
      });
    });
  mnp
    .command('delete')
    .description('remove the portability record of a number')
    .argument('<number>', 'E.164 number')
    .option('--redis <url>', 'Redis (default: $REDIS_URL)')
    .option('--prefix <prefix>', 'Redis key prefix', 'smsgw:')
    .action((number: string, options: StoreOptions) =>
      printFromStore(options, async (source, lib) => ({ deleted: await source.delete(lib.normalizeNumber(number).e164) })),
    );
}

/** One edit of the Redis portability store: open it, print the answer as JSON, close it. */
async function printFromStore(options: StoreOptions, use: (source: PortingSource, lib: Lib) => Promise<unknown>): Promise<void> {
  const lib = await load();
  const { source } = openStore(lib, options, true);
  try {
    process.stdout.write(`${JSON.stringify(await use(source, lib))}\n`);
  } finally {
    await source.close();
  }
}

/** The carrier ids a port may name: those of --config's routing table, else of the shipped range data. */
function knownCarriersFor(lib: Lib, options: CarrierOptions): ReadonlySet<string> {
  return options.config === undefined ? lib.knownCarriers(lib.readBuiltinRanges()) : lib.loadRoutingFile(options.config).knownCarriers;
}

function openStore(lib: Lib, options: StoreOptions, redisRequired = false): { source: PortingSource; target: string } {
  const { MemoryPortingSource, RedisPortingSource, routeError } = lib;
  const url = options.redis ?? process.env.REDIS_URL;
  if (url === undefined || url === '') {
    if (redisRequired) throw routeError('ROUTE_INVALID_OPTION', 'give --redis URL or set REDIS_URL', { field: 'redis' });
    return { source: new MemoryPortingSource(), target: 'memory (validation only, nothing persisted)' };
  }
  return {
    source: new RedisPortingSource({ url, prefix: options.prefix, redisOptions: ONE_SHOT_REDIS }),
    target: `${url} (prefix ${options.prefix})`,
  };
}
