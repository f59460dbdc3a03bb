/**
 * Campaigns against the SMSC simulator on Redis: the preview's messages and segments are what the SMSC receives,
 * and a gateway restart mid-campaign (a second gateway on the same key prefix, after the first stopped) resumes it
 * with exactly one submit per recipient, counted at the SMSC.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, expect, test } from 'vitest';
import { createSmppConnector } from '../../../drivers/smpp/index.ts';
import { createRedisBackend, Gateway, hashApiKey, loadRoutingFile } from '../../../gateway/index.ts';
import type { MessageBackend } from '../../../gateway/ports/backend.ts';
import { RouterHandle } from '../../../router/index.ts';
import { startSmscSimulator, type SmscSimulatorHandle } from '../../../simulator/index.ts';
import { REDIS_URL } from '../../support/test-backends.ts';
import { waitFor } from '../../support/wait-for.ts';

const prefix = `smsgw-test:campaign-smsc:${randomUUID()}:`;
const opened: { close(): Promise<void> }[] = [];
let simulator: SmscSimulatorHandle | undefined;

afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
  await simulator?.close();
});

afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

async function gatewayOn(sim: SmscSimulatorHandle, consumer: string): Promise<Gateway> {
  const backend: MessageBackend = createRedisBackend({ url: REDIS_URL, prefix });
  const driver = createSmppConnector({ id: 'smpp-aggregator', host: '127.0.0.1', port: sim.smppPort, systemId: 'gw', password: 'pw', binds: 1, reconnect: { initialMs: 50, maxMs: 500 } });
  const gw = new Gateway({
    backend,
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [driver],
    accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey('k')], defaultCountry: 'JP' }],
    consumer,
    campaigns: { leaseMs: 5_000 },
  });
  opened.push({ close: () => backend.close() }, { close: () => gw.stop() });
  await gw.start();
  await waitFor(() => gw.links.isUp('smpp-aggregator'), 'bind up');
  return gw;
}

const rows = (count: number, text: (i: number) => string) => Array.from({ length: count }, (_v, i) => ({ phone: `0902${String(1_000_000 + i).slice(1).padStart(7, '0')}`, name: text(i) }));

test('the preview counts what the SMSC receives: messages and segments', async () => {
  const sim = (simulator = await startSmscSimulator({ scenario: 'happy', accounts: [{ systemId: 'gw', password: 'pw', maxBinds: 4 }] }));
  const gw = await gatewayOn(sim, 'preview');
  const input = rows(8, (i) => (i % 3 === 0 ? `long ${'y'.repeat(160)} ${i}` : `short ${i}`));
  const request = { template: 'Hi {{name}}' };
  const preview = await gw.campaignInput.preview('demo', { kind: 'rows', rows: input }, request);
  const { campaign } = await gw.campaigns.create('demo', { kind: 'rows', rows: input }, request, {});
  await waitFor(async () => (await gw.campaigns.get('demo', campaign.id)).counts.delivered === 8, 'every recipient delivered');
  const received = sim.messages({});
  expect(received).toHaveLength(preview.messages);
  expect(received.reduce((sum, message) => sum + message.parts, 0)).toBe(preview.segments);
});

test('a restart mid-campaign on Redis: exactly one submit per recipient at the SMSC', async () => {
  const sim = (simulator = await startSmscSimulator({ scenario: 'happy', accounts: [{ systemId: 'gw', password: 'pw', maxBinds: 4 }] }));
  const input = rows(40, (i) => `restart ${i}`);
  const first = await gatewayOn(sim, 'first');
  const { campaign } = await first.campaigns.create('demo', { kind: 'rows', rows: input }, { template: 'Hi {{name}}' }, { pacing: { segmentsPerSecond: 20 } });
  await waitFor(() => sim.messages({}).length >= 10, 'ten at the SMSC');
  for (const item of opened.splice(0).reverse()) await item.close();
  const stopped = await waitFor(async () => {
    const backend = createRedisBackend({ url: REDIS_URL, prefix });
    const record = await backend.campaigns.get(campaign.id).finally(() => backend.close());
    return record;
  }, 'the stored campaign');
  expect(stopped.state).toBe('running');
  expect(stopped.cursor).toBeLessThan(40);

  const second = await gatewayOn(sim, 'second');
  await waitFor(async () => (await second.campaigns.get('demo', campaign.id)).state === 'completed', 'completed by the second gateway');
  await waitFor(() => sim.messages({}).length >= 40, 'forty at the SMSC');
  const perNumber = new Map<string, number>();
  for (const message of sim.messages({})) perNumber.set(message.to, (perNumber.get(message.to) ?? 0) + 1);
  expect(perNumber.size).toBe(40);
  expect([...perNumber.values()].every((count) => count === 1)).toBe(true);
  expect(sim.messages({}).every((message) => message.duplicates === 0)).toBe(true);
});
