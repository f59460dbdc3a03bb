/**
 * The options of `npm run bench` (bench/gateway.bench.ts): command-line flags first, then the BENCH_* environment
 * variables the benchmark read before it had flags, then defaults. Pure: argv and env in, options or an error out.
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { parseHeapGrowth } from '../cli/serve/heap-growth.ts';

export const GATEWAY_MODES = ['embedded', 'redis', 'kafka'] as const;
export const KANNEL_MODES = ['kannel-memory', 'kannel-store'] as const;
export type GatewayMode = (typeof GATEWAY_MODES)[number];
export type KannelMode = (typeof KANNEL_MODES)[number];
export type BenchMode = GatewayMode | KannelMode;
export const PHASES = ['singles', 'batch', 'paced'] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchOptions {
  /** In the order they run: the gateway's modes first, then Kannel's. */
  readonly modes: readonly BenchMode[];
  /** Whether `modes` came from the defaults (Kannel's modes are then dropped quietly when Kannel is missing). */
  readonly defaultModes: boolean;
  /** Messages per measured phase. */
  readonly messages: number;
  /** Requests in flight (single POSTs, Kannel's sendsms GETs). */
  readonly concurrency: number;
  /** Messages sent and delivered before anything is measured (JIT, connections, binds). */
  readonly warmup: number;
  readonly phases: readonly Phase[];
  /** Messages per second of the paced phase (open loop); set exactly when `phases` has `paced`. */
  readonly rate: number | undefined;
  /** Gateway processes of the redis and kafka modes (`smsgw serve --workers N`), each count a run of its own. */
  readonly workers: readonly number[];
  /** RSS (and the gateway's heap) sampled this often. */
  readonly rssSampleMs: number;
  /** Whether each sample is also printed as it is taken (on stderr), for long runs. */
  readonly printSamples: boolean;
  /** Runs of each Kannel mode; the median (by delivered/s) is reported. */
  readonly kannelRuns: number;
  /** Directory holding bearerbox and smsbox; undefined: look them up on PATH, then /usr/sbin. */
  readonly kannelBin: string | undefined;
  readonly kafkaBrokers: string | undefined;
  readonly cpuProfDir: string | undefined;
  /** `smsgw serve --heap-growth` of the gateway; undefined: serve's default. */
  readonly heapGrowth: number | undefined;
  /** JSON lines only, no summary table. */
  readonly json: boolean;
  readonly help: boolean;
}

export class BenchOptionError extends Error {
  override readonly name = 'BenchOptionError';
}

export const USAGE = `Usage: npm run bench -- [options]

  --modes <list>         comma-separated, run in this order (default: all that can run):
                           embedded, redis, kafka (the gateway: memory store, Redis, Redis + Kafka),
                           kannel-memory, kannel-store (Kannel's bearerbox + smsbox, queue in memory / store file)
  --messages <n>         messages per measured phase (default 20000; env BENCH_MESSAGES)
  --concurrency <n>      requests in flight (default 64; env BENCH_CONCURRENCY)
  --warmup <n>           messages sent and delivered before measuring (default 20000)
  --phases <list>        singles,batch,paced (default singles,batch, and paced too when --rate is given;
                         Kannel has no batch endpoint and no paced phase and runs singles only)
  --rate <n>             messages per second of the paced phase: single POSTs started on a fixed schedule
                         (open loop, up to 4x --concurrency in flight), latency counted from each scheduled
                         start (env BENCH_RATE; needed by the paced phase)
  --workers <list>       gateway processes of the redis and kafka modes (smsgw serve --workers N), e.g. 1,2 to
                         run each such mode once per count (default 1; env BENCH_WORKERS; embedded runs one)
  --rss-sample <time>    sample RSS and heap this often, e.g. 500ms, 5s, 1m (default 1s); when given, every
                         sample is also printed on stderr as it is taken
  --kannel-runs <n>      runs of each Kannel mode, the median reported (default 3)
  --kannel-bin <dir>     directory of bearerbox and smsbox (default: PATH, then /usr/sbin; env KANNEL_BIN)
  --kafka-brokers <list> an existing Kafka for the kafka mode (default: a broker started here; env BENCH_KAFKA_BROKERS)
  --cpu-prof <dir>       write a V8 CPU profile of the gateway there (env BENCH_CPU_PROF)
  --heap-growth <pct>    the gateway's smsgw serve --heap-growth (default: serve's, 200; 0: V8's own sizing)
  --json                 print the JSON lines only, no summary table
  --help                 this text
`;

export function positiveInteger(flag: string, raw: string, min: number): number {
  const value = Number(raw.replaceAll('_', ''));
  if (!/^\d[\d_]*$/.test(raw) || !Number.isSafeInteger(value) || value < min) {
    throw new BenchOptionError(`${flag} must be an integer of at least ${min}, got "${raw}"`);
  }
  return value;
}

/** `500ms`, `5s`, `1m`, or a bare number of seconds. */
export function parseDuration(flag: string, raw: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(raw.trim());
  if (match === null) throw new BenchOptionError(`${flag} must be a duration like 500ms, 5s or 1m, got "${raw}"`);
  const unit = match[2] ?? 's';
  const ms = Number(match[1]) * (unit === 'ms' ? 1 : unit === 's' ? 1_000 : 60_000);
  if (ms < 100) throw new BenchOptionError(`${flag} must be at least 100ms, got "${raw}"`);
  return ms;
}

function itemsOf(flag: string, raw: string): string[] {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new BenchOptionError(`${flag} is empty`);
  return items;
}

/** The same limit as `smsgw serve --workers`. */
const MAX_WORKERS = 256;
/**
 * Enough to measure steady state: with 500, a fresh Kafka broker was still JIT-compiling through the measured phase
 * (its C2 compiler thread took a fifth to two fifths of a core on a 2-core machine), and the gateway's own code too.
 */
const DEFAULT_WARMUP = 20_000;

/** serve's own check, so a bad value is refused before any process starts. */
function heapGrowth(raw: string): number {
  try {
    return parseHeapGrowth(raw);
  } catch (error) {
    throw new BenchOptionError((error as Error).message);
  }
}

function workerCounts(raw: string): number[] {
  const counts = itemsOf('--workers', raw).map((item) => positiveInteger('--workers', item, 1));
  const tooMany = counts.find((n) => n > MAX_WORKERS);
  if (tooMany !== undefined) throw new BenchOptionError(`--workers must be at most ${MAX_WORKERS} (as for smsgw serve), got ${tooMany}`);
  return [...new Set(counts)];
}

export function list<T extends string>(flag: string, raw: string, known: readonly T[]): T[] {
  const items = itemsOf(flag, raw);
  for (const item of items) {
    if (!(known as readonly string[]).includes(item)) throw new BenchOptionError(`${flag}: unknown "${item}" (known: ${known.join(', ')})`);
  }
  return [...new Set(items)] as T[];
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** node:util's parseArgs, strict and without positionals, with its refusals as BenchOptionError. */
export function parseFlags<const T extends ParseArgsOptionsConfig>(argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], strict: true, allowPositionals: false, options });
  } catch (error) {
    throw new BenchOptionError((error as Error).message);
  }
}

export function parseBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const parsed = parseFlags(argv, {
    modes: { type: 'string' },
    messages: { type: 'string' },
    concurrency: { type: 'string' },
    warmup: { type: 'string' },
    phases: { type: 'string' },
    rate: { type: 'string' },
    workers: { type: 'string' },
    'rss-sample': { type: 'string' },
    'kannel-runs': { type: 'string' },
    'kannel-bin': { type: 'string' },
    'kafka-brokers': { type: 'string' },
    'cpu-prof': { type: 'string' },
    'heap-growth': { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  const v = parsed.values;
  const modesRaw = v.modes ?? nonEmpty(env.BENCH_MODES);
  const modes = modesRaw === undefined ? [...GATEWAY_MODES, ...KANNEL_MODES] : list<BenchMode>('--modes', modesRaw, [...GATEWAY_MODES, ...KANNEL_MODES]);
  const messagesRaw = v.messages ?? nonEmpty(env.BENCH_MESSAGES);
  const concurrencyRaw = v.concurrency ?? nonEmpty(env.BENCH_CONCURRENCY);
  const rateRaw = v.rate ?? nonEmpty(env.BENCH_RATE);
  const rate = rateRaw === undefined ? undefined : positiveInteger('--rate', rateRaw, 1);
  const phases: Phase[] = v.phases === undefined ? ['singles', 'batch', ...(rate === undefined ? [] : (['paced'] as const))] : list<Phase>('--phases', v.phases, PHASES);
  // Either alone would quietly measure something other than what was asked for.
  if (phases.includes('paced') && rate === undefined) throw new BenchOptionError('--phases paced needs --rate <messages per second>');
  if (!phases.includes('paced') && rate !== undefined) throw new BenchOptionError('--rate applies to the paced phase, which --phases leaves out (add paced)');
  const workersRaw = v.workers ?? nonEmpty(env.BENCH_WORKERS);
  const workers = workersRaw === undefined ? [1] : workerCounts(workersRaw);
  if (workers.some((n) => n > 1) && !modes.some((m) => m === 'redis' || m === 'kafka')) {
    throw new BenchOptionError('--workers above 1 needs the redis or kafka mode (the gateway\'s processes share nothing in memory)');
  }
  return {
    // The gateway's modes first (in the order given), then Kannel's: the ratios need both, the order of the rest is the user's.
    modes: [...modes.filter((m) => !m.startsWith('kannel-')), ...modes.filter((m) => m.startsWith('kannel-'))],
    defaultModes: modesRaw === undefined,
    messages: messagesRaw === undefined ? 20_000 : positiveInteger('--messages', messagesRaw, 1),
    concurrency: concurrencyRaw === undefined ? 64 : positiveInteger('--concurrency', concurrencyRaw, 1),
    warmup: v.warmup === undefined ? DEFAULT_WARMUP : positiveInteger('--warmup', v.warmup, 1),
    phases,
    rate,
    workers,
    rssSampleMs: v['rss-sample'] === undefined ? 1_000 : parseDuration('--rss-sample', v['rss-sample']),
    printSamples: v['rss-sample'] !== undefined,
    kannelRuns: v['kannel-runs'] === undefined ? 3 : positiveInteger('--kannel-runs', v['kannel-runs'], 1),
    kannelBin: nonEmpty(v['kannel-bin']) ?? nonEmpty(env.KANNEL_BIN),
    kafkaBrokers: nonEmpty(v['kafka-brokers']) ?? nonEmpty(env.BENCH_KAFKA_BROKERS),
    cpuProfDir: nonEmpty(v['cpu-prof']) ?? nonEmpty(env.BENCH_CPU_PROF),
    heapGrowth: v['heap-growth'] === undefined ? undefined : heapGrowth(v['heap-growth']),
    json: v.json,
    help: v.help,
  };
}
