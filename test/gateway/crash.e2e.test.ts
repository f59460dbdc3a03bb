/**
 * Crash safety on Redis: the gateway process is killed with SIGKILL while 5,000 accepted messages are being
 * dispatched; a new process on the same Redis reclaims the dead worker's entries. Every accepted message must
 * reach the SMSC; duplicates may only come from messages whose outcome was unknown at the crash.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { createRedisBackend, hashApiKey } from '../../gateway/index.ts';
import { startSmscSimulator, type SmscSimulatorHandle } from '../../simulator/index.ts';
import { GatewayProcesses, type GatewayProcess } from '../support/gateway-process.ts';
import { waitFor } from '../support/wait-for.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `smsgw-crash:${randomUUID()}:`;
const KEY = 'crash-test-key';
const TOTAL = 5_000;

let simulator: SmscSimulatorHandle | undefined;
const dir = mkdtempSync(join(tmpdir(), 'smsgw-crash-'));

afterAll(async () => {
  processes.killAll();
  await simulator?.close();
  rmSync(dir, { recursive: true, force: true });
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${PREFIX}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

const processes = new GatewayProcesses({ REDIS_URL, REDIS_PREFIX: PREFIX });
const startGateway = (configPath: string): Promise<GatewayProcess> => processes.start(configPath);

test('SIGKILL mid-dispatch loses nothing; duplicates only where the outcome was unknown', async () => {
  // Slow answers and a small window keep thousands of messages queued when the kill comes.
  simulator = await startSmscSimulator({
    accounts: [{ systemId: 'gw', password: 'pw', maxBinds: 4 }],
    behaviour: { latency: { kind: 'fixed', ms: 5 } },
    maxRecords: 20_000,
  });
  const configPath = join(dir, 'gateway.yaml');
  writeFileSync(
    configPath,
    stringify({
      server: { host: '127.0.0.1', port: 0 },
      accounts: [{ id: 'crash', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP' }],
      connectors: [{ id: 'smsc', type: 'smpp', host: '127.0.0.1', port: simulator.smppPort, systemId: 'gw', password: 'pw', binds: 1, windowSize: 10 }],
      dispatch: { reclaimIdleMs: 1_000, leaseMs: 2_000 },
      carriers: { builtinRanges: false },
      routes: { only: { strategy: 'failover', connectors: [{ id: 'smsc' }] } },
      rules: [{ name: 'default', route: 'only' }],
    }),
  );
  const first = await startGateway(configPath);
  const messages = Array.from({ length: TOTAL }, (_, i) => ({ to: `+8190${String(20_000_000 + i)}`, text: `crash-${i}` }));
  const accepted = new Set<string>();
  const idByText = new Map<string, string>();
  for (let offset = 0; offset < TOTAL; offset += 1_000) {
    const response = await fetch(`${first.url}/v1/messages/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: messages.slice(offset, offset + 1_000) }),
    });
    const body = (await response.json()) as { results: { ok: boolean; message?: { id: string } }[] };
    body.results.forEach((result, i) => {
      if (!result.ok || result.message === undefined) return;
      accepted.add(result.message.id);
      idByText.set(`crash-${offset + i}`, result.message.id);
    });
  }
  expect(accepted.size).toBe(TOTAL);
  await waitFor(() => simulator!.counts().acceptedParts >= 500, 'the first submits', 30_000);
  first.child.kill('SIGKILL');
  await first.exited;
  const atCrash = simulator.counts().acceptedParts;
  expect(atCrash).toBeLessThan(TOTAL);

  // What the store knew at the crash: messages still 'sending' had parts whose outcome was unknown.
  const backend = createRedisBackend({ url: REDIS_URL, prefix: PREFIX });
  const unknownAtCrash = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await backend.store.list({ accountId: 'crash', limit: 1_000, ...(cursor === undefined ? {} : { cursor }) });
    for (const record of page.items) if (record.status === 'sending') unknownAtCrash.add(record.envelope.id);
    cursor = page.nextCursor;
  } while (cursor !== undefined);

  await startGateway(configPath);
  await waitFor(() => new Set(simulator!.messages({ limit: 100_000 }).map((m) => m.text)).size >= TOTAL, 'every message at the SMSC', 120_000);
  const texts = simulator.messages({ limit: 100_000 }).map((m) => m.text);
  const distinct = new Set(texts);
  const seen = new Set<string>();
  const duplicated = new Set<string>();
  for (const text of texts) (seen.has(text) ? duplicated : seen).add(text);
  console.log(
    `crash test: ${atCrash} parts at the SMSC at the kill, ${unknownAtCrash.size} messages in flight (outcome unknown), ` +
      `${texts.length - distinct.size} duplicates after the restart`,
  );
  for (let i = 0; i < TOTAL; i += 1) expect(distinct.has(`crash-${i}`)).toBe(true);
  // A message whose outcome the store knew (submitted or later) is never sent again.
  for (const text of duplicated) expect(unknownAtCrash.has(idByText.get(text) ?? '')).toBe(true);
  await waitFor(async () => {
    const page = await backend.store.list({ accountId: 'crash', status: 'delivered', limit: 1 });
    return page.items.length > 0;
  }, 'receipts after the restart', 30_000);
  await backend.close();
}, 240_000);
