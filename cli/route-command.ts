import type { Command } from 'commander';
import type { PortingSource, RoutingTable } from '../router/index.ts';

/** The router and its data load when the command runs, so `smsgw` starts fast for everything else. */
async function load() {
  const [gateway, router, embedded] = await Promise.all([import('../gateway/index.ts'), import('../router/index.ts'), import('./serve/embedded-routing.ts')]);
  return { ...gateway, ...router, ...embedded };
}

type Lib = Awaited<ReturnType<typeof load>>;

interface RouteOptions {
  readonly to: string;
  readonly account?: string;
  readonly tag?: string;
  readonly from?: string;
  readonly config?: string;
  readonly at?: string;
  readonly country: string;
  readonly requireMobile?: boolean;
  readonly down: string[];
  readonly redis?: string;
  readonly prefix?: string;
  readonly mnpFile?: string;
}

/** A command-line run gives up on an unreachable Redis after a few tries instead of reconnecting forever. */
const ONE_SHOT_REDIS = { maxRetriesPerRequest: 1, connectTimeout: 3_000, retryStrategy: (times: number) => (times > 2 ? null : 200) };

/**
 * `smsgw route`: prints the routing decision for one destination as JSON. Without --config it uses the routing
 * of the embedded defaults that `smsgw serve` (and `npm start`) runs without one: two simulated carriers and the
 * virtual modem. Ported numbers come from Redis (--redis or
 * REDIS_URL), from a portability CSV loaded into memory for this run (--mnp-file), or else from the
 * configuration's `mnp.file`, as `smsgw serve` would use them.
 */
export function registerRouteCommand(program: Command): void {
  program
    .command('route')
    .description('show how a message to a number would be routed (normalized number, carrier and source, rule, connectors, sender)')
    .requiredOption('--to <number>', 'destination, national (with --country) or international')
    .option('--account <id>', 'account sending the message')
    .option('--tag <tag>', 'message tag, e.g. otp or marketing')
    .option('--from <sender>', 'originator: alphanumeric (1-11 GSM characters), short code or long number')
    .option('--config <file>', 'gateway configuration file (YAML); default: the embedded defaults `smsgw serve` runs without one')
    .option('--at <iso-time>', 'decision time for time-of-day rules and port effective dates (default: now)')
    .option('--country <cc>', "the account's default country for national numbers", 'JP')
    .option('--require-mobile', 'refuse destinations that are not mobile numbers')
    .option('--down <connector>', 'treat a connector as down (repeatable)', collect, [])
    .option('--redis <url>', 'read number portability from Redis (default: $REDIS_URL)')
    .option('--prefix <prefix>', 'Redis key prefix', 'smsgw:')
    .option('--mnp-file <csv>', 'load a portability CSV into memory for this lookup instead of Redis')
    .action(async (options: RouteOptions) => {
      const lib = await load();
      const at = options.at === undefined ? new Date() : parseTime(lib, options.at);
      const table = options.config === undefined ? embeddedTable(lib) : lib.loadRoutingFile(options.config);
      const porting = await openPorting(lib, options, table);
      try {
        const router = new lib.RouterHandle(table, { porting, hlr: lib.createHlrHook(table.hlr) });
        const down = new Set(options.down);
        const decision = await router.decide(
          { to: options.to, from: options.from, account: options.account, tag: options.tag, defaultCountry: options.country, requireMobile: options.requireMobile, at },
          { isUp: (id) => !down.has(id) },
        );
        process.stdout.write(`${JSON.stringify({ ...decision, at: at.toISOString(), config: table.fileName }, null, 2)}\n`);
      } finally {
        await porting?.close();
      }
    });
}

/** The routing `smsgw serve` runs without --config, with the virtual modem (as when socat is installed). */
function embeddedTable(lib: Lib): RoutingTable {
  return lib.buildRoutingTable(lib.embeddedRouting(true), { fileName: lib.EMBEDDED_FILE_NAME, rangeEntries: [...lib.readBuiltinRanges()] });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseTime({ routeError }: Lib, text: string): Date {
  const at = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(at.getTime())) {
    throw routeError('ROUTE_INVALID_OPTION', `--at "${text}" is not an ISO 8601 time`, { field: 'at', value: text });
  }
  return at;
}

async function openPorting(lib: Lib, options: RouteOptions, table: RoutingTable): Promise<PortingSource | undefined> {
  const { MemoryPortingSource, RedisPortingSource, importPortingCsv, loadPortingFile, portingFileOf } = lib;
  if (options.mnpFile !== undefined) {
    const memory = new MemoryPortingSource();
    await importPortingCsv(options.mnpFile, memory, { defaultCountry: options.country, knownCarriers: table.knownCarriers });
    return memory;
  }
  const url = options.redis ?? process.env.REDIS_URL;
  if (url === undefined || url === '') {
    // The configuration's own portability file, read as `smsgw serve` reads it in the memory mode.
    const file = portingFileOf(table, options.config);
    if (file === undefined) return undefined;
    const country = table.config.mnp?.country;
    return (await loadPortingFile(file, { setting: `${table.fileName}: mnp.file`, knownCarriers: table.knownCarriers, ...(country === undefined ? {} : { defaultCountry: country }) })).source;
  }
  return new RedisPortingSource({ url, prefix: options.prefix, redisOptions: ONE_SHOT_REDIS });
}
