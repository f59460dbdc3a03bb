import type { RedisOptions } from 'ioredis';
import { routeError, type ImportOptions, type PortingRecord, type PortingSource } from '../../../router/index.ts';
import { connectRedis, parseRedisUrl, type RedisClient } from './redis-connection.ts';
import { DEFAULT_KEY_PREFIX, redisKeys, type RedisKeys } from './redis-keys.ts';

export interface RedisPortingSourceOptions {
  /** `redis://host:port/db`, or `redis+cluster://host:port,…` for a Redis Cluster; the adapter owns its client and closes it. */
  readonly url: string;
  readonly prefix?: string;
  readonly redisOptions?: RedisOptions;
  /** Pipelines kept in flight during an import; a few hide the round trip without flooding Redis. */
  readonly importConcurrency?: number;
}

const SEPARATOR = '|';
/** Numbers per script call (import, bulk read): big enough to save client work, small enough not to stall Redis. */
const CHUNK = 1_000;

/**
 * One command stores a chunk of numbers: KEYS are the bucket hashes, ARGV the field/value pairs in the same
 * order. Thousands of single HSETs cost the client a command object, a promise and a reply each, which is
 * where an import spent its time (mostly in garbage collection); one script call per chunk does not.
 */
const IMPORT_SCRIPT = `
for i = 1, #KEYS do
  redis.call('HSET', KEYS[i], ARGV[2 * i - 1], ARGV[2 * i])
end
return #KEYS
`;

/** Bulk read: one HGET per key/field pair, nil where a number is not ported. */
const GET_MANY_SCRIPT = `
local answers = {}
for i = 1, #KEYS do
  answers[i] = redis.call('HGET', KEYS[i], ARGV[i])
end
return answers
`;

/** A pipeline with this adapter's scripts (ioredis adds defined commands at run time, untyped). */
interface ScriptPipeline {
  smsgwMnpImport(...args: (string | number)[]): ScriptPipeline;
  smsgwMnpGetMany(...args: (string | number)[]): ScriptPipeline;
  exec(): Promise<[Error | null, unknown][] | null>;
}

/**
 * PortingSource on Redis: hashes of 100 numbers (see redis-keys.ts), values `carrier` or `carrier|date`.
 * Bulk reads and imports go by script calls of 1,000 numbers in one pipeline: getMany is one round trip, an
 * import keeps a few pipelines in flight. On a Redis Cluster the buckets of one chunk sit on many slots, which
 * one script may not touch: there each number is a command of its own, sent without waiting (auto-pipelined,
 * one batch per master).
 */
export class RedisPortingSource implements PortingSource {
  private readonly redis: RedisClient;
  private readonly keys: RedisKeys;
  private readonly concurrency: number;

  constructor(options: RedisPortingSourceOptions) {
    // The URL and the prefix are checked before any connection is opened.
    const target = parseRedisUrl(options.url);
    this.keys = redisKeys(options.prefix ?? DEFAULT_KEY_PREFIX);
    // Auto-pipelined: the lookups of concurrent requests leave in one write, not one socket write per number.
    this.redis = connectRedis(target, { lazyConnect: false, maxRetriesPerRequest: 2, enableAutoPipelining: true, ...options.redisOptions });
    // Errors surface on the commands; an unhandled 'error' event would crash the process.
    this.redis.on('error', () => undefined);
    this.redis.defineCommand('smsgwMnpImport', { lua: IMPORT_SCRIPT });
    this.redis.defineCommand('smsgwMnpGetMany', { lua: GET_MANY_SCRIPT });
    this.concurrency = Math.max(1, options.importConcurrency ?? 4);
  }

  async get(e164: string): Promise<PortingRecord | undefined> {
    const { key, field } = this.keys.mnpSlot(e164);
    const value = await this.call(() => this.redis.hget(key, field));
    return decode(e164, value);
  }

  async getMany(e164s: readonly string[]): Promise<(PortingRecord | undefined)[]> {
    if (e164s.length === 0) return [];
    if (this.redis.isCluster) {
      const values = await this.call(() => Promise.all(e164s.map((e164) => {
        const { key, field } = this.keys.mnpSlot(e164);
        return this.redis.hget(key, field);
      })));
      return values.map((value, i) => decode(e164s[i] as string, value));
    }
    const pipeline = this.redis.pipeline() as unknown as ScriptPipeline;
    for (let start = 0; start < e164s.length; start += CHUNK) {
      const end = Math.min(e164s.length, start + CHUNK);
      const keys: string[] = [];
      const fields: string[] = [];
      for (let i = start; i < end; i++) {
        const { key, field } = this.keys.mnpSlot(e164s[i] as string);
        keys.push(key);
        fields.push(field);
      }
      pipeline.smsgwMnpGetMany(keys.length, ...keys, ...fields);
    }
    const results = await this.call(() => pipeline.exec());
    const answers: (PortingRecord | undefined)[] = [];
    for (const [error, values] of results ?? []) {
      if (error !== null) throw portingUnavailable(error);
      for (const value of values as (string | null)[]) {
        const e164 = e164s[answers.length] as string;
        answers.push(decode(e164, typeof value === 'string' ? value : null));
      }
    }
    if (answers.length !== e164s.length) throw portingUnavailable(new Error(`expected ${e164s.length} answers, got ${answers.length}`));
    return answers;
  }

  async set(record: PortingRecord): Promise<void> {
    const { key, field } = this.keys.mnpSlot(record.e164);
    await this.call(() => this.redis.hset(key, field, encode(record)));
  }

  async delete(e164: string): Promise<boolean> {
    const { key, field } = this.keys.mnpSlot(e164);
    return (await this.call(() => this.redis.hdel(key, field))) > 0;
  }

  async importRows(batches: AsyncIterable<readonly PortingRecord[]> | Iterable<readonly PortingRecord[]>, options: ImportOptions = {}): Promise<number> {
    const inFlight = new Set<Promise<void>>();
    let total = 0;
    let failure: unknown;
    for await (const batch of batches) {
      if (failure !== undefined) break;
      if (batch.length === 0) continue;
      const write = this.writeBatch(batch).then(
        () => {
          total += batch.length;
          options.onBatch?.(batch.length);
        },
        (error: unknown) => {
          failure ??= error;
        },
      );
      const tracked = write.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      if (inFlight.size >= this.concurrency) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (failure !== undefined) throw portingUnavailable(failure);
    return total;
  }

  async close(): Promise<void> {
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  private async writeBatch(batch: readonly PortingRecord[]): Promise<void> {
    if (this.redis.isCluster) {
      // One HSET per number, in file order: the commands to one master keep their order, so a later row for
      // the same number still wins.
      await Promise.all(batch.map((record) => {
        const { key, field } = this.keys.mnpSlot(record.e164);
        return this.redis.hset(key, field, encode(record));
      }));
      return;
    }
    const pipeline = this.redis.pipeline() as unknown as ScriptPipeline;
    for (let start = 0; start < batch.length; start += CHUNK) {
      const end = Math.min(batch.length, start + CHUNK);
      const keys: string[] = [];
      const args: string[] = [];
      for (let i = start; i < end; i++) {
        const record = batch[i] as PortingRecord;
        const { key, field } = this.keys.mnpSlot(record.e164);
        keys.push(key);
        args.push(field, encode(record));
      }
      // Rows run in file order inside the script, so a later row for the same number wins.
      pipeline.smsgwMnpImport(keys.length, ...keys, ...args);
    }
    const results = await pipeline.exec();
    const error = results?.find(([e]) => e !== null)?.[0];
    if (error !== undefined && error !== null) throw error;
  }

  private async call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error: unknown) {
      throw portingUnavailable(error);
    }
  }
}

function portingUnavailable(error: unknown): Error {
  return routeError('ROUTE_PORTING_UNAVAILABLE', error instanceof Error ? error.message : String(error), {}, { cause: error });
}

function encode(record: PortingRecord): string {
  return record.effectiveDate === undefined ? record.carrier : `${record.carrier}${SEPARATOR}${record.effectiveDate}`;
}

function decode(e164: string, value: string | null): PortingRecord | undefined {
  if (value === null) return undefined;
  const at = value.indexOf(SEPARATOR);
  return at < 0 ? { e164, carrier: value } : { e164, carrier: value.slice(0, at), effectiveDate: value.slice(at + 1) };
}
