/**
 * End-to-end benchmark (a script, never a timed test): `npm run bench -- [options]` (`--help` lists them; see
 * README "### Benchmark"). This process is the load generator. The SMSC simulator (happy scenario: every submit
 * answered at once, a DELIVRD receipt right after) and the gateway (`smsgw serve --config`) run as processes of
 * their own, so the gateway's CPU and RSS read from /proc are its own alone.
 *
 * Each gateway mode (embedded: memory store; redis; kafka: Redis + Kafka) sends `--warmup` messages and waits for
 * their receipts, then `--messages` through POST /v1/messages with `--concurrency` requests in flight and waits for
 * every receipt, then as many through the batch endpoint, and prints one JSON line: delivered/s end to end, accept
 * latency, the gateway's CPU seconds per 1,000 messages delivered, its RSS (start, after warm-up, peak, end) and
 * heap sampled every `--rss-sample`, whether RSS after warm-up stayed within 20%, and the load average at start and
 * end. Over the single POSTs it also reads every other process the run keeps busy (bench/machine-cpu.ts: this load
 * generator, the simulator, Redis and the broker) and gives the machine's ceiling at those costs. Kannel's modes
 * (bench/kannel.ts) run when bearerbox and smsbox are installed; a closing table then gives every mode side by side
 * and the ratios of issue 18's goals, each with whether this machine has room for it.
 *
 * The kafka mode runs the gateway on Redis and a Kafka broker (`--kafka-brokers`, or a single-node broker
 * started here) with topics and consumer groups of its own. Throughput alone would hide lost or doubled
 * events, so after the run it reads the events topic back from the beginning and reports how many accepted
 * messages have exactly one final `message.status` event, and the outbox size the gateway ended with.
 * `--cpu-prof <dir>` writes a V8 CPU profile of the gateway process there.
 *
 * `--rate <n>` adds the paced phase: single POSTs started on a fixed schedule at that rate (bench/paced-sender.ts),
 * accept latency counted from each scheduled start, then the wait for every receipt as in the other phases.
 * `--workers <list>` runs the redis and kafka modes as `smsgw serve --workers N`, once per count: CPU and RSS are
 * then the primary's and its workers' together (the process tree, from /proc), /metrics is read from every worker
 * and added up (bench/gateway-metrics-reader.ts), and measuring starts once the workers share the binds.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'undici';
import { redisKeys } from '../gateway/index.ts';
import { KafkaBroker } from '../test/support/kafka-broker.ts';
import { BenchOptionError, parseBenchOptions, USAGE, type BenchOptions, type GatewayMode, type KannelMode } from './bench-options.ts';
import { BENCH_KEY as KEY, benchKeyPrefix, benchTopics, deleteKeys, gatewayEnv, REDIS_URL, spawnReady, stop, writeGatewayConfig, type BenchTopics } from './bench-processes.ts';
import {
  busyCores,
  CPU_GOALS,
  cpuPerThousand,
  formatSummary,
  machineBudget,
  medianBy,
  MODE_LABELS,
  pacedGoalMet,
  PACED_GOAL,
  percentile,
  rssFlatness,
  runLabel,
  runName,
  spread,
  type PacedRow,
  type ProcessCpu,
  type SummaryRow,
} from './bench-summary.ts';
import { processMetricsReader, waitDelivered, workerMetricsReader, type MetricsReader } from './gateway-metrics-reader.ts';
import { findKannel, runKannel, type KannelRunResult } from './kannel.ts';
import { sendPaced, type PacedResult } from './paced-sender.ts';
import { postSingle, singles } from './single-posts.ts';
import { brokerPort, machineCpuReader, redisPort } from './machine-cpu.ts';
import { loadAverage, mib, processTree, sampleMemory, treePeakRssMiB, treeRssMiB, type MemorySample } from './proc-stats.ts';

const BATCH = 1_000;
/** The paced phase's requests in flight at most, per --concurrency: room to hold the rate through a slow spell. */
const PACED_IN_FLIGHT_PER_CONCURRENCY = 4;
/** How long the workers get to share the binds out (each takes its share at its lease renewal, every 10 s). */
const BIND_SHARE_TIMEOUT_MS = 60_000;
const BINDS = 2;
/** The one connector of the generated configuration (bench-processes.ts). */
const CONNECTOR_ID = 'smsc';
const FINAL_STATUSES: ReadonlySet<string> = new Set(['delivered', 'undelivered', 'failed', 'expired', 'unknown', 'rejected', 'canceled']);

/** A quantile from cumulative histogram buckets (upper bound of the bucket it falls in). */
function bucketQuantile(buckets: readonly [number, number][], q: number): number {
  const total = buckets.at(-1)?.[1] ?? 0;
  for (const [le, count] of buckets) if (count >= q * total) return le;
  return Infinity;
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

/** Records each of the gateway's consumer groups (every group under the run's prefix) has not committed yet, summed over its partitions. */
async function consumerLag(run: KafkaRun): Promise<Record<string, number>> {
  const admin = new Kafka({ clientId: 'smsgw-bench-admin', brokers: [...run.brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    const ids = groups.map((group) => group.groupId).filter((id) => id.startsWith(`${run.groupPrefix}.`)).sort();
    const ends = new Map<string, Map<number, number>>();
    const lag: Record<string, number> = {};
    for (const groupId of ids) {
      let total = 0;
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
        let end = ends.get(topic);
        if (end === undefined) ends.set(topic, (end = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]))));
        for (const p of partitions) total += (end.get(p.partition) ?? 0) - Math.max(0, Number(p.offset));
      }
      lag[groupId.slice(run.groupPrefix.length + 1)] = total;
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}

interface KafkaRun {
  readonly brokers: readonly string[];
  readonly topics: BenchTopics;
  readonly groupPrefix: string;
  close(): Promise<void>;
}

/** A broker (the given one or a fresh single node) and topic / group names no earlier run used. */
async function kafkaRun(brokersOption: string | undefined): Promise<KafkaRun> {
  const run = `bench-${randomUUID().slice(0, 8)}`;
  const topics = benchTopics(run);
  if (brokersOption === undefined) {
    const broker = await KafkaBroker.start({ heapMb: 1024 });
    return { brokers: broker.brokers, topics, groupPrefix: run, close: () => broker.close() };
  }
  const brokers = brokersOption.split(',').map((b) => b.trim()).filter(Boolean);
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

interface PhaseResult<T> {
  readonly acceptedPerSecond: number;
  /** Messages over the time from the first request to the last receipt. */
  readonly deliveredPerSecond: number;
  /** Gateway CPU seconds (every process of it) per 1,000 messages over the same time. */
  readonly cpuSecondsPerThousand: number;
  /** Every measured process's CPU seconds per 1,000 messages over the same time, the gateway's included. */
  readonly machine: ProcessCpu;
  /** What the sending returned (latencies). */
  readonly sent: T;
}

/**
 * Sends one phase's messages, waits until the gateway has `deliveredTarget` delivered; times and CPU of it
 * (`cpuNow`: every measured process's CPU seconds so far, the gateway's as `gateway`).
 */
async function phase<T>(cpuNow: () => ProcessCpu, metrics: MetricsReader, messages: number, deliveredTarget: number, send: () => Promise<T>): Promise<PhaseResult<T>> {
  const cpuStart = cpuNow();
  const t0 = Date.now();
  const started = performance.now();
  const sent = await send();
  const acceptedMs = performance.now() - started;
  const deliveredAt = await waitDelivered(metrics, deliveredTarget, Math.max(300_000, messages));
  const machine = cpuPerThousand(cpuStart, cpuNow(), messages);
  if (machine.gateway === undefined) throw new Error('bench: the gateway process is gone: its CPU could not be read');
  return {
    acceptedPerSecond: Math.round(messages / (acceptedMs / 1000)),
    deliveredPerSecond: Math.round(messages / ((deliveredAt - t0) / 1000)),
    cpuSecondsPerThousand: machine.gateway,
    machine,
    sent,
  };
}

const latencyMs = (sorted: readonly number[]) => ({ p50: +percentile(sorted, 50).toFixed(2), p95: +percentile(sorted, 95).toFixed(2), p99: +percentile(sorted, 99).toFixed(2) });

/**
 * Resolves once the connector's bind slots are held by as many processes as can share them (each worker takes
 * its share at a lease renewal): measuring before would put every bind in the first worker. Resolves to the
 * owners seen last, also on timeout (the run goes on; the JSON line says how the slots were held).
 */
async function bindsShared(prefix: string, workers: number): Promise<{ owners: number; slots: number; waitedMs: number }> {
  const redis = new Redis(REDIS_URL);
  const keys = redisKeys(prefix);
  const started = Date.now();
  try {
    for (;;) {
      const held = await Promise.all(Array.from({ length: BINDS }, (_, slot) => redis.get(keys.bindLease(CONNECTOR_ID, slot))));
      const owners = new Set(held.filter((o) => o !== null)).size;
      const waitedMs = Date.now() - started;
      if (owners >= Math.min(workers, BINDS) || waitedMs > BIND_SHARE_TIMEOUT_MS) return { owners, slots: held.filter((o) => o !== null).length, waitedMs };
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await redis.quit();
  }
}

/** The paced phase's sending: open loop at `rate`, on a pool of its own with a connection per request in flight. */
async function paced(url: string, count: number, offset: number, rate: number, maxInFlight: number, ids?: string[]): Promise<PacedResult> {
  const pool = new Pool(url, { connections: maxInFlight, pipelining: 1 });
  try {
    return await sendPaced({ count, rate, maxInFlight }, (i) => postSingle(pool, offset + i, ids));
  } finally {
    await pool.close();
  }
}

/** The paced phase as the table shows it: the latency percentiles, and the goal's verdict where it applies. */
function pacedSummary(mode: GatewayMode, rate: number, messages: number, result: PhaseResult<PacedResult>): PacedRow {
  const p = result.sent;
  const acceptLatencyMs = { ...latencyMs(p.latencies), max: +(p.latencies.at(-1) ?? 0).toFixed(2) };
  const goalMet = pacedGoalMet(mode, rate, acceptLatencyMs.p99);
  return {
    rate,
    achievedPerSecond: p.achievedPerSecond,
    late: p.late,
    messages,
    acceptLatencyMs,
    deliveredPerSecond: result.deliveredPerSecond,
    cpuSecondsPerThousand: result.cpuSecondsPerThousand,
    busyCores: busyCores(result.machine, result.deliveredPerSecond),
    ...(goalMet === undefined ? {} : { goalMet }),
  };
}

async function runGatewayMode(mode: GatewayMode, workers: number, options: BenchOptions): Promise<{ json: Record<string, unknown>; row: SummaryRow }> {
  const loadStart = loadAverage();
  const dir = mkdtempSync(join(tmpdir(), 'smsgw-bench-'));
  const prefix = benchKeyPrefix();
  const kafka = mode === 'kafka' ? await kafkaRun(options.kafkaBrokers) : undefined;
  const simulator = await spawnReady(['simulate', 'smsc', '--port', '0', '--control-port', '0'], process.env, /smpp=[^:]+:(\d+)/);
  const configPath = writeGatewayConfig(dir, {
    smppPort: Number(simulator.match[1]),
    binds: BINDS,
    windowSize: 100,
    ...(kafka === undefined ? {} : { extra: { kafka: { topics: kafka.topics, groupPrefix: kafka.groupPrefix } } }),
  });
  const env = gatewayEnv(mode, prefix, kafka?.brokers);
  const name = runName(mode, workers, options.workers);
  // Without a name of their own, every worker's profile gets the default one, which has its pid.
  const profileName = workers > 1 ? [] : ['--cpu-prof-name', `gateway-${mode}-${Date.now()}.cpuprofile`];
  const nodeArgs = options.cpuProfDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir, ...profileName];
  const workersArgs = mode === 'embedded' ? [] : ['--workers', String(workers)];
  const heapArgs = options.heapGrowth === undefined ? [] : ['--heap-growth', String(options.heapGrowth)];
  // Each worker prints its banner: ready once all have.
  const gateway = await spawnReady(['serve', '--config', configPath, '--log-level', 'warn', ...workersArgs, ...heapArgs], env, /listening on (http:\/\/\S+)/, nodeArgs, workers);
  const pid = gateway.child.pid as number;
  const url = gateway.match[1] as string;
  const cpuNow = machineCpuReader({
    trees: { gateway: pid, simulator: simulator.child.pid as number },
    listening: {
      ...(mode === 'embedded' ? {} : { redis: redisPort(REDIS_URL) }),
      ...(kafka === undefined ? {} : { kafkaBroker: brokerPort(kafka.brokers[0] as string) }),
    },
  });
  const rssStart = treeRssMiB(pid);
  const pool = new Pool(url, { connections: options.concurrency, pipelining: 1 });
  let metrics: MetricsReader | undefined;
  const ids = kafka === undefined ? undefined : ([] as string[]);
  try {
    metrics = workers > 1 ? await workerMetricsReader(url, workers, () => processTree(pid).slice(1)) : processMetricsReader(url);
    const binds = workers > 1 ? await bindsShared(prefix, workers) : undefined;
    if (binds !== undefined && binds.owners < Math.min(workers, BINDS)) process.stderr.write(`bench: ${name}: the ${BINDS} binds are held by ${binds.owners} of ${workers} workers after ${binds.waitedMs} ms; measuring anyway\n`);
    // Warm-up: JIT, connections, binds.
    await singles(pool, options.warmup, 80_000_000, options.concurrency, ids);
    await waitDelivered(metrics, options.warmup, Math.max(60_000, options.warmup));
    const rssWarm = treeRssMiB(pid);
    const heapAfterWarmup = mib((await metrics.read()).heapUsedBytes);
    const reader = metrics;
    const sampler = sampleMemory(
      () => treeRssMiB(pid),
      options.rssSampleMs,
      async () => {
        const m = await reader.read();
        return { heapUsedMiB: mib(m.heapUsedBytes), delivered: m.delivered - options.warmup };
      },
      options.printSamples ? (s) => process.stderr.write(`${name}: t=${s.t}s rss=${s.rssMiB} MiB heap=${s.heapUsedMiB ?? '?'} MiB delivered=${s.delivered ?? '?'}\n`) : undefined,
    );
    let target = options.warmup;
    let single: PhaseResult<number[]> | undefined;
    let batch: PhaseResult<void> | undefined;
    let pacedPhase: PhaseResult<PacedResult> | undefined;
    if (options.phases.includes('singles')) {
      target += options.messages;
      single = await phase(cpuNow, metrics, options.messages, target, () => singles(pool, options.messages, 0, options.concurrency, ids));
    }
    if (options.phases.includes('batch')) {
      target += options.messages;
      batch = await phase(cpuNow, metrics, options.messages, target, () => batches(pool, options.messages, 0, ids));
    }
    const rate = options.rate;
    const maxInFlight = options.concurrency * PACED_IN_FLIGHT_PER_CONCURRENCY;
    if (options.phases.includes('paced') && rate !== undefined) {
      target += options.messages;
      pacedPhase = await phase(cpuNow, metrics, options.messages, target, () => paced(url, options.messages, 40_000_000, rate, maxInFlight, ids));
    }
    const samples: MemorySample[] = sampler.stop();
    const last = await metrics.read();
    const rss = { start: rssStart, afterWarmup: rssWarm, peak: treePeakRssMiB(pid), end: treeRssMiB(pid) };
    const heapSamples = samples.flatMap((s) => (s.heapUsedMiB === undefined ? [] : [s.heapUsedMiB]));
    // Taken when the last message is delivered: how far the consumers that do not gate delivery trail behind.
    const lagAtDelivered = kafka === undefined ? undefined : await consumerLag(kafka);
    const eventsComplete = kafka === undefined || ids === undefined ? undefined : await checkEvents(kafka.brokers, kafka.topics.events, ids);
    const outboxSize = kafka === undefined ? undefined : (await metrics.read()).outboxSize;
    const lagAfterCheck = kafka === undefined ? undefined : await consumerLag(kafka);
    const loadEnd = loadAverage();
    const rssAfterWarmup = rssFlatness(rss.afterWarmup, samples.map((s) => s.rssMiB), rss.end);
    const acceptLatencyMs = single === undefined ? undefined : latencyMs(single.sent);
    const machine = single === undefined ? undefined : machineBudget(single.machine, availableParallelism(), CPU_GOALS[mode]);
    const pacedRow = pacedPhase === undefined || rate === undefined ? undefined : pacedSummary(mode, rate, options.messages, pacedPhase);
    const json = {
      mode,
      run: name,
      label: runLabel(mode, workers, options.workers),
      workers,
      messages: options.messages,
      concurrency: options.concurrency,
      warmup: options.warmup,
      ...(options.heapGrowth === undefined ? {} : { heapGrowthPercent: options.heapGrowth }),
      ...(binds === undefined ? {} : { bindsShared: binds }),
      ...(single === undefined
        ? {}
        : { acceptedPerSecond: single.acceptedPerSecond, deliveredPerSecond: single.deliveredPerSecond, acceptLatencyMs, gatewayCpuSecondsPerThousand: single.cpuSecondsPerThousand }),
      ...(machine === undefined ? {} : { machine }),
      ...(batch === undefined
        ? {}
        : { batchAcceptedPerSecond: batch.acceptedPerSecond, batchDeliveredPerSecond: batch.deliveredPerSecond, batchGatewayCpuSecondsPerThousand: batch.cpuSecondsPerThousand }),
      ...(pacedRow === undefined || pacedPhase === undefined
        ? {}
        : {
            paced: {
              ratePerSecond: pacedRow.rate,
              achievedPerSecond: pacedRow.achievedPerSecond,
              acceptLatencyMs: pacedRow.acceptLatencyMs,
              late: pacedRow.late,
              heldByCap: pacedPhase.sent.heldByCap,
              maxStartLagMs: pacedPhase.sent.maxStartLagMs,
              maxInFlight,
              maxInFlightSeen: pacedPhase.sent.maxInFlightSeen,
              deliveredPerSecond: pacedRow.deliveredPerSecond,
              gatewayCpuSecondsPerThousand: pacedRow.cpuSecondsPerThousand,
              machineCpuSecondsPerThousand: pacedPhase.machine,
              busyCores: pacedRow.busyCores,
              ...(pacedRow.goalMet === undefined ? {} : { goal: { text: PACED_GOAL.text, met: pacedRow.goalMet } }),
            },
          }),
      submitToReceiptSeconds: { p50: bucketQuantile(last.receiptBuckets, 0.5), p99: bucketQuantile(last.receiptBuckets, 0.99) },
      gatewayRssMiB: rss,
      gatewayHeapUsedMiB: { afterWarmup: heapAfterWarmup, peakSampled: Math.max(heapAfterWarmup, ...heapSamples), end: mib(last.heapUsedBytes) },
      // After warm-up, did RSS stay within 20% of its level then (issue 18's goal for a long run)?
      rssAfterWarmup,
      // Every sample when --rss-sample was given, else ten spread over the run.
      rssSamples: options.printSamples ? samples : spread(samples, 10),
      ...(eventsComplete === undefined ? {} : { eventsComplete, outboxSize, lagAtDelivered, lagAfterCheck }),
      loadAverage: { start: loadStart, end: loadEnd },
    };
    const row: SummaryRow = {
      mode,
      workers,
      label: runLabel(mode, workers, options.workers),
      ...(pacedRow === undefined ? {} : { paced: pacedRow }),
      ...(single === undefined ? {} : { deliveredPerSecond: single.deliveredPerSecond, cpuSecondsPerThousand: single.cpuSecondsPerThousand }),
      ...(machine === undefined ? {} : { machine }),
      ...(acceptLatencyMs === undefined ? {} : { acceptLatencyMs }),
      ...(batch === undefined ? {} : { batchDeliveredPerSecond: batch.deliveredPerSecond }),
      rssMiB: rss,
      rssAfterWarmup,
      loadAverage: { start: loadStart, end: loadEnd },
    };
    return { json, row };
  } finally {
    await pool.close();
    await metrics?.close();
    await stop(gateway.child);
    await stop(simulator.child);
    rmSync(dir, { recursive: true, force: true });
    if (mode !== 'embedded') await deleteKeys(prefix);
    await kafka?.close();
  }
}

/** `--kannel-runs` runs of one Kannel mode; the JSON line is the median run's, with every run's key figures. */
async function runKannelMode(mode: KannelMode, options: BenchOptions, binDir: string): Promise<{ json: Record<string, unknown>; row: SummaryRow }> {
  const runs: KannelRunResult[] = [];
  for (let run = 1; run <= options.kannelRuns; run++) runs.push(await runKannel(mode, run, options, binDir));
  const median = medianBy(runs, (r) => r.deliveredPerSecond);
  const json = {
    ...median,
    label: MODE_LABELS[mode],
    medianOf: runs.length,
    runs: runs.map((r) => ({ run: r.run, deliveredPerSecond: r.deliveredPerSecond, cpuSecondsPerThousand: r.cpuSecondsPerThousand, acceptLatencyMs: r.acceptLatencyMs, loadAverage: r.loadAverage })),
  };
  const row: SummaryRow = {
    mode,
    deliveredPerSecond: median.deliveredPerSecond,
    acceptLatencyMs: median.acceptLatencyMs,
    cpuSecondsPerThousand: median.cpuSecondsPerThousand,
    rssMiB: median.rssMiB,
    loadAverage: { start: runs[0]?.loadAverage.start ?? [], end: runs.at(-1)?.loadAverage.end ?? [] },
    runsDeliveredPerSecond: runs.map((r) => r.deliveredPerSecond),
    machine: machineBudget(median.machine, availableParallelism()),
  };
  return { json, row };
}

function optionsOrExit(): BenchOptions {
  try {
    return parseBenchOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof BenchOptionError)) throw error;
    process.stderr.write(`bench: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
}

const options = optionsOrExit();
if (options.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const kannelBin = findKannel(options.kannelBin);
let modes = options.modes;
if (kannelBin === undefined && modes.some((m) => m.startsWith('kannel-'))) {
  const hint = 'Kannel (bearerbox, smsbox) not found: `npm run setup:bench` installs Debian\'s kannel package, or give --kannel-bin';
  if (!options.defaultModes) {
    process.stderr.write(`bench: ${hint}\n`);
    process.exit(2);
  }
  process.stderr.write(`bench: ${hint}; running the gateway's modes only\n`);
  modes = modes.filter((m) => !m.startsWith('kannel-'));
}
const rows: SummaryRow[] = [];
for (const mode of modes) {
  // The redis and kafka modes run once per worker count; embedded is one process, and Kannel is Kannel.
  const runs: (() => Promise<{ json: Record<string, unknown>; row: SummaryRow }>)[] =
    mode === 'kannel-memory' || mode === 'kannel-store'
      ? [() => runKannelMode(mode, options, kannelBin as string)]
      : mode === 'embedded'
        ? [() => runGatewayMode(mode, 1, options)]
        : options.workers.map((workers) => () => runGatewayMode(mode, workers, options));
  for (const run of runs) {
    const { json, row } = await run();
    console.log(JSON.stringify(json));
    rows.push(row);
  }
}
if (!options.json) console.log(`\n${formatSummary(rows, options)}`);
