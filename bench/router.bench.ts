/**
 * Router benchmarks (a script, never a timed test): `npm run bench:router`.
 * 1. in-memory carrier lookups (ranges trie + country default; then MNP memory store + ranges, batched);
 * 2. importing a generated 1,000,000-row portability CSV into Redis through the same path as `smsgw mnp import`;
 * 3. batched (pipelined) Redis portability lookups.
 * Redis parts use REDIS_URL (default redis://127.0.0.1:6379) under a random key prefix, removed afterwards,
 * and are skipped when Redis does not answer. The CSV goes to the OS temp directory and is deleted.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { importPortingCsv, loadRoutingFile, RedisPortingSource, redisKeys } from '../gateway/index.ts';
import { seededRandom } from '../common/index.ts';
import { CarrierResolver, lookupOffline, MemoryPortingSource, RouterHandle, type CarrierAnswer, type NumberToResolve } from '../router/index.ts';

const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const JP_CARRIERS = ['docomo', 'au', 'softbank', 'rakuten'] as const;

function jpMobile(random: () => number): string {
  const block = ['70', '80', '90'][Math.floor(random() * 3)] ?? '90';
  // The subscriber part starts 1-9: 090-0xxx-xxxx is not allocated, and the import refuses invalid numbers.
  return `+81${block}${String(10_000_000 + Math.floor(random() * 9e7))}`;
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function rate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s`;
}

async function benchMemory(): Promise<void> {
  const table = loadRoutingFile(undefined);
  const random = seededRandom(1);
  const numbers: NumberToResolve[] = [];
  for (let i = 0; i < 200_000; i++) {
    const r = random();
    if (r < 0.7) numbers.push({ e164: jpMobile(random), country: 'JP' });
    else if (r < 0.85) numbers.push({ e164: `+49151${String(Math.floor(random() * 1e8)).padStart(8, '0')}`, country: 'DE' });
    else numbers.push({ e164: `+447${String(Math.floor(random() * 1e9)).padStart(9, '0')}`, country: 'GB' });
  }
  const { carriers } = table;
  let sink: CarrierAnswer | undefined;
  for (const n of numbers) sink = lookupOffline(carriers, n.e164, n.country); // warm-up
  const rounds = 10;
  let started = performance.now();
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < numbers.length; i++) {
      const n = numbers[i] as NumberToResolve;
      sink = lookupOffline(carriers, n.e164, n.country);
    }
  }
  let ms = performance.now() - started;
  console.log(`in-memory ranges lookup: ${(rounds * numbers.length).toLocaleString('en-US')} lookups in ${ms.toFixed(0)} ms = ${rate(rounds * numbers.length, ms)} (${table.carriers.ranges.size} prefixes; last ${sink?.carrier ?? '-'})`);

  const porting = new MemoryPortingSource();
  await porting.importRows([numbers.filter((_, i) => i % 10 === 0).map((n) => ({ e164: n.e164, carrier: 'rakuten' }))]);
  const resolver = new CarrierResolver({ porting });
  const at = Date.now();
  const batch = 1_000;
  started = performance.now();
  let resolved = 0;
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < numbers.length; i += batch) {
      const answers = await resolver.resolveMany(carriers, numbers.slice(i, i + batch), at);
      resolved += answers.length;
    }
  }
  ms = performance.now() - started;
  console.log(`in-memory MNP + ranges, batches of ${batch}: ${resolved.toLocaleString('en-US')} lookups in ${ms.toFixed(0)} ms = ${rate(resolved, ms)}`);

  // Whole decisions from user input: libphonenumber parsing, carrier lookup, rules, strategy, sender rules.
  const handle = new RouterHandle(table, { porting });
  const requests = numbers.slice(0, 50_000).map((n, i) => ({ to: n.e164, from: i % 2 === 0 ? 'ACME' : undefined, tag: i % 7 === 0 ? 'otp' : undefined, at: new Date(at) }));
  started = performance.now();
  let decided = 0;
  for (let i = 0; i < requests.length; i += batch) {
    decided += (await handle.decideMany(requests.slice(i, i + batch))).filter((o) => o.ok).length;
  }
  ms = performance.now() - started;
  console.log(`full routing decisions (normalize + carrier + rules), decideMany of ${batch}: ${decided.toLocaleString('en-US')} in ${ms.toFixed(0)} ms = ${rate(requests.length, ms)}`);
}

async function redisAvailable(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_000 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

async function writeCsv(file: string, rows: number): Promise<string[]> {
  const random = seededRandom(2);
  const out = createWriteStream(file);
  const sample: string[] = [];
  out.write('number,carrier,effective_date\n');
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const number = jpMobile(random);
    if (i % 1000 === 0) sample.push(number);
    const carrier = JP_CARRIERS[i % JP_CARRIERS.length] ?? 'docomo';
    chunk += i % 5 === 0 ? `${number},${carrier},2024-04-01\n` : `${number},${carrier}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return sample;
}

/** CPU seconds the Redis server has used (user + system), from INFO: the server's share of the work. */
async function redisCpuSeconds(): Promise<number> {
  const redis = new Redis(REDIS_URL);
  try {
    const info = await redis.info('cpu');
    const value = (name: string): number => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? 0);
    return value('used_cpu_user') + value('used_cpu_sys');
  } finally {
    redis.disconnect();
  }
}

async function deleteKeys(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL);
  let deleted = 0;
  try {
    const stream = redis.scanStream({ match: redisKeys(prefix).allPattern, count: 5_000 });
    for await (const keys of stream as AsyncIterable<string[]>) {
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    }
  } finally {
    redis.disconnect();
  }
  return deleted;
}

async function benchRedis(): Promise<void> {
  if (!(await redisAvailable())) {
    console.log(`Redis at ${REDIS_URL} does not answer: Redis benchmarks skipped`);
    return;
  }
  const prefix = `bench-${randomBytes(4).toString('hex')}:`;
  const file = join(tmpdir(), `smsgw-mnp-bench-${process.pid}.csv`);
  const source = new RedisPortingSource({ url: REDIS_URL, prefix });
  try {
    const sample = await writeCsv(file, IMPORT_ROWS);
    const serverBefore = await redisCpuSeconds();
    const cpu = process.cpuUsage();
    const summary = await importPortingCsv(file, source);
    const cpuMs = cpuMsSince(cpu);
    const serverMs = ((await redisCpuSeconds()) - serverBefore) * 1000;
    console.log(
      `Redis import: ${summary.imported.toLocaleString('en-US')} rows (${summary.bad} bad) in ${(summary.durationMs / 1000).toFixed(2)} s = ${summary.rowsPerSecond.toLocaleString('en-US')} rows/s (CSV ${(summary.bytes / 1e6).toFixed(1)} MB)`,
    );
    console.log(
      `  CPU: client ${(cpuMs / 1000).toFixed(2)} s (${rate(summary.imported, cpuMs)}), Redis server ${(serverMs / 1000).toFixed(2)} s (${rate(summary.imported, serverMs)}); they overlap, so on an idle machine the import runs at about the lower of the two`,
    );
    const found = (await source.getMany(sample)).filter((r) => r !== undefined).length;
    console.log(`  check: ${found} of ${sample.length} sampled numbers found after import`);

    const random = seededRandom(3);
    const lookups: string[] = Array.from({ length: 200_000 }, () => jpMobile(random));
    for (const batch of [100, 1_000, 5_000]) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      let answered = 0;
      for (let i = 0; i < lookups.length; i += batch) answered += (await source.getMany(lookups.slice(i, i + batch))).length;
      const ms = performance.now() - started;
      console.log(`Redis batched lookups (getMany of ${batch}): ${answered.toLocaleString('en-US')} in ${ms.toFixed(0)} ms = ${rate(answered, ms)} (client CPU ${rate(answered, cpuMsSince(cpu))})`);
    }
  } finally {
    await source.close();
    await rm(file, { force: true });
    const deleted = await deleteKeys(prefix);
    console.log(`  cleanup: removed the CSV and ${deleted.toLocaleString('en-US')} Redis keys under ${prefix}`);
  }
}

await benchMemory();
await benchRedis();
