/**
 * End-to-end gateway benchmark (a script, never a timed test): `npm run bench`.
 * The SMSC simulator (happy scenario: every submit answered at once, a DELIVRD receipt right after) and the gateway
 * (`smsgw serve --config`) run as separate processes; this process is the load generator. For the embedded mode
 * (memory store) and the Redis mode it sends BENCH_MESSAGES messages through POST /v1/messages with
 * BENCH_CONCURRENCY requests in flight, waits for every receipt, then the same number through the batch endpoint,
 * and prints one JSON line per mode: accepted/s, end-to-end delivered/s, accept latency percentiles,
 * submit-to-receipt latency, gateway CPU and peak RSS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { Pool } from 'undici';
import { stringify } from 'yaml';
import { hashApiKey } from '../gateway/index.ts';

const BIN = fileURLToPath(new URL('../bin/smsgw.js', import.meta.url));
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const BATCH = 1_000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const MODES = (process.env.BENCH_MODES ?? 'embedded,redis').split(',');
const KEY = 'bench-key';
const CLK_TCK = 100;

function spawnReady(args: string[], env: NodeJS.ProcessEnv, pattern: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = pattern.exec(line);
      if (match !== null) resolve({ child, match });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${String(code)}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** CPU seconds (user + system) and peak RSS in MiB of a process, from /proc. */
function processUsage(pid: number): { cpuSeconds: number; peakRssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return { cpuSeconds, peakRssMiB: Math.round(Number(hwm) / 1024) };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

interface Metrics {
  readonly delivered: number;
  readonly receiptBuckets: readonly [number, number][];
}

async function scrape(pool: Pool): Promise<Metrics> {
  const { body } = await pool.request({ path: '/metrics', method: 'GET' });
  const text = await body.text();
  const delivered = Number(/smsgw_message_status_total\{status="delivered"\} (\d+)/.exec(text)?.[1] ?? 0);
  const receiptBuckets: [number, number][] = [];
  for (const m of text.matchAll(/smsgw_submit_to_receipt_seconds_bucket\{le="([^"]+)",connector="[^"]+"\} (\d+)/g)) {
    receiptBuckets.push([m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2])]);
  }
  return { delivered, receiptBuckets };
}

/** A quantile from cumulative histogram buckets (upper bound of the bucket it falls in). */
function bucketQuantile(buckets: readonly [number, number][], q: number): number {
  const total = buckets.at(-1)?.[1] ?? 0;
  for (const [le, count] of buckets) if (count >= q * total) return le;
  return Infinity;
}

async function waitDelivered(pool: Pool, target: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { delivered } = await scrape(pool);
    if (delivered >= target) return Date.now();
    if (Date.now() > deadline) throw new Error(`only ${delivered} of ${target} delivered`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function singles(pool: Pool, count: number, offset: number): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const started = performance.now();
      const { statusCode, body } = await pool.request({
        path: '/v1/messages',
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ to: `+8190${String(10_000_000 + offset + i)}`, text: `Your order ${offset + i} has shipped and arrives tomorrow.` }),
      });
      await body.dump();
      if (statusCode !== 202) throw new Error(`POST answered ${statusCode}`);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return latencies.sort((a, b) => a - b);
}

async function batches(pool: Pool, count: number, offset: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const start = next;
      next += BATCH;
      const messages = Array.from({ length: Math.min(BATCH, count - start) }, (_, k) => ({
        to: `+8180${String(10_000_000 + offset + start + k)}`,
        text: `Batch message ${offset + start + k}: your parcel is on its way.`,
      }));
      const { statusCode, body } = await pool.request({
        path: '/v1/messages/batch',
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ messages }),
      });
      const result = (await body.json()) as { accepted: number };
      if (statusCode !== 200 || result.accepted !== messages.length) throw new Error(`batch answered ${statusCode}, accepted ${result.accepted}`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

async function runMode(mode: string): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'smsgw-bench-'));
  const prefix = `smsgw-bench:${randomUUID()}:`;
  const simulator = await spawnReady(['simulate', 'smsc', '--port', '0', '--control-port', '0'], process.env, /smpp=[^:]+:(\d+)/);
  const configPath = join(dir, 'gateway.yaml');
  writeFileSync(
    configPath,
    stringify({
      server: { host: '127.0.0.1', port: 0 },
      accounts: [{ id: 'bench', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP' }],
      connectors: [{ id: 'smsc', type: 'smpp', host: '127.0.0.1', port: Number(simulator.match[1]), systemId: 'test', password: 'test', binds: 2, windowSize: 100 }],
      carriers: { builtinRanges: false },
      routes: { only: { strategy: 'failover', connectors: [{ id: 'smsc' }] } },
      rules: [{ name: 'default', route: 'only' }],
    }),
  );
  const gatewayEnv: NodeJS.ProcessEnv = { ...process.env, REDIS_URL, REDIS_PREFIX: prefix };
  if (mode !== 'redis') delete gatewayEnv.REDIS_URL;
  const gateway = await spawnReady(['serve', '--config', configPath, '--log-level', 'warn'], gatewayEnv, /listening on (http:\/\/\S+)/);
  const pool = new Pool(gateway.match[1] as string, { connections: CONCURRENCY, pipelining: 1 });
  try {
    // Warm-up: JIT, connections, binds.
    await singles(pool, 500, 80_000_000);
    await waitDelivered(pool, 500, 60_000);
    const cpuStart = processUsage(gateway.child.pid as number).cpuSeconds;
    const t0 = performance.now();
    const latencies = await singles(pool, MESSAGES, 0);
    const acceptedAt = performance.now();
    const deliveredAt = await waitDelivered(pool, 500 + MESSAGES, 300_000);
    const singleCpu = processUsage(gateway.child.pid as number).cpuSeconds - cpuStart;
    const endToEnd = performance.timeOrigin + t0;
    const t1 = performance.now();
    await batches(pool, MESSAGES, 0);
    const batchAcceptedAt = performance.now();
    await waitDelivered(pool, 500 + 2 * MESSAGES, 300_000);
    const batchDeliveredAt = performance.now();
    const metrics = await scrape(pool);
    const usage = processUsage(gateway.child.pid as number);
    return {
      mode,
      messages: MESSAGES,
      concurrency: CONCURRENCY,
      acceptedPerSecond: Math.round(MESSAGES / ((acceptedAt - t0) / 1000)),
      deliveredPerSecond: Math.round(MESSAGES / ((deliveredAt - endToEnd) / 1000)),
      acceptLatencyMs: { p50: +percentile(latencies, 50).toFixed(2), p95: +percentile(latencies, 95).toFixed(2), p99: +percentile(latencies, 99).toFixed(2) },
      batchAcceptedPerSecond: Math.round(MESSAGES / ((batchAcceptedAt - t1) / 1000)),
      batchDeliveredPerSecond: Math.round(MESSAGES / ((batchDeliveredAt - t1) / 1000)),
      submitToReceiptSeconds: { p50: bucketQuantile(metrics.receiptBuckets, 0.5), p99: bucketQuantile(metrics.receiptBuckets, 0.99) },
      gatewayCpuSecondsPerThousand: +((singleCpu / MESSAGES) * 1000).toFixed(3),
      gatewayPeakRssMiB: usage.peakRssMiB,
    };
  } finally {
    await pool.close();
    await stop(gateway.child);
    await stop(simulator.child);
    rmSync(dir, { recursive: true, force: true });
    if (mode === 'redis') {
      const redis = new Redis(REDIS_URL);
      let cursor = '0';
      do {
        const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5_000);
        if (keys.length > 0) await redis.del(...keys);
        cursor = nextCursor;
      } while (cursor !== '0');
      await redis.quit();
    }
  }
}

for (const mode of MODES) {
  console.log(JSON.stringify(await runMode(mode)));
}
