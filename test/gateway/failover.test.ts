/**
 * Failover between two carriers, on loopback drivers (what an SMSC answers is not the subject here): a carrier whose
 * link never comes up is skipped at routing time; a carrier that answers with a retriable error hands the message to
 * the route's next connector. Also: validity expiry of a message still queued when its validity period ends.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { failed, LoopbackDriver, type SendScript } from '../../drivers/loopback/index.ts';
import { submitStatusError } from '../../drivers/smpp/index.ts';
import { AcceptService, createMemoryBackend, Gateway, hashApiKey, readBuiltinRanges } from '../../gateway/index.ts';
import { ConnectorWorker } from '../../gateway/dispatch/connector-worker.ts';
import { buildRoutingTable, RouterHandle } from '../../router/index.ts';
import { waitFor } from '../support/wait-for.ts';

const ROUTING = {
  routes: { jp: { strategy: 'failover', connectors: [{ id: 'carrier-a' }, { id: 'carrier-b' }] } },
  rules: [{ name: 'default', route: 'jp' }],
};

/** ESME_RSYSERR (0x08) as the SMPP driver reports it: retriable, with the command_status kept beside the part. */
const SYSTEM_ERROR: SendScript = { answer: failed(submitStatusError(0x08), { commandStatus: 0x08 }) };

let drivers: LoopbackDriver[] = [];
let gateway: Gateway | undefined;

afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
  for (const driver of drivers) driver.assertIdle();
  drivers = [];
});

async function setUp(a: { up?: boolean; answer: SendScript }, b: SendScript, retry = { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 200 }): Promise<{ gw: Gateway; carrierA: LoopbackDriver; carrierB: LoopbackDriver }> {
  const carrierA = new LoopbackDriver({ id: 'carrier-a', upOnStart: a.up ?? true }).answerEverySend(a.answer);
  const carrierB = new LoopbackDriver({ id: 'carrier-b' }).answerEverySend(b);
  drivers = [carrierA, carrierB];
  gateway = new Gateway({
    backend: createMemoryBackend(),
    router: new RouterHandle(buildRoutingTable(ROUTING, { fileName: 'test', rangeEntries: [...readBuiltinRanges()], connectorIds: new Set(['carrier-a', 'carrier-b']) })),
    drivers,
    accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey('k')], defaultCountry: 'JP' }],
    retry,
  });
  await gateway.start();
  return { gw: gateway, carrierA, carrierB };
}

describe('failover', () => {
  test('a carrier whose link never comes up (binds refused) is skipped: traffic goes to the next connector', async () => {
    const { gw, carrierA, carrierB } = await setUp({ up: false, answer: {} }, { receipt: 'delivered' });
    expect(gw.links.isUp('carrier-a')).toBe(false);
    const accepted = await Promise.all(Array.from({ length: 20 }, (_, i) => gw.messages.submit('demo', { to: `0901234${String(5000 + i)}`, text: `failover ${i}` })));
    expect(new Set(accepted.map((a) => a.connector))).toEqual(new Set(['carrier-b']));
    await waitFor(async () => ((await Promise.all(accepted.map((a) => gw.messages.get('demo', a.id)))).every((r) => r.status === 'delivered') ? true : undefined), 'delivered');
    expect(carrierB.sent()).toHaveLength(20);
    expect(carrierA.sent()).toHaveLength(0);
  });

  test('a retriable refusal moves the message to the next connector, which delivers it', async () => {
    const { gw, carrierB } = await setUp({ answer: SYSTEM_ERROR }, { receipt: 'delivered' });
    const accepted = await gw.messages.submit('demo', { to: '09012345678', text: 'try the other carrier' });
    expect(accepted.connector).toBe('carrier-a');
    const record = await waitFor(async () => {
      const r = await gw.messages.get('demo', accepted.id);
      return r.status === 'delivered' ? r : undefined;
    }, 'delivered');
    expect(record.parts[0]?.connectorId).toBe('carrier-b');
    const failover = record.timeline.find((t) => t.event === 'queued' && t.detail?.startsWith('failover') === true);
    expect(failover?.connectorId).toBe('carrier-b');
    expect(carrierB.sent().map((sent) => sent.encoded.text)).toEqual(['try the other carrier']);
  });

  test('when every connector keeps failing, the attempts run out and the message fails with the last error', async () => {
    const { gw } = await setUp({ answer: SYSTEM_ERROR }, SYSTEM_ERROR, { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 50 });
    const accepted = await gw.messages.submit('demo', { to: '09012345678', text: 'nobody takes this' });
    const record = await waitFor(async () => {
      const r = await gw.messages.get('demo', accepted.id);
      return r.status === 'failed' ? r : undefined;
    }, 'failed');
    expect(record.parts[0]).toMatchObject({ status: 'failed', raw: { commandStatus: 0x08 } });
    expect(record.timeline.filter((t) => t.event === 'sending')).toHaveLength(3);
  });
});

describe('validity', () => {
  test('a message still queued when its validity ends expires unsent', async () => {
    const backend = createMemoryBackend();
    const router = new RouterHandle(buildRoutingTable(ROUTING, { fileName: 'test', rangeEntries: [], connectorIds: new Set(['carrier-a', 'carrier-b']) }));
    const accepted = await new AcceptService({ router, store: backend.store, now: () => T0 }).accept({ id: 'demo', defaultCountry: 'JP' }, { to: '09012345678', text: 'too late', validitySeconds: 60 });
    // Strict: no send is scripted, so one would fail the test.
    const driver = new LoopbackDriver({ id: 'carrier-a' });
    drivers = [driver];
    await driver.start({ receipt: () => Promise.resolve(), inbound: () => Promise.resolve() });
    const worker = new ConnectorWorker({ connectorId: 'carrier-a', driver, backend, consumer: 'w', isUp: () => true, now: () => T0 + 61_000 });
    worker.start();
    const record = await waitFor(async () => {
      const r = await backend.store.get(accepted.id);
      return r?.status === 'expired' ? r : undefined;
    }, 'expired');
    await worker.stop();
    await driver.close();
    expect(record.parts.map((p) => p.status)).toEqual(['expired']);
    expect(record.timeline.at(-1)).toMatchObject({ event: 'expired', at: T0 + 61_000 });
    expect(driver.sent()).toHaveLength(0);
  });
});

const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);
