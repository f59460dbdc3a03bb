/**
 * The options of `npm run bench:kafka-client` and `npm run bench:redis-client`: flags first, then environment
 * variables, then defaults. Pure: argv and env in, options or an error out.
 */
import { parseArgs } from 'node:util';

export const KAFKA_CLIENTS = ['kafkajs', 'platformatic'] as const;
export type KafkaClientName = (typeof KAFKA_CLIENTS)[number];
/** none: no compression; the others as each client has them without a native build (see the bench). */
export const KAFKA_COMPRESSIONS = ['none', 'zstd', 'lz4', 'snappy', 'gzip'] as const;
export type KafkaCompression = (typeof KAFKA_COMPRESSIONS)[number];

export const REDIS_CLIENTS = ['ioredis', 'node-redis'] as const;
export type RedisClientName = (typeof REDIS_CLIENTS)[number];

export class ClientBenchOptionError extends Error {
  override readonly name = 'ClientBenchOptionError';
}

export interface KafkaClientBenchOptions {
  /** The incumbent first: ratios are the second over the first. */
  readonly clients: readonly KafkaClientName[];
  readonly records: number;
  readonly runs: number;
  /** Records each client produces and consumes before the measured runs (not measured). */
  readonly warmup: number;
  readonly compressions: readonly KafkaCompression[];
  /** Concurrent send() calls. */
  readonly senders: number;
  /** Records per send() at most (each is 1..this, seeded). */
  readonly maxBatch: number;
  readonly partitions: number;
  /** An existing broker list; undefined: start a single-node broker for the run. */
  readonly brokers: string | undefined;
  readonly json: boolean;
  readonly help: boolean;
}

export interface RedisClientBenchOptions {
  readonly clients: readonly RedisClientName[];
  readonly ops: number;
  readonly runs: number;
  /** Callers in flight in the script and read phases. */
  readonly concurrency: number;
  /** Streams the inserts spread over, each read by one reader in the stream phase. */
  readonly streams: number;
  /** XREADGROUP COUNT. */
  readonly readCount: number;
  readonly url: string;
  readonly json: boolean;
  readonly help: boolean;
}

export const KAFKA_USAGE = `Usage: npm run bench:kafka-client -- [options]

  --clients <list>       kafkajs,platformatic (default both; the first is the one the ratios divide by)
  --records <n>          records produced and consumed per client, compression and run (default 200000)
  --runs <n>             runs, interleaved; the median of each figure is reported (default 3)
  --warmup <n>           records each client sends and reads first, not measured (default 10000)
  --compressions <list>  none,zstd (default); also lz4, snappy (@platformatic/kafka only) and gzip
  --senders <n>          concurrent send() calls (default 16)
  --max-batch <n>        records per send() at most, each batch 1..n (default 500)
  --partitions <n>       partitions of each of the 3 topics (default 6, the gateway's)
  --brokers <list>       an existing Kafka (default: a single-node broker started here; env BENCH_KAFKA_BROKERS)
  --json                 JSON lines only, no tables
  --help                 this text
`;

export const REDIS_USAGE = `Usage: npm run bench:redis-client -- [options]

  --clients <list>       ioredis,node-redis (default both; the first is the one the ratios divide by)
  --ops <n>              messages per client, phase and run (default 100000)
  --runs <n>             runs, interleaved; the median of each figure is reported (default 3)
  --concurrency <n>      callers in flight in the script and read phases (default 64)
  --streams <n>          streams the inserts go to, one reader each in the stream phase (default 4)
  --read-count <n>       XREADGROUP COUNT (default 100)
  --url <url>            Redis (default redis://127.0.0.1:6379; env REDIS_URL)
  --json                 JSON lines only, no tables
  --help                 this text
`;

function integer(flag: string, raw: string, min: number): number {
  const value = Number(raw.replaceAll('_', ''));
  if (!/^\d[\d_]*$/.test(raw) || !Number.isSafeInteger(value) || value < min) {
    throw new ClientBenchOptionError(`${flag} must be an integer of at least ${min}, got "${raw}"`);
  }
  return value;
}

function list<T extends string>(flag: string, raw: string, known: readonly T[]): T[] {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new ClientBenchOptionError(`${flag} is empty`);
  for (const item of items) {
    if (!(known as readonly string[]).includes(item)) throw new ClientBenchOptionError(`${flag}: unknown "${item}" (known: ${known.join(', ')})`);
  }
  return [...new Set(items)] as T[];
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function parse(argv: readonly string[], options: Record<string, { type: 'string' } | { type: 'boolean'; default: boolean }>) {
  try {
    return parseArgs({ args: [...argv], strict: true, allowPositionals: false, options }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    throw new ClientBenchOptionError((error as Error).message);
  }
}

const text = (value: string | boolean | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

/** Reads `--<flag>` of parsed values as an integer of at least `min`, or gives `fallback` when it is absent. */
function integersOf(values: Readonly<Record<string, string | boolean | undefined>>): (flag: string, fallback: number, min?: number) => number {
  return (flag, fallback, min = 1) => {
    const raw = text(values[flag]);
    return raw === undefined ? fallback : integer(`--${flag}`, raw, min);
  };
}

export function parseKafkaClientOptions(argv: readonly string[], env: NodeJS.ProcessEnv): KafkaClientBenchOptions {
  const v = parse(argv, {
    clients: { type: 'string' },
    records: { type: 'string' },
    runs: { type: 'string' },
    warmup: { type: 'string' },
    compressions: { type: 'string' },
    senders: { type: 'string' },
    'max-batch': { type: 'string' },
    partitions: { type: 'string' },
    brokers: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  const at = integersOf(v);
  const clients = text(v.clients);
  const compressions = text(v.compressions);
  return {
    clients: clients === undefined ? [...KAFKA_CLIENTS] : list('--clients', clients, KAFKA_CLIENTS),
    records: at('records', 200_000),
    runs: at('runs', 3),
    warmup: at('warmup', 10_000),
    compressions: compressions === undefined ? ['none', 'zstd'] : list('--compressions', compressions, KAFKA_COMPRESSIONS),
    senders: at('senders', 16),
    maxBatch: at('max-batch', 500),
    partitions: at('partitions', 6),
    brokers: nonEmpty(text(v.brokers)) ?? nonEmpty(env.BENCH_KAFKA_BROKERS),
    json: v.json === true,
    help: v.help === true,
  };
}

export function parseRedisClientOptions(argv: readonly string[], env: NodeJS.ProcessEnv): RedisClientBenchOptions {
  const v = parse(argv, {
    clients: { type: 'string' },
    ops: { type: 'string' },
    runs: { type: 'string' },
    concurrency: { type: 'string' },
    streams: { type: 'string' },
    'read-count': { type: 'string' },
    url: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  const at = integersOf(v);
  const clients = text(v.clients);
  return {
    clients: clients === undefined ? [...REDIS_CLIENTS] : list('--clients', clients, REDIS_CLIENTS),
    ops: at('ops', 100_000),
    runs: at('runs', 3),
    concurrency: at('concurrency', 64),
    streams: at('streams', 4),
    readCount: at('read-count', 100),
    url: nonEmpty(text(v.url)) ?? nonEmpty(env.REDIS_URL) ?? 'redis://127.0.0.1:6379',
    json: v.json === true,
    help: v.help === true,
  };
}
