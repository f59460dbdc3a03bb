/**
 * Two gateway processes (`smsgw serve`, real child processes) on one Redis and one SMSC simulator, which allows the
 * connector's two binds and no more. Each process holds one bind slot; load goes through both HTTP APIs; one
 * process is SIGKILLed mid-load. Then:
 * - the survivor takes over every bind slot within the lease time, and the SMSC never saw more than two binds;
 * - every accepted message reaches a final status (delivered, or `unknown`: a receipt the killed process had taken
 *   but not yet stored is lost with it, and the receipt timeout settles its part);
 * - a message reaches the SMSC twice only when its part's outcome was unknown at the kill (still pending in the store).
 * Redis only: no Kafka, so the events travel in-process (the outbox lead is a Kafka-mode matter).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { createRedisBackend, hashApiKey, redisKeys } from '../../gateway/index.ts';
import { startSmscSimulator, type SmscSimulatorHandle } from '../../simulator/index.ts';
import { GatewayProcesses, postNumberedBatch, waitForFinalStatuses, type GatewayProcess } from '../support/gateway-process.ts';
import { redisTestKeys } from '../support/redis-test-keys.ts';
import { REDIS_URL } from '../support/test-backends.ts';
import { waitFor } from '../support/wait-for.ts';

const KEY = 'multi-process-key';
const PER_BATCH = 250;
const BATCHES = 16;
const LEASE_MS = 3_000;

const redisKeysForTest = redisTestKeys();
const PREFIX = redisKeysForTest.prefix();
const processes = new GatewayProcesses({ REDIS_URL, REDIS_PREFIX: PREFIX });
let simulator: SmscSimulatorHandle | undefined;
const dir = mkdtempSync(join(tmpdir(), 'smsgw-multi-'));

afterAll(async () => {
  processes.killAll();
  await simulator?.close();
  rmSync(dir, { recursive: true, force: true });
  await redisKeysForTest.cleanup();
});

test('two processes share the binds; one SIGKILLed under load: the survivor takes every bind, nothing accepted is lost', async () => {
  simulator = await startSmscSimulator({
    accounts: [{ systemId: 'gw', password: 'pw', maxBinds: 2 }],
    behaviour: { latency: { kind: 'fixed', ms: 5 } },
    maxRecords: 20_000,
  });
  const configPath = join(dir, 'gateway.yaml');
  writeFileSync(
    configPath,
    stringify({
      server: { host: '127.0.0.1', port: 0 },
      accounts: [{ id: 'multi', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP' }],
      connectors: [{ id: 'smsc', type: 'smpp', host: '127.0.0.1', port: simulator.smppPort, systemId: 'gw', password: 'pw', binds: 2, windowSize: 5 }],
      // Receipts the killed process had taken but not stored are gone: their parts end `unknown` at the receipt timeout.
      dispatch: { reclaimIdleMs: 1_000, leaseMs: LEASE_MS, receiptTimeoutSeconds: 6 },
      carriers: { builtinRanges: false },
      routes: { only: { strategy: 'failover', connectors: [{ id: 'smsc' }] } },
      rules: [{ name: 'default', route: 'only' }],
    }),
  );
  const { redis } = redisKeysForTest;
  const keys = redisKeys(PREFIX);
  const holders = async (): Promise<(string | null)[]> => Promise.all([0, 1].map((slot) => redis.get(keys.bindLease('smsc', slot))));
  // The SMSC allows two binds in all: a process opening more than its share would be refused (bindFailures). The
  // lease is short for the test, but not so short that a busy process's renewal comes late and its slot changes hands.
  let mostBinds = 0;
  const watch = setInterval(() => (mostBinds = Math.max(mostBinds, simulator?.binds().length ?? 0)), 20);

  const first = await processes.start(configPath);
  await waitFor(async () => (await holders()).every((holder) => holder === first.name), 'the first process holding both slots');
  const second = await processes.start(configPath);
  // The first gives a slot up (after unbinding it) once it sees a second process; the second takes it.
  await waitFor(async () => {
    const now = await holders();
    return now.includes(first.name) && now.includes(second.name);
  }, 'one slot each', 10_000);
  await waitFor(() => simulator!.binds().length === 2, 'two binds at the SMSC', 10_000);

  const accepted = new Map<string, string>();
  const post = (gateway: GatewayProcess, batch: number): Promise<void> => postNumberedBatch(gateway, KEY, batch, PER_BATCH, accepted);
  // Half the load, through both processes; then the kill, with load still coming into the survivor.
  await Promise.all(Array.from({ length: BATCHES / 2 }, (_, batch) => post(batch % 2 === 0 ? first : second, batch)));
  await waitFor(() => simulator!.counts().acceptedParts >= 300, 'the first submits', 30_000);
  first.child.kill('SIGKILL');
  const killedAt = Date.now();
  const rest = Promise.all(Array.from({ length: BATCHES / 2 }, (_, i) => post(second, BATCHES / 2 + i)));
  await first.exited;

  // What the store knew right after the kill: a message still `sending` (a part pending) may have reached the SMSC.
  const backend = createRedisBackend({ url: REDIS_URL, prefix: PREFIX });
  const unknownAtKill = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await backend.store.list({ accountId: 'multi', limit: 1_000, ...(cursor === undefined ? {} : { cursor }) });
    for (const record of page.items) if (record.parts.some((part) => part.status === 'pending')) unknownAtKill.add(record.envelope.id);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  await rest;
  expect(accepted.size).toBeGreaterThan(BATCHES * PER_BATCH * 0.75);

  await waitFor(async () => (await holders()).every((holder) => holder === second.name), 'the survivor holding both slots', 4 * LEASE_MS);
  const takeover = Date.now() - killedAt;
  await waitFor(() => simulator!.binds().length === 2, 'the survivor bound twice', 10_000);

  // Every accepted message reaches a final status.
  const finals = await waitForFinalStatuses(backend.store, accepted, (status) => status === 'delivered' || status === 'unknown', 60_000, 200);
  clearInterval(watch);

  const texts = simulator.messages({ limit: 100_000 }).map((m) => m.text);
  const seen = new Set<string>();
  const duplicated = new Set<string>();
  for (const text of texts) (seen.has(text) ? duplicated : seen).add(text);
  const statuses = [...finals.values()];
  console.log(
    `multi-process test: ${accepted.size} accepted, ${unknownAtKill.size} with a pending part at the kill, ${duplicated.size} sent twice, ` +
      `${statuses.filter((s) => s === 'unknown').length} unknown, ${simulator.counts().bindFailures} binds refused, ${simulator.counts().connectionsDropped} dropped; survivor held both slots ${takeover} ms after the kill (lease ${LEASE_MS} ms)`,
  );
  for (const text of accepted.keys()) expect(seen.has(text)).toBe(true);
  for (const text of duplicated) expect(unknownAtKill.has(accepted.get(text) ?? '')).toBe(true);
  expect(takeover).toBeLessThan(3 * LEASE_MS);
  expect(mostBinds).toBeLessThanOrEqual(2);
  expect(simulator.counts().bindFailures).toBe(0);
  await backend.close();

  // A clean stop gives the survivor's slots up at once.
  second.child.kill('SIGTERM');
  await second.exited;
  expect(await holders()).toEqual([null, null]);
}, 120_000);
