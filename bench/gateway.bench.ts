/**
 * End-to-end gateway benchmark (a script, never a timed test): `npm run bench`.
 * The SMSC simulator (happy scenario: every submit answered at once, a DELIVRD receipt right after) and the gateway
 * (`smsgw serve --config`) run as separate processes; this process is the load generator. For the embedded mode
 * (memory store) and the Redis mode it sends BENCH_MESSAGES messages through POST /v1/messages with
 * BENCH_CONCURRENCY requests in flight, waits for every receipt, then the same number through the batch endpoint,
 * and prints one JSON line per mode: accepted/s, end-to-end delivered/s, accept latency percentiles,
 * submit-to-receipt latency, gateway CPU, peak RSS and RSS sampled over the run (BENCH_MESSAGES=500000 sends a
 * million messages in all: the RSS samples show whether memory stays flat).
 *
 * The kafka mode runs the gateway on Redis and a Kafka broker (BENCH_KAFKA_BROKERS, or a single-node broker
 * started here) with topics and consumer groups of its own. Throughput alone would hide lost or doubled
 * events, so after the run it reads the events topic back from the beginning and reports how many accepted
 * messages have exactly one final `message.status` event, and the outbox size the gateway ended with.
 * BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the gateway process there.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'undici';
import { silenceKafkajsNegativeTimeout } from '../gateway/index.ts';
import { KafkaBroker } from '../test/support/kafka-broker.ts';
import { BENCH_KEY as KEY, deleteKeys, REDIS_URL, spawnReady, stop, writeGatewayConfig } from './bench-processes.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const BATCH = 1_000;
const MODES = (process.env.BENCH_MODES ?? 'embedded,redis,kafka').split(',');
const KAFKA_BROKERS = process.env.BENCH_KAFKA_BROKERS;
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF;
const FINAL_STATUSES: ReadonlySet<string> = new Set(['delivered', 'undelivered', 'failed', 'expired', 'unknown', 'rejected', 'canceled']);
const CLK_TCK = 100;
// The bench's own reader and admin clients are kafkajs too (see gateway/adapters/kafka/kafkajs-timeout-warning.ts).
silenceKafkajsNegativeTimeout();

/** Current RSS in MiB of a process, from /proc. */
function currentRssMiB(pid: number): number {
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(rss) / 1024);
}

/** Samples a process's RSS every second; `spread` returns ten samples evenly spaced over the run (is it flat?). */
function sampleRss(pid: number): { stop(): void; spread(): number[] } {
  const samples: number[] = [];
  const timer = setInterval(() => {
    try {
      samples.push(currentRssMiB(pid));
    } catch {
      // The process is gone.
    }
  }, 1_000);
  return {
    stop: () => clearInterval(timer),
    spread: () => (samples.length === 0 ? [] : Array.from({ length: 10 }, (_, i) => samples[Math.min(samples.length - 1, Math.round((i * (samples.length - 1)) / 9))] as number)),
  };
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
  readonly outboxSize: number;
  readonly receiptBuckets: readonly [number, number][];
}

async function scrape(pool: Pool): Promise<Metrics> {
  const { body } = await pool.request({ path: '/metrics', method: 'GET' });
  const text = await body.text();
  const delivered = Number(/smsgw_message_status_total\{status="delivered"\} (\d+)/.exec(text)?.[1] ?? 0);
  const outboxSize = Number(/^smsgw_event_outbox_size (\d+)/m.exec(text)?.[1] ?? 0);
  const receiptBuckets: [number, number][] = [];
  for (const m of text.matchAll(/smsgw_submit_to_receipt_seconds_bucket\{le="([^"]+)",connector="[^"]+"\} (\d+)/g)) {
    receiptBuckets.push([m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2])]);
  }
  return { delivered, outboxSize, receiptBuckets };
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

/** Accepted message ids go to `ids` when given (the kafka mode checks their events afterwards). */
async function singles(pool: Pool, count: number, offset: number, ids?: string[]): Promise<number[]> {
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
      if (ids === undefined) await body.dump();
      else ids.push(((await body.json()) as { id: string }).id);
      if (statusCode !== 202) throw new Error(`POST answered ${statusCode}`);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return latencies.sort((a, b) => a - b);
}

async function batches(pool: Pool, count: number, offset: number, ids?: string[]): Promise<void> {
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
      const result = (await body.json()) as { accepted: number; results: { message?: { id: string } }[] };
      if (statusCode !== 200 || result.accepted !== messages.length) throw new Error(`batch answered ${statusCode}, accepted ${result.accepted}`);
      if (ids !== undefined) for (const item of result.results) if (item.message !== undefined) ids.push(item.message.id);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

interface EventsComplete {
  readonly messages: number;
  readonly withFinalEvent: number;
  readonly missing: number;
  readonly duplicatesOfFinal: number;
  readonly eventsRead: number;
  /** A few message ids without a final event, to look up. */
  readonly missingSample: readonly string[];
}

/**
 * Reads the events topic from its beginning in a group of its own and counts the final `message.status` events
 * of every id. Stops once it has read up to the end offsets and they stayed put for `settleMs` (records still
 * relayed from the outbox arrive late), or when every id has its final event and the end is reached.
 */
async function checkEvents(brokers: readonly string[], topic: string, ids: readonly string[], settleMs = 5_000, timeoutMs = 120_000): Promise<EventsComplete> {
  const finals = new Map<string, number>(ids.map((id) => [id, 0]));
  const kafka = new Kafka({ clientId: 'smsgw-bench-reader', brokers: [...brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const consumer = kafka.consumer({ groupId: `smsgw-bench-reader-${randomUUID()}`, maxBytes: 16 * 1024 * 1024 });
  const reached = new Map<number, number>();
  let eventsRead = 0;
  let withFinal = 0;
  await admin.connect();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          eventsRead++;
          const event = JSON.parse(message.value?.toString() ?? 'null') as { type?: string; messageId?: string; status?: string } | null;
          if (event?.type !== 'message.status' || event.messageId === undefined || !FINAL_STATUSES.has(event.status ?? '')) continue;
          const count = finals.get(event.messageId);
          if (count === undefined) continue;
          if (count === 0) withFinal++;
          finals.set(event.messageId, count + 1);
        }
        if (batch.messages.length > 0) reached.set(batch.partition, Number(batch.lastOffset()) + 1);
        await Promise.resolve();
      },
    });
    const deadline = Date.now() + timeoutMs;
    let stableSince = Date.now();
    let last = '';
    for (;;) {
      const ends = await admin.fetchTopicOffsets(topic);
      const key = ends.map((p) => `${p.partition}:${p.high}`).join(',');
      if (key !== last) {
        last = key;
        stableSince = Date.now();
      }
      const caughtUp = ends.every((p) => Number(p.high) === 0 || (reached.get(p.partition) ?? 0) >= Number(p.high));
      if (caughtUp && (withFinal === finals.size || Date.now() - stableSince >= settleMs)) break;
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
  let duplicates = 0;
  const missingSample: string[] = [];
  for (const [id, count] of finals) {
    if (count > 1) duplicates++;
    if (count === 0 && missingSample.length < 5) missingSample.push(id);
  }
  return { messages: finals.size, withFinalEvent: withFinal, missing: finals.size - withFinal, duplicatesOfFinal: duplicates, eventsRead, missingSample };
}

/** Records each of the gateway's consumer groups has not committed yet, summed over its topics' partitions. */
async function consumerLag(run: KafkaRun): Promise<Record<string, number>> {
  const admin = new Kafka({ clientId: 'smsgw-bench-admin', brokers: [...run.brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const groups: Record<string, readonly string[]> = {
      status: [run.topics.receipts],
      webhooks: [run.topics.events, run.topics.inbound, run.topics.suppressions, run.topics.verifications, run.topics.campaigns],
      usage: [run.topics.events],
    };
    const lag: Record<string, number> = {};
    for (const [role, topics] of Object.entries(groups)) {
      let total = 0;
      for (const topic of topics) {
        const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
        const [committed] = await admin.fetchOffsets({ groupId: `${run.groupPrefix}.${role}`, topics: [topic] });
        for (const p of committed?.partitions ?? []) {
          const end = ends.get(p.partition) ?? 0;
          total += end - Math.max(0, Number(p.offset));
        }
      }
      lag[role] = total;
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}

interface KafkaRun {
  readonly brokers: readonly string[];
  readonly topics: { readonly receipts: string; readonly events: string; readonly inbound: string; readonly unmatched: string; readonly suppressions: string; readonly verifications: string; readonly campaigns: string };
  readonly groupPrefix: string;
  close(): Promise<void>;
}

/** A broker (the given one or a fresh single node) and topic / group names no earlier run used. */
async function kafkaRun(): Promise<KafkaRun> {
  const run = `bench-${randomUUID().slice(0, 8)}`;
  const topics = { receipts: `${run}.receipts`, events: `${run}.events`, inbound: `${run}.inbound`, unmatched: `${run}.receipts.unmatched`, suppressions: `${run}.suppressions`, verifications: `${run}.verifications`, campaigns: `${run}.campaigns` };
  if (KAFKA_BROKERS === undefined || KAFKA_BROKERS.trim() === '') {
    const broker = await KafkaBroker.start({ heapMb: 1024 });
    return { brokers: broker.brokers, topics, groupPrefix: run, close: () => broker.close() };
  }
  const brokers = KAFKA_BROKERS.split(',').map((b) => b.trim()).filter(Boolean);
  return {
    brokers,
    topics,
    groupPrefix: run,
    // A shared broker keeps its other topics; only this run's go.
    close: async () => {
      const admin = new Kafka({ clientId: 'smsgw-bench-admin', brokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        await admin.deleteTopics({ topics: Object.values(topics) });
      } finally {
        await admin.disconnect();
      }
    },
  };
}

async function runMode(mode: string): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'smsgw-bench-'));
  const prefix = `smsgw-bench:${randomUUID()}:`;
  const kafka = mode === 'kafka' ? await kafkaRun() : undefined;
  const simulator = await spawnReady(['simulate', 'smsc', '--port', '0', '--control-port', '0'], process.env, /smpp=[^:]+:(\d+)/);
  const configPath = writeGatewayConfig(dir, {
    smppPort: Number(simulator.match[1]),
    binds: 2,
    windowSize: 100,
    ...(kafka === undefined ? {} : { extra: { kafka: { topics: kafka.topics, groupPrefix: kafka.groupPrefix } } }),
  });
  const gatewayEnv: NodeJS.ProcessEnv = { ...process.env, REDIS_URL, REDIS_PREFIX: prefix };
  delete gatewayEnv.KAFKA_BROKERS;
  if (mode === 'embedded') delete gatewayEnv.REDIS_URL;
  if (kafka !== undefined) gatewayEnv.KAFKA_BROKERS = kafka.brokers.join(',');
  const nodeArgs = CPU_PROF_DIR === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', CPU_PROF_DIR, '--cpu-prof-name', `gateway-${mode}-${Date.now()}.cpuprofile`];
  const gateway = await spawnReady(['serve', '--config', configPath, '--log-level', 'warn'], gatewayEnv, /listening on (http:\/\/\S+)/, nodeArgs);
  const pool = new Pool(gateway.match[1] as string, { connections: CONCURRENCY, pipelining: 1 });
  const ids = kafka === undefined ? undefined : ([] as string[]);
  try {
    // Warm-up: JIT, connections, binds.
    await singles(pool, 500, 80_000_000, ids);
    await waitDelivered(pool, 500, 60_000);
    const cpuStart = processUsage(gateway.child.pid as number).cpuSeconds;
    const rss = sampleRss(gateway.child.pid as number);
    const t0 = performance.now();
    const latencies = await singles(pool, MESSAGES, 0, ids);
    const acceptedAt = performance.now();
    const deliveredAt = await waitDelivered(pool, 500 + MESSAGES, 300_000);
    const singleCpu = processUsage(gateway.child.pid as number).cpuSeconds - cpuStart;
    const endToEnd = performance.timeOrigin + t0;
    const t1 = performance.now();
    await batches(pool, MESSAGES, 0, ids);
    const batchAcceptedAt = performance.now();
    await waitDelivered(pool, 500 + 2 * MESSAGES, 300_000);
    const batchDeliveredAt = performance.now();
    rss.stop();
    const metrics = await scrape(pool);
    const usage = processUsage(gateway.child.pid as number);
    // Taken when the last message is delivered: how far the consumers that do not gate delivery trail behind.
    const lagAtDelivered = kafka === undefined ? undefined : await consumerLag(kafka);
    const eventsComplete = kafka === undefined || ids === undefined ? undefined : await checkEvents(kafka.brokers, kafka.topics.events, ids);
    const outboxSize = kafka === undefined ? undefined : (await scrape(pool)).outboxSize;
    const lagAfterCheck = kafka === undefined ? undefined : await consumerLag(kafka);
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
      // Ten RSS samples spread over the measured run (singles then batches): flat means no leak.
      gatewayRssMiBOverRun: rss.spread(),
      ...(eventsComplete === undefined ? {} : { eventsComplete, outboxSize, lagAtDelivered, lagAfterCheck }),
      loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number),
    };
  } finally {
    await pool.close();
    await stop(gateway.child);
    await stop(simulator.child);
    rmSync(dir, { recursive: true, force: true });
    if (mode !== 'embedded') await deleteKeys(prefix);
    await kafka?.close();
  }
}

for (const mode of MODES) {
  console.log(JSON.stringify(await runMode(mode)));
}
