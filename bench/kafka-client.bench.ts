/**
 * kafkajs against @platformatic/kafka in the gateway's shapes (a script, never a timed test):
 * `npm run bench:kafka-client`.
 *
 * Produce: `--records` records of a `message.status` event (about 600 bytes of JSON, key = message id) spread over
 * 3 topics of `--partitions` partitions, sent by `--senders` concurrent send() calls of 1..`--max-batch` records
 * each (seeded, the same for both clients), with an idempotent producer and acks from all in-sync replicas, as the
 * gateway's KafkaRecordSink sends. Consume: the same records read back in a consumer group, batch by batch, each
 * batch's offsets committed only after its handler resolved, as KafkaTopicConsumer does (kafkajs: eachBatch with
 * autoCommit after every batch; @platformatic/kafka: its message stream, a batch being what is buffered, then
 * commit() of each partition's last message). Each client runs with and without compression, every run on fresh
 * topics and a fresh group; the runs are interleaved (the clients' order swapped every run) and each figure's median
 * is reported.
 *
 * Figures are of this process only (the broker is another process): records/s, and CPU seconds per 100,000 records
 * from process.cpuUsage() (user + system, every thread). Produce is timed from the first send to the last
 * acknowledgement; consume from the moment the consumer joined its group to the last commit (the join itself is
 * reported apart, as joinMs). gc() runs between phases when node has --expose-gc (the npm script gives it), so one
 * phase's garbage is not collected on the next one's clock.
 *
 * Compression without a native build: kafkajs has only gzip built in; zstd comes from node:zlib (Node 24) through a
 * codec registered here (kafkajs' CompressionCodecs), the same functions @platformatic/kafka calls for zstd.
 * @platformatic/kafka also has lz4 and snappy (WebAssembly); kafkajs has those only through codec packages with
 * native builds, so they run for @platformatic/kafka alone.
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import {
  compatibilityPartitioner,
  Consumer as PlatformaticConsumer,
  ProduceAcks,
  Producer as PlatformaticProducer,
  stringDeserializers,
  stringSerializers,
  type Message,
} from '@platformatic/kafka';
import kafkajs, { CompressionTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { KafkaBroker } from '../test/support/kafka-broker.ts';
import { batchSizes, messageId, statusEventJson } from './client-bench-load.ts';
import { ClientBenchOptionError, KAFKA_USAGE, parseKafkaClientOptions, type KafkaClientName, type KafkaCompression } from './client-bench-options.ts';
import { clearsCpuBar, compare, figures, formatComparison, type Measured, type RunFigures } from './client-bench-summary.ts';
import { loadAverage } from './proc-stats.ts';

interface OutRecord {
  readonly topic: number;
  readonly key: string;
  readonly value: string;
}

interface Phase {
  readonly figures: RunFigures;
  readonly seconds: number;
  readonly joinMs?: number;
}

const SEED = 18;
const SESSION_TIMEOUT_MS = 30_000;
const STALL_MS = 60_000;
/** Records per handler call at most on @platformatic/kafka (kafkajs hands one partition's fetched records). */
const MAX_STREAM_BATCH = 10_000;

// CompressionCodecs is in kafkajs' module.exports object literal after a spread, where Node's CommonJS export
// detection does not see it: it is reached through the default import.
kafkajs.CompressionCodecs[CompressionTypes.ZSTD] = () => ({
  compress: (encoder: { buffer: Buffer }) => Promise.resolve(zstdCompressSync(encoder.buffer)),
  decompress: (buffer: Buffer) => Promise.resolve(zstdDecompressSync(buffer)),
});

const KAFKAJS_COMPRESSION: Readonly<Partial<Record<KafkaCompression, CompressionTypes>>> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  zstd: CompressionTypes.ZSTD,
};

function supports(client: KafkaClientName, compression: KafkaCompression): boolean {
  return client === 'platformatic' || KAFKAJS_COMPRESSION[compression] !== undefined;
}

/**
 * Creates the topics and waits until every partition has a leader. kafkajs' own wait (waitForLeaders) gives up
 * after a few metadata retries, too soon on a broker this busy.
 */
async function createTopics(admin: Admin, topics: readonly string[], partitions: number): Promise<void> {
  await admin.createTopics({ waitForLeaders: false, topics: topics.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })) });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
      if (metadata.topics.every((t) => t.partitions.length === partitions && t.partitions.every((p) => p.leader >= 0))) {
        // ListOffsets is answered by each partition's leader only: once it is, a first produce finds its leader too
        // (an idempotent kafkajs producer with sends in flight does not survive a NOT_LEADER retry).
        for (const topic of topics) await admin.fetchTopicOffsets(topic);
        return;
      }
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topics ${topics.join(', ')} have no leaders after 60 s`);
    await new Promise((ok) => setTimeout(ok, 200));
  }
}

const collect = (): void => (globalThis as { gc?: () => void }).gc?.();
const cpuNow = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

/** `senders` loops taking the next batch size until all are sent; seconds and CPU seconds from first send to last ack. */
async function drive(records: readonly OutRecord[], sizes: readonly number[], senders: number, send: (batch: readonly OutRecord[]) => Promise<void>): Promise<Phase> {
  let nextBatch = 0;
  let offset = 0;
  const cpu0 = cpuNow();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: senders }, async () => {
      while (nextBatch < sizes.length) {
        const size = sizes[nextBatch++] as number;
        const batch = records.slice(offset, offset + size);
        offset += size;
        await send(batch);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { figures: figures(records.length, seconds, cpuNow() - cpu0), seconds };
}

async function produceKafkajs(brokers: readonly string[], topics: readonly string[], compression: KafkaCompression, records: readonly OutRecord[], sizes: readonly number[], senders: number): Promise<Phase> {
  const kafka = new Kafka({ clientId: 'smsgw-bench-kafkajs', brokers: [...brokers], logLevel: logLevel.ERROR, connectionTimeout: 3_000, requestTimeout: 10_000 });
  // As the gateway's kafkajs producer was before it moved to @platformatic/kafka: idempotent, one request in flight, acks from all in-sync replicas.
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    return await drive(records, sizes, senders, async (batch) => {
      const byTopic = new Map<string, { key: string; value: string }[]>();
      for (const record of batch) {
        const topic = topics[record.topic] as string;
        let messages = byTopic.get(topic);
        if (messages === undefined) byTopic.set(topic, (messages = []));
        messages.push({ key: record.key, value: record.value });
      }
      await producer.sendBatch({
        acks: -1,
        timeout: 10_000,
        compression: KAFKAJS_COMPRESSION[compression],
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    });
  } finally {
    await producer.disconnect();
  }
}

async function producePlatformatic(brokers: readonly string[], topics: readonly string[], compression: KafkaCompression, records: readonly OutRecord[], sizes: readonly number[], senders: number): Promise<Phase> {
  const producer = new PlatformaticProducer({
    clientId: 'smsgw-bench-platformatic',
    bootstrapBrokers: [...brokers],
    idempotent: true,
    acks: ProduceAcks.ALL,
    compression,
    serializers: stringSerializers,
    // kafkajs' default partitioner is Java's (murmur2 & 0x7fffffff); this one puts a key on the same partition.
    partitioner: compatibilityPartitioner,
    autocreateTopics: false,
    timeout: 10_000,
  });
  await producer.metadata({ topics: [...topics] });
  try {
    return await drive(records, sizes, senders, async (batch) => {
      await producer.send({ messages: batch.map((record) => ({ topic: topics[record.topic] as string, key: record.key, value: record.value })) });
    });
  } finally {
    await producer.close();
  }
}

/**
 * Fails a consume that stops short: `stop` is called when `progress()` has not moved for STALL_MS. A client that
 * lost records (or an idempotent producer that dropped some while acknowledging them) shows here, not as a hang.
 */
function watchStall(progress: () => number, expected: number, stop: (error: Error) => void): () => void {
  let last = -1;
  let since = Date.now();
  const timer = setInterval(() => {
    const now = progress();
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since > STALL_MS) {
      stop(new Error(`consume stalled at ${now} of ${expected} records`));
    }
  }, 1_000);
  return () => clearInterval(timer);
}

/** Consume timing: from the group join to the last commit; CPU over the same span. */
class ConsumeClock {
  private readonly started = performance.now();
  private joinedAt: number | undefined;
  private cpuAtJoin = cpuNow();

  joined(): void {
    if (this.joinedAt !== undefined) return;
    this.joinedAt = performance.now();
    this.cpuAtJoin = cpuNow();
  }

  done(count: number): Phase {
    const end = performance.now();
    const from = this.joinedAt ?? this.started;
    const seconds = (end - from) / 1000;
    return { figures: figures(count, seconds, cpuNow() - this.cpuAtJoin), seconds, joinMs: Math.round(from - this.started) };
  }
}

async function consumeKafkajs(brokers: readonly string[], topics: readonly string[], expected: number): Promise<Phase> {
  const kafka = new Kafka({ clientId: 'smsgw-bench-kafkajs', brokers: [...brokers], logLevel: logLevel.ERROR, connectionTimeout: 3_000, requestTimeout: 10_000 });
  const consumer = kafka.consumer({
    groupId: `smsgw-bench-${randomUUID()}`,
    sessionTimeout: SESSION_TIMEOUT_MS,
    heartbeatInterval: 3_000,
    retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 5_000 },
  });
  const clock = new ConsumeClock();
  let handled = 0;
  let resolve: (phase: Phase) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const finished = new Promise<Phase>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  consumer.on(consumer.events.GROUP_JOIN, () => clock.joined());
  // autoCommit commits the resolved offsets after each batch; the run ends with the commit that covers the last one.
  consumer.on(consumer.events.COMMIT_OFFSETS, () => {
    if (handled >= expected) resolve(clock.done(handled));
  });
  consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
  const unwatch = watchStall(() => handled, expected, reject);
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        if (!payload.isRunning() || payload.isStale() || batch.messages.length === 0) return;
        // As KafkaTopicConsumer: strings for the handler, then the batch's last offset resolved.
        const records = batch.messages.map((message) => ({
          topic: batch.topic,
          partition: batch.partition,
          offset: message.offset,
          key: message.key?.toString('utf8'),
          value: message.value?.toString('utf8'),
        }));
        await handle(records, () => payload.heartbeat());
        handled += records.length;
        payload.resolveOffset(batch.lastOffset());
      },
    });
    return await finished;
  } finally {
    unwatch();
    await consumer.disconnect();
  }
}

type StringMessage = Message<string, string, string, string>;

/**
 * What the stream holds, as one batch (at most `max` messages), waiting only when it holds nothing: the batches
 * KafkaTopicConsumer would hand its handler. Reading with read() costs less than iterating the stream message by
 * message (a promise each). The 'readable' listener stays on for the whole read: the stream fetches only while
 * readableFlowing is not null, and Node sets it back to null when the last 'readable' listener goes, which stops
 * the fetch loop for good (seen here as a consume stalled part way).
 */
async function* readBatches(stream: Readable, max: number): AsyncGenerator<StringMessage[]> {
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  let ended = false;
  const signal = (): void => {
    const waiting = wake;
    wake = undefined;
    waiting?.();
  };
  const onEnd = (): void => {
    ended = true;
    signal();
  };
  const onError = (error: Error): void => {
    failure = error;
    signal();
  };
  stream.on('readable', signal).on('end', onEnd).on('close', onEnd).on('error', onError);
  try {
    for (;;) {
      const batch: StringMessage[] = [];
      let message: StringMessage | null;
      while (batch.length < max && (message = stream.read() as StringMessage | null) !== null) batch.push(message);
      if (batch.length > 0) {
        yield batch;
        continue;
      }
      if (failure !== undefined) throw failure;
      if (ended || stream.destroyed) return;
      await new Promise<void>((ok) => (wake = ok));
    }
  } finally {
    stream.off('readable', signal).off('end', onEnd).off('close', onEnd).off('error', onError);
  }
}

async function consumePlatformatic(brokers: readonly string[], topics: readonly string[], expected: number): Promise<Phase> {
  const consumer = new PlatformaticConsumer({
    clientId: 'smsgw-bench-platformatic',
    groupId: `smsgw-bench-${randomUUID()}`,
    bootstrapBrokers: [...brokers],
    deserializers: stringDeserializers,
    sessionTimeout: SESSION_TIMEOUT_MS,
    heartbeatInterval: 3_000,
    timeout: 10_000,
  });
  const clock = new ConsumeClock();
  consumer.on('consumer:group:join', () => clock.joined());
  let handled = 0;
  let stalled: Error | undefined;
  let unwatch = (): void => undefined;
  try {
    const stream = await consumer.consume({ topics: [...topics], mode: 'committed', fallbackMode: 'earliest', autocommit: false });
    unwatch = watchStall(() => handled, expected, (error) => {
      stalled = error;
      stream.destroy(error);
    });
    for await (const batch of readBatches(stream as unknown as Readable, MAX_STREAM_BATCH)) {
      const records = batch.map((m) => ({ topic: m.topic, partition: m.partition, offset: m.offset, key: m.key, value: m.value }));
      await handle(records, () => Promise.resolve());
      handled += records.length;
      // Each partition's last message commits the partition up to it; the consumer sends them as one request.
      const last = new Map<string, StringMessage>();
      for (const m of batch) last.set(`${m.topic}\n${m.partition}`, m);
      await Promise.all(
        [...last.values()].map(
          (m) =>
            new Promise<void>((ok, fail) => {
              // With a callback commit() returns nothing; the promise form's type is the same union.
              // (It calls back with null for no error.)
              void m.commit((error) => {
                if (error) fail(error);
                else ok();
              });
            }),
        ),
      );
      if (handled >= expected) break;
    }
    if (stalled !== undefined) throw stalled;
    if (handled < expected) throw new Error(`the stream ended at ${handled} of ${expected} records`);
    const phase = clock.done(handled);
    // Leaving the loop early destroyed the stream already; closing it again only makes sure.
    await stream.close().catch(() => undefined);
    return phase;
  } finally {
    unwatch();
    await consumer.close(true);
  }
}

/** The handler's share: what every event handler does first (the value's text in hand), no more. */
let handledBytes = 0;
function handle(records: readonly { value: string | undefined }[], _heartbeat: () => Promise<void>): Promise<void> {
  for (const record of records) handledBytes += record.value?.length ?? 0;
  return Promise.resolve();
}

async function main(): Promise<void> {
  let options;
  try {
    options = parseKafkaClientOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof ClientBenchOptionError)) throw error;
    process.stderr.write(`${error.message}\n\n${KAFKA_USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(KAFKA_USAGE);
    return;
  }
  const loadStart = loadAverage();
  const broker = options.brokers === undefined ? await KafkaBroker.start({ heapMb: 1024 }) : undefined;
  const brokers = broker?.brokers ?? (options.brokers as string).split(',').map((b) => b.trim()).filter(Boolean);
  const admin = new Kafka({ clientId: 'smsgw-bench-admin', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const runId = randomUUID().slice(0, 8);
  const records: OutRecord[] = Array.from({ length: options.records }, (_, i) => {
    const key = messageId(runId, i);
    return { topic: i % 3, key, value: statusEventJson(key, i) };
  });
  const sizes = batchSizes(options.records, options.maxBatch, SEED);
  const averageBytes = Math.round(records.reduce((sum, r) => sum + r.value.length, 0) / records.length);
  if (!options.json) {
    process.stderr.write(
      `${options.records.toLocaleString('en-US')} records of ${averageBytes} bytes over 3 topics of ${options.partitions} partitions; ${sizes.length} sends of 1..${options.maxBatch}, ${options.senders} concurrent; ${options.runs} runs\n`,
    );
  }
  // Not measured: brings the broker's coordinators up (the first InitProducerId and JoinGroup wait for their
  // internal topics) and both clients' code through the JIT.
  const warmup = records.slice(0, Math.min(records.length, options.warmup));
  for (const client of options.clients) {
    const topics = [0, 1, 2].map((n) => `bench-${runId}-warmup-${client}-${n}`);
    await createTopics(admin, topics, options.partitions);
    const warmSizes = batchSizes(warmup.length, options.maxBatch, SEED);
    if (client === 'kafkajs') await produceKafkajs(brokers, topics, 'none', warmup, warmSizes, options.senders);
    else await producePlatformatic(brokers, topics, 'none', warmup, warmSizes, options.senders);
    if (client === 'kafkajs') await consumeKafkajs(brokers, topics, warmup.length);
    else await consumePlatformatic(brokers, topics, warmup.length);
    await admin.deleteTopics({ topics }).catch(() => undefined);
  }
  const measured = new Map<string, { phase: string; variant: string; client: string; runs: RunFigures[] }>();
  const note = (phase: string, variant: string, client: string, figures: RunFigures): void => {
    const id = `${phase}\n${variant}\n${client}`;
    let entry = measured.get(id);
    if (entry === undefined) measured.set(id, (entry = { phase, variant, client, runs: [] }));
    entry.runs.push(figures);
  };
  const skipped = new Set<string>();
  try {
    for (let run = 1; run <= options.runs; run++) {
      // The order swaps every run, so neither client always runs on a warmer broker.
      const clients = run % 2 === 1 ? options.clients : [...options.clients].reverse();
      for (const compression of options.compressions) {
        for (const client of clients) {
          if (!supports(client, compression)) {
            skipped.add(`${client} ${compression}`);
            continue;
          }
          const topics = [0, 1, 2].map((n) => `bench-${runId}-r${run}-${client}-${compression}-${n}`);
          await createTopics(admin, topics, options.partitions);
          try {
            collect();
            const produce = client === 'kafkajs'
              ? await produceKafkajs(brokers, topics, compression, records, sizes, options.senders)
              : await producePlatformatic(brokers, topics, compression, records, sizes, options.senders);
            collect();
            const consume = client === 'kafkajs' ? await consumeKafkajs(brokers, topics, records.length) : await consumePlatformatic(brokers, topics, records.length);
            note('produce', compression, client, produce.figures);
            note('consume', compression, client, consume.figures);
            process.stdout.write(
              `${JSON.stringify({ run, client, compression, produce: round(produce), consume: round(consume), load: loadAverage() })}\n`,
            );
          } finally {
            await admin.deleteTopics({ topics }).catch(() => undefined);
          }
        }
      }
    }
  } finally {
    await admin.disconnect();
    await broker?.close();
  }
  const loadEnd = loadAverage();
  const order = (m: Measured): number[] => [['produce', 'consume'].indexOf(m.phase), options.compressions.indexOf(m.variant as KafkaCompression), options.clients.indexOf(m.client as KafkaClientName)];
  const all: Measured[] = [...measured.values()].sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    return (x[0] as number) - (y[0] as number) || (x[1] as number) - (y[1] as number) || (x[2] as number) - (y[2] as number);
  });
  const [incumbent, challenger] = options.clients;
  const comparisons = incumbent !== undefined && challenger !== undefined ? compare(all, incumbent, challenger) : [];
  process.stdout.write(`${JSON.stringify({ summary: true, comparisons, handledBytes, loadStart, loadEnd })}\n`);
  if (options.json) return;
  process.stdout.write(`\n${formatComparison(all, incumbent ?? '', challenger ?? '', 'records')}\n`);
  if (skipped.size > 0) process.stdout.write(`\nnot run (no codec without a native build): ${[...skipped].join(', ')}\n`);
  if (comparisons.length > 0) {
    process.stdout.write(`\n${challenger} ${clearsCpuBar(comparisons) ? 'clears' : 'does not clear'} the 1.3x CPU bar in every phase.\n`);
  }
  process.stdout.write(`load average start ${loadStart.join(' ')} -> end ${loadEnd.join(' ')}\n`);
}

function round(phase: Phase): Record<string, number> {
  return {
    perSecond: Math.round(phase.figures.perSecond),
    cpuSecondsPer100k: +phase.figures.cpuSecondsPer100k.toFixed(3),
    seconds: +phase.seconds.toFixed(2),
    ...(phase.joinMs === undefined ? {} : { joinMs: phase.joinMs }),
  };
}

await main();
