/**
 * Failover between two simulated carriers over real SMPP binds: a carrier that refuses binds is skipped at
 * routing time; a carrier that answers with a retriable error hands the message to the route's next connector.
 * Also: validity expiry of a message still queued when its validity period ends.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { createSmppConnector } from '../../drivers/smpp/index.ts';
import { AcceptService, createMemoryBackend, Gateway, hashApiKey, readBuiltinRanges } from '../../gateway/index.ts';
import { ConnectorWorker } from '../../gateway/dispatch/connector-worker.ts';
import { buildRoutingTable, RouterHandle } from '../../router/index.ts';
import { startSmscSimulator, type SmscSimulatorHandle } from '../../simulator/index.ts';
import { waitFor } from '../support/wait-for.ts';

const ROUTING = {
  routes: { jp: { strategy: 'failover', connectors: [{ id: 'carrier-a' }, { id: 'carrier-b' }] } },
  rules: [{ name: 'default', route: 'jp' }],
};

let simulators: SmscSimulatorHandle[] = [];
let gateway: Gateway | undefined;

afterEach(async () => {
  await gateway?.stop();
  await Promise.all(simulators.map((s) => s.close()));
  simulators = [];
});


async function setUp(a: { password?: string; behaviour?: unknown }, retry = { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 200 }): Promise<Gateway> {
  const carrierA = await startSmscSimulator({ name: 'carrier-a', accounts: [{ systemId: 'gw', password: 'pw', maxBinds: 2 }], ...(a.behaviour === undefined ? {} : { behaviour: a.behaviour }) });
  const carrierB = await startSmscSimulator({ name: 'carrier-b', accounts: [{ systemId: 'gw', password: 'pw', maxBinds: 2 }] });
  simulators = [carrierA, carrierB];
  const connector = (id: string, port: number, password = 'pw') =>
    createSmppConnector({ id, host: '127.0.0.1', port, systemId: 'gw', password, reconnect: { initialMs: 100, maxMs: 1000 }, queueTimeoutMs: 500 });
  gateway = new Gateway({
    backend: createMemoryBackend(),
    router: new RouterHandle(buildRoutingTable(ROUTING, { fileName: 'test', rangeEntries: [...readBuiltinRanges()], connectorIds: new Set(['carrier-a', 'carrier-b']) })),
    drivers: [connector('carrier-a', carrierA.smppPort, a.password), connector('carrier-b', carrierB.smppPort)],
    accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey('k')], defaultCountry: 'JP' }],
    retry,
  });
  await gateway.start();
  await waitFor(() => Promise.resolve(gateway?.links.isUp('carrier-b') === true ? true : undefined), 'carrier-b up');
  return gateway;
}

describe('failover', () => {
  test('a carrier that refuses binds is skipped: traffic goes to the next connector', async () => {
    const gw = await setUp({ password: 'wrong' });
    expect(gw.links.isUp('carrier-a')).toBe(false);
    const accepted = await Promise.all(Array.from({ length: 20 }, (_, i) => gw.messages.submit('demo', { to: `0901234${String(5000 + i)}`, text: `failover ${i}` })));
    expect(new Set(accepted.map((a) => a.connector))).toEqual(new Set(['carrier-b']));
    await waitFor(async () => ((await Promise.all(accepted.map((a) => gw.messages.get('demo', a.id)))).every((r) => r.status === 'delivered') ? true : undefined), 'delivered');
    expect(simulators[1]?.messages({})).toHaveLength(20);
    expect(simulators[0]?.counts().acceptedParts).toBe(0);
  });

  test('a retriable refusal moves the message to the next connector, which delivers it', async () => {
    const gw = await setUp({ behaviour: { submitErrors: [{ prefix: '+81', status: 'ESME_RSYSERR' }] } });
    await waitFor(() => Promise.resolve(gw.links.isUp('carrier-a') ? true : undefined), 'carrier-a up');
    const accepted = await gw.messages.submit('demo', { to: '09012345678', text: 'try the other carrier' });
    expect(accepted.connector).toBe('carrier-a');
    const record = await waitFor(async () => {
      const r = await gw.messages.get('demo', accepted.id);
      return r.status === 'delivered' ? r : undefined;
    }, 'delivered');
    expect(record.parts[0]?.connectorId).toBe('carrier-b');
    const failover = record.timeline.find((t) => t.event === 'queued' && t.detail?.startsWith('failover') === true);
    expect(failover?.connectorId).toBe('carrier-b');
    expect(simulators[1]?.messages({}).map((m) => m.text)).toEqual(['try the other carrier']);
  });

  test('when every connector keeps failing, the attempts run out and the message fails with the last error', async () => {
    const refuse = { submitErrors: [{ prefix: '+81', status: 'ESME_RSYSERR' }] };
    const gw = await setUp({ behaviour: refuse }, { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 50 });
    simulators[1]?.patchBehaviour(refuse);
    await waitFor(() => Promise.resolve(gw.links.isUp('carrier-a') ? true : undefined), 'carrier-a up');
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
    const simulator = await startSmscSimulator({ accounts: [{ systemId: 'gw', password: 'pw', maxBinds: 1 }] });
    simulators = [simulator];
    const backend = createMemoryBackend();
    const router = new RouterHandle(buildRoutingTable(ROUTING, { fileName: 'test', rangeEntries: [], connectorIds: new Set(['carrier-a', 'carrier-b']) }));
    const accepted = await new AcceptService({ router, store: backend.store, now: () => T0 }).accept({ id: 'demo', defaultCountry: 'JP' }, { to: '09012345678', text: 'too late', validitySeconds: 60 });
    const driver = createSmppConnector({ id: 'carrier-a', host: '127.0.0.1', port: simulator.smppPort, systemId: 'gw', password: 'pw' });
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
    expect(simulator.counts().acceptedParts).toBe(0);
  });
});

const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);
