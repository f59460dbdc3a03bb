/**
 * ioredis against node-redis (`redis`) in the gateway's shapes (a script, never a timed test):
 * `npm run bench:redis-client`.
 *
 * Each client, per run, under a throwaway key prefix removed afterwards, goes through four phases of `--ops`
 * messages each, as the Redis message store and route queue use Redis:
 * - insert: one EVALSHA per message of a script shaped like the store's INSERT (HSET of 5 fields with the ~330-byte
 *   envelope, RPUSH of a timeline entry, ZADD to the account index, XADD to a route stream), `--concurrency`
 *   callers in flight, the script run by SHA with an EVAL fallback on NOSCRIPT (as RedisScript does);
 * - apply: one EVALSHA per message of a script shaped like the store's APPLY (HGET, HSET of part and status, RPUSH,
 *   the statuses returned), same callers;
 * - read: one pipeline of HGETALL + LRANGE per message (the store's get()), same callers;
 * - stream: `--streams` readers, one per route stream, XREADGROUP COUNT `--read-count` until the stream is empty,
 *   each batch acknowledged by a pipeline of XACK + XDEL (the route queue's read() and ack()).
 *
 * Clients as the gateway would run them: ioredis with enableAutoPipelining (redis-backend.ts), node-redis with its
 * defaults (it writes every command issued in one tick together, and speaks RESP3 unless told otherwise). Figures
 * are of this process only (Redis is another process): operations/s and CPU seconds per 100,000 operations
 * (process.cpuUsage(), user + system). Runs are interleaved, the clients' order swapped every run, and each figure's
 * median reported; gc() runs between phases when node has --expose-gc (the npm script gives it).
 */
import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { envelopeJson, messageId } from './client-bench-load.ts';
import { ClientBenchOptionError, parseRedisClientOptions, REDIS_USAGE, type RedisClientBenchOptions, type RedisClientName } from './client-bench-options.ts';
import { clearsCpuBar, compare, figures, formatComparison, type Measured, type RunFigures } from './client-bench-summary.ts';
import { loadAverage } from './proc-stats.ts';

/** KEYS: message, timeline, account index, stream. ARGV: id, envelope, status, part letters, createdAt, part JSON, timeline entry. */
const INSERT = `
redis.call('HSET', KEYS[1], 'e', ARGV[2], 's', ARGV[3], 'ps', ARGV[4], 'p1', ARGV[6], 'c', ARGV[5])
redis.call('RPUSH', KEYS[2], ARGV[7])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
redis.call('XADD', KEYS[4], '*', 'm', ARGV[1], 'a', '0')
return {1, ARGV[1]}
`;

/** KEYS: message, timeline. ARGV: part JSON, part letters, status, timeline entry. Returns the status before and after. */
const APPLY = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local previous = redis.call('HGET', KEYS[1], 's')
redis.call('HSET', KEYS[1], 'p1', ARGV[1], 'ps', ARGV[2], 's', ARGV[3])
redis.call('RPUSH', KEYS[2], ARGV[4])
return {previous, ARGV[3]}
`;

const GROUP = 'dispatch';
const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');

interface Keys {
  message(id: string): string;
  timeline(id: string): string;
  account(index: number): string;
  stream(n: number): string;
}

/** What a phase asks of a client: the same calls in both clients' words. */
interface ClientDriver {
  script(source: string, sha: string, keys: string[], args: string[]): Promise<unknown>;
  readMessage(message: string, timeline: string): Promise<number>;
  /** Reads up to `count` new entries, acknowledges and deletes them; how many there were. */
  takeBatch(stream: string, consumer: string, count: number): Promise<number>;
  close(): Promise<void>;
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

async function ioredisDriver(url: string): Promise<ClientDriver> {
  const redis = new Redis(url, { enableAutoPipelining: true, maxRetriesPerRequest: 3 });
  await redis.ping();
  return {
    async script(source, sha, keys, args) {
      try {
        return await redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!isNoScript(error)) throw error;
        return redis.eval(source, keys.length, ...keys, ...args);
      }
    },
    async readMessage(message, timeline) {
      const results = await redis.pipeline().hgetall(message).lrange(timeline, 0, -1).exec();
      const hash = results?.[0]?.[1] as Record<string, string> | undefined;
      const entries = results?.[1]?.[1] as string[] | undefined;
      return (hash?.e?.length ?? 0) + (entries?.length ?? 0);
    },
    async takeBatch(stream, consumer, count) {
      const reply = (await redis.xreadgroup('GROUP', GROUP, consumer, 'COUNT', count, 'STREAMS', stream, '>')) as [string, [string, string[]][]][] | null;
      const items = reply?.[0]?.[1] ?? [];
      if (items.length === 0) return 0;
      const ids = items.map(([id]) => id);
      await redis.pipeline().xack(stream, GROUP, ...ids).xdel(stream, ...ids).exec();
      return ids.length;
    },
    async close() {
      await redis.quit();
    },
  };
}

async function nodeRedisDriver(url: string): Promise<ClientDriver> {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  return {
    async script(source, sha, keys, args) {
      try {
        return await client.evalSha(sha, { keys, arguments: args });
      } catch (error) {
        if (!isNoScript(error)) throw error;
        return client.eval(source, { keys, arguments: args });
      }
    },
    async readMessage(message, timeline) {
      const [hash, entries] = (await client.multi().hGetAll(message).lRange(timeline, 0, -1).execAsPipeline()) as unknown as [Record<string, string> | null, string[] | null];
      return (hash?.e?.length ?? 0) + (entries?.length ?? 0);
    },
    async takeBatch(stream, consumer, count) {
      const reply = (await client.xReadGroup(GROUP, consumer, { key: stream, id: '>' }, { COUNT: count })) as { messages: { id: string }[] }[] | null;
      const items = reply?.[0]?.messages ?? [];
      if (items.length === 0) return 0;
      const ids = items.map((item) => item.id);
      await client.multi().xAck(stream, GROUP, ids).xDel(stream, ids).execAsPipeline();
      return ids.length;
    },
    async close() {
      await client.close();
    },
  };
}

const collect = (): void => (globalThis as { gc?: () => void }).gc?.();
const cpuNow = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

/** `callers` loops each taking the next index until `count`; the phase's figures. */
async function callers(count: number, concurrency: number, call: (index: number) => Promise<unknown>): Promise<RunFigures> {
  collect();
  let next = 0;
  const cpu0 = cpuNow();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await call(next++);
    }),
  );
  return figures(count, (performance.now() - t0) / 1000, cpuNow() - cpu0);
}

interface Prepared {
  readonly ids: readonly string[];
  readonly envelopes: readonly string[];
}

async function runClient(name: RedisClientName, options: RedisClientBenchOptions, keys: Keys, data: Prepared, admin: Redis): Promise<Record<string, RunFigures>> {
  for (let n = 0; n < options.streams; n++) await admin.xgroup('CREATE', keys.stream(n), GROUP, '$', 'MKSTREAM');
  const driver = name === 'ioredis' ? await ioredisDriver(options.url) : await nodeRedisDriver(options.url);
  try {
    const insertSha = sha1(INSERT);
    const applySha = sha1(APPLY);
    const part = JSON.stringify({ seq: 1, status: 'pending' });
    const delivered = JSON.stringify({ seq: 1, status: 'delivered', smscMessageId: '0000000000abcdef', doneAt: '2026-01-01T00:00:01.000Z' });
    const insert = await callers(options.ops, options.concurrency, (i) => {
      const id = data.ids[i] as string;
      const createdAt = String(Date.UTC(2026, 0, 1) + i);
      return driver.script(INSERT, insertSha, [keys.message(id), keys.timeline(id), keys.account(i % 10), keys.stream(i % options.streams)], [
        id, data.envelopes[i] as string, 'accepted', 'P', createdAt, part, `{"at":${createdAt},"event":"accepted"}`,
      ]);
    });
    const apply = await callers(options.ops, options.concurrency, (i) => {
      const id = data.ids[i] as string;
      return driver.script(APPLY, applySha, [keys.message(id), keys.timeline(id)], [delivered, 'D', 'delivered', `{"at":${Date.UTC(2026, 0, 1) + i + 1000},"event":"delivered"}`]);
    });
    const read = await callers(options.ops, options.concurrency, (i) => {
      const id = data.ids[i] as string;
      return driver.readMessage(keys.message(id), keys.timeline(id));
    });
    let taken = 0;
    collect();
    const cpu0 = cpuNow();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: options.streams }, async (_, n) => {
        for (;;) {
          const got = await driver.takeBatch(keys.stream(n), `reader-${n}`, options.readCount);
          if (got === 0) return;
          taken += got;
        }
      }),
    );
    if (taken !== options.ops) throw new Error(`${name}: the streams gave ${taken} entries, ${options.ops} were added`);
    const stream = figures(taken, (performance.now() - t0) / 1000, cpuNow() - cpu0);
    return { insert, apply, read, stream };
  } finally {
    await driver.close();
  }
}

/** Removes every key under `prefix` (SCAN, then UNLINK in batches). */
async function removePrefix(admin: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let removed = 0;
  do {
    const [next, found] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
    cursor = next;
    if (found.length > 0) removed += await admin.unlink(...found);
  } while (cursor !== '0');
  return removed;
}

async function main(): Promise<void> {
  let options: RedisClientBenchOptions;
  try {
    options = parseRedisClientOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof ClientBenchOptionError)) throw error;
    process.stderr.write(`${error.message}\n\n${REDIS_USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(REDIS_USAGE);
    return;
  }
  const loadStart = loadAverage();
  const admin = new Redis(options.url, { maxRetriesPerRequest: 3 });
  const runId = randomUUID().slice(0, 8);
  const root = `smsgw-bench-clients:${runId}:`;
  const ids = Array.from({ length: options.ops }, (_, i) => messageId(runId, i));
  const data: Prepared = { ids, envelopes: ids.map((id, i) => envelopeJson(id, i)) };
  const measured = new Map<string, Measured & { runs: RunFigures[] }>();
  const phases = ['insert', 'apply', 'read', 'stream'];
  try {
    // Not measured: both clients' code through the JIT, and the scripts into Redis's cache.
    for (const client of options.clients) {
      const prefix = `${root}warmup:${client}:`;
      await runClient(client, { ...options, ops: Math.min(options.ops, 5_000) }, keysUnder(prefix), data, admin);
      await removePrefix(admin, prefix);
    }
    for (let run = 1; run <= options.runs; run++) {
      const clients = run % 2 === 1 ? options.clients : [...options.clients].reverse();
      for (const client of clients) {
        const prefix = `${root}r${run}:${client}:`;
        try {
          const result = await runClient(client, options, keysUnder(prefix), data, admin);
          for (const phase of phases) {
            const id = `${phase}\n${client}`;
            let entry = measured.get(id);
            if (entry === undefined) measured.set(id, (entry = { phase, variant: '-', client, runs: [] }));
            entry.runs.push(result[phase] as RunFigures);
          }
          const rounded = Object.fromEntries(
            Object.entries(result).map(([phase, f]) => [phase, { perSecond: Math.round(f.perSecond), cpuSecondsPer100k: +f.cpuSecondsPer100k.toFixed(3) }]),
          );
          process.stdout.write(`${JSON.stringify({ run, client, ...rounded, load: loadAverage() })}\n`);
        } finally {
          await removePrefix(admin, prefix);
        }
      }
    }
  } finally {
    await removePrefix(admin, root);
    await admin.quit();
  }
  const loadEnd = loadAverage();
  const all = [...measured.values()].sort((a, b) => phases.indexOf(a.phase) - phases.indexOf(b.phase) || options.clients.indexOf(a.client as RedisClientName) - options.clients.indexOf(b.client as RedisClientName));
  const [incumbent, challenger] = options.clients;
  const comparisons = incumbent !== undefined && challenger !== undefined ? compare(all, incumbent, challenger) : [];
  process.stdout.write(`${JSON.stringify({ summary: true, comparisons, loadStart, loadEnd })}\n`);
  if (options.json) return;
  process.stdout.write(`\n${options.ops.toLocaleString('en-US')} messages per phase, ${options.concurrency} callers, ${options.streams} streams read ${options.readCount} at a time; median of ${options.runs} runs\n\n`);
  process.stdout.write(`${formatComparison(all, incumbent ?? '', challenger ?? '', 'ops')}\n`);
  if (comparisons.length > 0) process.stdout.write(`\n${challenger} ${clearsCpuBar(comparisons) ? 'clears' : 'does not clear'} the 1.3x CPU bar in every phase.\n`);
  process.stdout.write(`load average start ${loadStart.join(' ')} -> end ${loadEnd.join(' ')}\n`);
}

function keysUnder(prefix: string): Keys {
  return {
    message: (id) => `${prefix}m:${id}`,
    timeline: (id) => `${prefix}t:${id}`,
    account: (index) => `${prefix}a:${index}`,
    stream: (n) => `${prefix}q:${n}`,
  };
}

await main();
