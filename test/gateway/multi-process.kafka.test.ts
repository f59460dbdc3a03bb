/**
 * Two gateway processes (`smsgw serve`, real child processes) on one Redis, one Kafka broker and one SMSC
 * simulator, with the outbox lead SIGKILLed while the outbox holds a backlog. The broker is the test's own, so it can
 * be stopped: under load through both HTTP APIs it stops, both processes' Kafka sends fail and their records go to
 * the shared Redis outbox, and one process takes the outbox lead (read from Redis). That process is killed while
 * the outbox is not empty and load goes on into the survivor; then the broker comes back. Then:
 * - the outbox lead moves to the survivor (the lead key holds its name), which flushes the outbox to zero;
 * - every accepted message (answered 202) reaches a final status in the store;
 * - a message reaches the SMSC twice only when its part's outcome was unknown at the kill (the message `sending`
 *   with the part pending in the store) and its first copy reached the SMSC before the kill;
 * - every accepted message's final status event is on the events topic (at least once: duplicates are counted).
 * The dead process's share of the consumer groups moves on only after the group's session timeout, so receipts on
 * its partitions wait that long: `kafka.sessionTimeoutMs` is the broker's least, 6 s, here (30 s by default).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { createRedisBackend, hashApiKey, redisKeys } from '../../gateway/index.ts';
import { startSmscSimulator, type SmscSimulatorHandle } from '../../simulator/index.ts';
import { GatewayProcesses, postNumberedBatch, waitForFinalStatuses, type GatewayProcess } from '../support/gateway-process.ts';
import { KafkaBroker } from '../support/kafka-broker.ts';
import { redisTestKeys } from '../support/redis-test-keys.ts';
import { REDIS_URL } from '../support/test-backends.ts';
import { waitFor } from '../support/wait-for.ts';

const KEY = 'multi-process-kafka-key';
const PER_BATCH = 200;
/** Batches while Kafka answers, while it is away before the kill, and into the survivor after it. */
const PHASES = [6, 4, 4] as const;
const LEASE_MS = 3_000;
const FINAL = new Set(['delivered', 'undelivered', 'failed', 'expired', 'unknown', 'rejected', 'canceled']);

const redisKeysForTest = redisTestKeys();
const PREFIX = redisKeysForTest.prefix();
const TAG = randomBytes(4).toString('hex');
const TOPICS = { events: `sms.events.${TAG}`, receipts: `sms.receipts.${TAG}`, unmatched: `sms.receipts.unmatched.${TAG}` };
const dir = mkdtempSync(join(tmpdir(), 'smsgw-multi-kafka-'));
let broker: KafkaBroker | undefined;
let simulator: SmscSimulatorHandle | undefined;
let processes: GatewayProcesses | undefined;

afterAll(async () => {
  processes?.killAll();
  await simulator?.close();
  // The broker is this file's own: its topics and groups go with it.
  await broker?.close();
  rmSync(dir, { recursive: true, force: true });
  await redisKeysForTest.cleanup();
});

interface StatusEvent {
  readonly id: string;
  readonly type: string;
  readonly messageId: string;
  readonly status: string;
}

/** Reads the topic from its beginning (a fresh group) until `done` says the events are enough. */
async function readEvents(brokers: readonly string[], topic: string, done: (events: readonly StatusEvent[]) => boolean, ms: number): Promise<StatusEvent[]> {
  const kafka = new Kafka({ clientId: `reader-${TAG}`, brokers: [...brokers], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `reader-${TAG}` });
  const events: StatusEvent[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${events.length} events from ${topic} in ${ms} ms`)), ms);
      consumer
        .run({
          eachBatch: ({ batch }) => {
            for (const message of batch.messages) events.push(JSON.parse(message.value?.toString('utf8') ?? '{}') as StatusEvent);
            if (done(events)) {
              clearTimeout(timer);
              resolve();
            }
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
    return events;
  } finally {
    await consumer.disconnect();
  }
}

test('the outbox lead SIGKILLed with a backlog: the survivor leads and flushes it, nothing accepted is lost', async () => {
  [broker, simulator] = await Promise.all([
    KafkaBroker.start(),
    startSmscSimulator({ accounts: [{ systemId: 'gw', password: 'pw', maxBinds: 2 }], behaviour: { latency: { kind: 'fixed', ms: 5 } }, maxRecords: 20_000 }),
  ]);
  const sim = simulator;
  const kafkaBroker = broker;
  processes = new GatewayProcesses({ REDIS_URL, REDIS_PREFIX: PREFIX, KAFKA_BROKERS: kafkaBroker.brokers.join(',') });
  const configPath = join(dir, 'gateway.yaml');
  writeFileSync(
    configPath,
    stringify({
      server: { host: '127.0.0.1', port: 0 },
      accounts: [{ id: 'multi', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP' }],
      connectors: [{ id: 'smsc', type: 'smpp', host: '127.0.0.1', port: sim.smppPort, systemId: 'gw', password: 'pw', binds: 2, windowSize: 5 }],
      // The default receipt timeout (days): no part ends `unknown` by it here, receipts are never lost in Kafka mode
      // (a deliver_sm is answered only once its receipt is durable; the SMSC sends an unanswered one again).
      dispatch: { reclaimIdleMs: 1_000, leaseMs: LEASE_MS },
      carriers: { builtinRanges: false },
      routes: { only: { strategy: 'failover', connectors: [{ id: 'smsc' }] } },
      rules: [{ name: 'default', route: 'only' }],
      // Names of this test's own, as the other Kafka tests have, though the broker is its own too.
      kafka: {
        partitions: 3,
        groupPrefix: `smsgw-test-${TAG}`,
        receiptHoldMs: 3_000,
        sessionTimeoutMs: 6_000,
        topics: {
          ...TOPICS,
          inbound: `sms.inbound.${TAG}`,
          suppressions: `sms.suppressions.${TAG}`,
          verifications: `sms.verifications.${TAG}`,
          campaigns: `sms.campaigns.${TAG}`,
        },
      },
    }),
  );
  const { redis } = redisKeysForTest;
  const keys = redisKeys(PREFIX);
  const lead = (): Promise<string | null> => redis.get(keys.outboxLead);
  const outboxSize = (): Promise<number> => redis.xlen(keys.outbox);
  const holders = async (): Promise<(string | null)[]> => Promise.all([0, 1].map((slot) => redis.get(keys.bindLease('smsc', slot))));

  // Both at once, as a deployment starts them: one creates the topics, the other finds them there.
  const [a, b] = await Promise.all([processes.start(configPath), processes.start(configPath)]);
  await waitFor(async () => {
    const now = await holders();
    return now.includes(a.name) && now.includes(b.name);
  }, 'one bind slot each', 15_000);

  const accepted = new Map<string, string>();
  let batches = 0;
  const post = (gateway: GatewayProcess): Promise<void> => postNumberedBatch(gateway, KEY, batches++, PER_BATCH, accepted);
  const load = (count: number, to: (i: number) => GatewayProcess): Promise<void[]> => Promise.all(Array.from({ length: count }, (_, i) => post(to(i))));

  // Kafka answering: load through both processes, until both submit.
  await load(PHASES[0], (i) => (i % 2 === 0 ? a : b));
  await waitFor(() => sim.counts().acceptedParts >= 300, 'the first submits', 30_000);

  // Kafka away: the sends fail, the records go to the outbox, and one process leads it (it cannot flush yet).
  await kafkaBroker.stop();
  await load(PHASES[1], (i) => (i % 2 === 0 ? a : b));
  const victimName = await waitFor(async () => {
    const holder = await lead();
    return holder !== null && (await outboxSize()) > 0 ? holder : undefined;
  }, 'a backlog in the outbox and its lead', 30_000);
  expect([a.name, b.name]).toContain(victimName);
  const [victim, survivor] = victimName === a.name ? [a, b] : [b, a];

  // No request is open to the victim (its batches were answered), so every message it took was answered 202;
  // it still submits the backlog. Load goes on into the survivor. With Kafka away nothing leaves the outbox, so
  // what it holds now it holds at the kill.
  const outboxAtKill = await outboxSize();
  expect(outboxAtKill).toBeGreaterThan(0);
  expect(await lead()).toBe(victim.name);
  const bindsBefore = sim.binds().map((bind) => bind.id);
  victim.child.kill('SIGKILL');
  const killedAt = Date.now();
  const rest = load(PHASES[2], () => survivor);
  await victim.exited;
  // What reached the SMSC before the kill: all of it once the SMSC has seen the dead process's bind close.
  await waitFor(() => !bindsBefore.every((id) => sim.binds().some((bind) => bind.id === id)), 'the SMSC seeing the bind close', 10_000, 5);
  const reachedAtKill = new Set(sim.messages({ limit: 100_000 }).map((m) => m.text));
  const submittedAtKill = sim.counts().acceptedParts;

  // What the store knew right after the kill: a part's outcome is unknown when its message is `sending` (written
  // before the submit) and the part still pending. Read before the survivor may take the dead process's queue
  // entries (its dispatch lease has to run out first).
  const backend = createRedisBackend({ url: REDIS_URL, prefix: PREFIX });
  const unknownAtKill = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await backend.store.list({ accountId: 'multi', status: 'sending', limit: 5_000, ...(cursor === undefined ? {} : { cursor }) });
    for (const record of page.items) if (record.parts.some((part) => part.status === 'pending')) unknownAtKill.add(record.envelope.id);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  const scannedMs = Date.now() - killedAt;

  // The broker comes back; the lead stays the dead process's until its key expires, and only then does the
  // survivor (with records of its own waiting) take it and flush.
  const restarted = kafkaBroker.restart();
  await waitFor(async () => (await lead()) === survivor.name, 'the survivor leading the outbox', 30_000);
  const leadMovedMs = Date.now() - killedAt;
  await Promise.all([rest, restarted]);
  await waitFor(async () => (await outboxSize()) === 0, 'the outbox flushed', 30_000);
  const flushedMs = Date.now() - killedAt;
  expect(accepted.size).toBeGreaterThan(PHASES.reduce((sum, n) => sum + n, 0) * PER_BATCH * 0.75);

  // Every accepted message reaches a final status.
  const finals = await waitForFinalStatuses(backend.store, accepted, (status) => FINAL.has(status), 75_000, 250);
  const finalMs = Date.now() - killedAt;
  await backend.close();

  // A message reaches the SMSC twice only when its part's outcome was unknown at the kill.
  const seen = new Set<string>();
  const duplicated = new Set<string>();
  for (const { text } of sim.messages({ limit: 100_000 })) (seen.has(text) ? duplicated : seen).add(text);
  for (const text of accepted.keys()) expect(seen.has(text)).toBe(true);
  for (const text of duplicated) {
    expect(unknownAtKill.has(accepted.get(text) ?? '')).toBe(true);
    // The first copy came from the dead process.
    expect(reachedAtKill.has(text)).toBe(true);
  }

  // Every accepted message's final status event is on the events topic, at least once.
  const wanted = new Map([...finals].map(([id, status]) => [`${id}:${status}`, id]));
  const found = new Set<string>();
  let looked = 0;
  const events = await readEvents(
    kafkaBroker.brokers,
    TOPICS.events,
    (sofar) => {
      for (; looked < sofar.length; looked += 1) {
        const event = sofar[looked] as StatusEvent;
        if (event.type === 'message.status' && wanted.has(event.id)) found.add(event.id);
      }
      return found.size === wanted.size;
    },
    30_000,
  );
  const ids = new Set<string>();
  let duplicateEvents = 0;
  let withAccepted = 0;
  const acceptedIds = new Set(accepted.values());
  for (const event of events) {
    if (event.type !== 'message.status' || !acceptedIds.has(event.messageId)) continue;
    if (ids.has(event.id)) duplicateEvents += 1;
    ids.add(event.id);
    if (event.status === 'accepted') withAccepted += 1;
  }
  for (const id of wanted.keys()) expect(ids.has(id)).toBe(true);

  const byStatus = new Map<string, number>();
  for (const status of finals.values()) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  console.log(
    `multi-process Kafka test: ${accepted.size} accepted (${submittedAtKill} parts at the SMSC at the kill), outbox ${outboxAtKill} at the kill; ` +
      `lead moved ${leadMovedMs} ms, outbox empty ${flushedMs} ms, all final ${finalMs} ms after the kill; finals ${JSON.stringify([...byStatus])}; ` +
      `${unknownAtKill.size} with a part of unknown outcome at the kill (read ${scannedMs} ms after it), ${duplicated.size} sent twice; ${events.length} records on the events topic, ` +
      `${duplicateEvents} status events twice, ${acceptedIds.size - withAccepted} accepted messages without their 'accepted' event`,
  );

  // A clean stop of the survivor leaves nothing in the outbox.
  survivor.child.kill('SIGTERM');
  await survivor.exited;
  expect(survivor.child.exitCode).toBe(0);
  expect(await outboxSize()).toBe(0);
}, 150_000);
