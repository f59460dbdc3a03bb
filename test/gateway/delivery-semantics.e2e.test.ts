/**
 * The delivery promise where the carrier's wire is the subject, over real SMPP binds to the SMSC simulator, on the
 * memory backend and on Redis:
 * - a throttled carrier with a backlog gets exactly one submit per part (a live worker's entries are leased,
 *   never reclaimed from under it);
 * - unknown outcomes of the wire (empty message ids, no answer, dropped connections, a query_sm that finds the
 *   message still accepted) all end in a final status.
 * Outages, the backlog bound, validity and receipt timeouts run on the loopback driver in delivery-semantics.test.ts.
 */
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { createSmppConnector } from '../../drivers/smpp/index.ts';
import { Gateway, hashApiKey, readBuiltinRanges } from '../../gateway/index.ts';
import type { MessageBackend } from '../../gateway/ports/backend.ts';
import { buildRoutingTable, RouterHandle } from '../../router/index.ts';
import { startSmscSimulator, type SmscSimulatorHandle } from '../../simulator/index.ts';
import { testBackends } from '../support/test-backends.ts';
import { waitFor } from '../support/wait-for.ts';
import { allFinal, testNumber } from './final-records.ts';

const ROUTING = { routes: { jp: { strategy: 'failover', connectors: [{ id: 'carrier-a' }] } }, rules: [{ name: 'default', route: 'jp' }] };

const backendsUnderTest = testBackends();
let simulator: SmscSimulatorHandle | undefined;
let gateway: Gateway | undefined;

afterEach(async () => {
  await gateway?.stop();
  await simulator?.close();
  gateway = undefined;
  simulator = undefined;
});

afterAll(() => backendsUnderTest.removeRedisKeys());

const backends = backendsUnderTest.rows;

interface Setup {
  readonly behaviour?: unknown;
  readonly driver?: Record<string, unknown>;
  readonly gateway?: Partial<ConstructorParameters<typeof Gateway>[0]>;
}

async function setUp(makeBackend: () => MessageBackend, setup: Setup = {}): Promise<{ gw: Gateway }> {
  simulator = await startSmscSimulator({ name: 'carrier-a', accounts: [{ systemId: 'gw', password: 'pw', maxBinds: 2 }], ...(setup.behaviour === undefined ? {} : { behaviour: setup.behaviour }) });
  const driver = createSmppConnector({
    id: 'carrier-a',
    host: '127.0.0.1',
    port: simulator.smppPort,
    systemId: 'gw',
    password: 'pw',
    reconnect: { initialMs: 50, maxMs: 200 },
    queueTimeoutMs: 300,
    ...setup.driver,
  });
  gateway = new Gateway({
    backend: makeBackend(),
    router: new RouterHandle(buildRoutingTable(ROUTING, { fileName: 'test', rangeEntries: [...readBuiltinRanges()], connectorIds: new Set(['carrier-a']) })),
    drivers: [driver],
    accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey('k')], defaultCountry: 'JP' }],
    retry: { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 200 },
    ...setup.gateway,
  });
  await gateway.start();
  await waitFor(() => (gateway?.links.isUp('carrier-a') === true ? true : undefined), 'carrier-a up');
  return { gw: gateway };
}

describe.each(backends)('delivery semantics (%s)', (_name, makeBackend) => {
  test('a throttled carrier with a backlog longer than the reclaim idle time gets exactly one submit per part', async () => {
    // 10 submits a second at the carrier; 60 messages of 1 and 2 parts keep parts waiting in the driver for
    // seconds, several times the 300 ms after which an idle entry used to be taken back by its own worker.
    const { gw } = await setUp(makeBackend, {
      behaviour: { throttle: { tps: 10, scope: 'account' } },
      driver: { maxTps: 10, windowSize: 5 },
      gateway: { reclaimIdleMs: 300, leaseMs: 1_000 },
    });
    const accepted = [];
    for (let i = 0; i < 60; i += 1) accepted.push(await gw.messages.submit('demo', { to: testNumber(i), text: i % 3 === 0 ? `part ${i} `.repeat(25) : `one ${i}` }));
    const parts = accepted.reduce((sum, a) => sum + a.parts, 0);
    expect(parts).toBeGreaterThan(60);
    const records = await allFinal(gw, accepted.map((a) => a.id), 40_000);
    expect(records.map((r) => r.status)).toEqual(accepted.map(() => 'delivered'));
    expect(simulator?.counts().acceptedParts).toBe(parts);
    const received = simulator?.messages({}) ?? [];
    expect(received).toHaveLength(60);
    expect(new Set(received.map((m) => m.text)).size).toBe(60);
    const reclaimed = await gw.metrics.registry.getSingleMetricAsString('smsgw_queue_reclaimed_total');
    expect(reclaimed).not.toMatch(/smsgw_queue_reclaimed_total\{[^}]*\} [1-9]/);
  }, 60_000);

  test('a submit_sm_resp with ESME_ROK and an empty message_id is an unknown outcome, and final', async () => {
    const { gw } = await setUp(makeBackend, { behaviour: { messageIds: { empty: true } } });
    const accepted = await gw.messages.submit('demo', { to: testNumber(400), text: 'no id' });
    const [record] = await allFinal(gw, [accepted.id]);
    expect(record?.status).toBe('unknown');
    expect(record?.parts[0]).toMatchObject({ status: 'unknown', error: { code: 'SMPP_EMPTY_MESSAGE_ID' } });
    expect(simulator?.counts().acceptedParts).toBe(1);
  });

  test('a submit never answered is an unknown outcome: never resent, and final', async () => {
    const { gw } = await setUp(makeBackend, { behaviour: { latency: { kind: 'fixed', ms: 600_000 } }, driver: { submitTimeoutMs: 300 } });
    const accepted = await gw.messages.submit('demo', { to: testNumber(500), text: 'silence' });
    const [record] = await allFinal(gw, [accepted.id]);
    expect(record?.status).toBe('unknown');
    expect(record?.parts[0]?.status).toBe('unknown');
    expect(simulator?.counts().submitStatuses).toEqual({});
  });

  test('ACCEPTD and ENROUTE receipts keep the part waiting; the receipt timeout then asks query_sm', async () => {
    let offset = 0;
    const { gw } = await setUp(makeBackend, {
      behaviour: { receipts: { delayMs: 0, outcomes: [{ stat: 'ACCEPTD', weight: 1 }] } },
      driver: { querySm: true },
      gateway: { now: () => Date.now() + offset, receiptTimeoutMs: 60_000 },
    });
    const accepted = await gw.messages.submit('demo', { to: testNumber(700), text: 'accepted only' });
    await waitFor(async () => ((await gw.messages.get('demo', accepted.id)).parts[0]?.raw?.stat === 'ACCEPTD' ? true : undefined), 'ACCEPTD receipt');
    expect((await gw.messages.get('demo', accepted.id)).status).toBe('submitted');
    expect(await gw.housekeeping.resolveTimedOut()).toBe(0);
    offset = 61_000;
    expect(await gw.housekeeping.resolveTimedOut()).toBe(1);
    const record = await gw.messages.get('demo', accepted.id);
    // The simulator's own state for an ACCEPTD message is ACCEPTED: not final for the handset, so unknown.
    expect(record.status).toBe('unknown');
    expect(record.parts[0]).toMatchObject({ status: 'unknown', error: { code: 'GW_RECEIPT_TIMEOUT' } });
    expect(record.parts[0]?.error?.message).toMatch(/query_sm: still accepted/);
  });

  test('dropped connections: every message ends in a final status, and none is sent twice', async () => {
    const { gw } = await setUp(makeBackend, { behaviour: { dropEveryPdus: 7 }, driver: { submitTimeoutMs: 1_000 } });
    const accepted = [];
    for (let i = 0; i < 40; i += 1) accepted.push(await gw.messages.submit('demo', { to: testNumber(1_000 + i), text: `drop ${i}` }));
    const records = await allFinal(gw, accepted.map((a) => a.id), 30_000);
    const statuses = new Set(records.map((r) => r.status));
    for (const status of statuses) expect(['delivered', 'unknown']).toContain(status);
    expect(simulator?.counts().connectionsDropped).toBeGreaterThan(0);
    const texts = (simulator?.messages({}) ?? []).map((m) => m.text);
    expect(new Set(texts).size).toBe(texts.length);
    // What the carrier got is delivered; what it did not get was either resent (once) or reported unknown.
    for (const record of records.filter((r) => r.status === 'delivered')) expect(texts).toContain(record.envelope.encoded.parts[0]?.text);
  }, 40_000);
});
