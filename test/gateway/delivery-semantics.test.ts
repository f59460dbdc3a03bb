/**
 * The gateway's side of the delivery promise, on loopback drivers (no SMSC: what the carrier says is scripted), on
 * the memory backend and on Redis:
 * - an outage: messages are accepted and held while every connector is down, then delivered in order; only a full
 *   backlog refuses; a held message whose validity ends expires unsent;
 * - outcomes that are not plain delivery (an UNKNOWN receipt, no receipt at all) end in a final status.
 * The same promise over real SMPP binds, where the carrier's wire is the subject, is delivery-semantics.e2e.test.ts.
 */
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { buildApp } from '../../api/index.ts';
import { LoopbackDriver, type LoopbackOptions } from '../../drivers/loopback/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, readBuiltinRanges } from '../../gateway/index.ts';
import type { MessageBackend } from '../../gateway/ports/backend.ts';
import { buildRoutingTable, RouterHandle } from '../../router/index.ts';
import { testBackends } from '../support/test-backends.ts';
import { waitFor } from '../support/wait-for.ts';
import { allFinal, testNumber } from './final-records.ts';

const ROUTING = { routes: { jp: { strategy: 'failover', connectors: [{ id: 'carrier-a' }] } }, rules: [{ name: 'default', route: 'jp' }] };

const backendsUnderTest = testBackends();
let carrier: LoopbackDriver | undefined;
let gateway: Gateway | undefined;

afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
  // Strict: a send while the carrier was down, or one nobody scripted, fails the test here.
  carrier?.assertIdle();
  carrier = undefined;
});

afterAll(() => backendsUnderTest.removeRedisKeys());

async function setUp(
  makeBackend: () => MessageBackend,
  driver: Omit<LoopbackOptions, 'id'> = {},
  options: Partial<ConstructorParameters<typeof Gateway>[0]> = {},
): Promise<{ gw: Gateway; carrier: LoopbackDriver }> {
  carrier = new LoopbackDriver({ id: 'carrier-a', ...driver });
  gateway = new Gateway({
    backend: makeBackend(),
    router: new RouterHandle(buildRoutingTable(ROUTING, { fileName: 'test', rangeEntries: [...readBuiltinRanges()], connectorIds: new Set(['carrier-a']) })),
    drivers: [carrier],
    accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey('k')], defaultCountry: 'JP' }],
    retry: { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 200 },
    ...options,
  });
  await gateway.start();
  return { gw: gateway, carrier };
}

describe('delivery semantics (memory store bounds)', () => {
  test('a memory store full of messages on their way refuses the next with 503 GW_BACKLOG_FULL (bound "store"), and loses none', async () => {
    const { gw, carrier } = await setUp(() => createMemoryBackend({ maxPendingMessages: 2, maxFinalMessages: 2 }), { upOnStart: false });
    const app = await buildApp({ gateway: gw, logger: false });
    try {
      const post = (i: number) =>
        app.inject({ method: 'POST', url: '/v1/messages', headers: { authorization: 'Bearer k' }, payload: { to: testNumber(270 + i), text: `store ${i}` } });
      const accepted = [await post(0), await post(1)];
      expect(accepted.map((a) => a.statusCode)).toEqual([202, 202]);
      const refused = await post(2);
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBe('5');
      expect(refused.json()).toMatchObject({ code: 'GW_BACKLOG_FULL', details: { bound: 'store', limit: 2, retryAfter: 5 } });
      expect(refused.json<{ message: string }>().message).toMatch(/memory\.maxPendingMessages 2/);
      // Every accepted message is still delivered; once they are final there is room again.
      carrier.answerEverySend({ receipt: 'delivered' });
      carrier.up();
      const ids = accepted.map((a) => a.json<{ id: string }>().id);
      expect((await allFinal(gw, ids)).map((r) => r.status)).toEqual(['delivered', 'delivered']);
      expect((await post(3)).statusCode).toBe(202);
      await carrier.settled();
    } finally {
      await app.close();
    }
  });
});

describe.each(backendsUnderTest.rows)('delivery semantics (%s)', (_name, makeBackend) => {
  test('an outage: messages are accepted and held while the carrier is away, then delivered in order', async () => {
    const { gw, carrier } = await setUp(makeBackend, { upOnStart: false });
    expect(gw.links.isUp('carrier-a')).toBe(false);
    const accepted = [];
    for (let i = 0; i < 30; i += 1) accepted.push(await gw.messages.submit('demo', { to: testNumber(100 + i), text: `held ${String(i).padStart(2, '0')}` }));
    expect(accepted.every((a) => a.status === 'queued' && a.connector === 'carrier-a')).toBe(true);
    const scheduled = await gw.messages.submit('demo', { to: testNumber(200), text: 'later', scheduleAt: Date.now() + 3_600_000 });
    expect(scheduled.status).toBe('scheduled');
    const waiting = await Promise.all(accepted.map((a) => gw.messages.get('demo', a.id)));
    expect(new Set(waiting.map((r) => r.status))).toEqual(new Set(['queued']));
    expect((await gw.links.ready()).connectors).toEqual({ 'carrier-a': false });
    // Nothing is tried while the carrier is away: a send to a down link is a violation that afterEach reports, and
    // each message below is sent exactly once.
    carrier.answerEverySend({ receipt: 'delivered' });
    carrier.up();
    const records = await allFinal(gw, accepted.map((a) => a.id));
    expect(records.map((r) => r.status)).toEqual(accepted.map(() => 'delivered'));
    expect(records.map((r) => r.timeline.filter((t) => t.event === 'sending').length)).toEqual(accepted.map(() => 1));
    expect(carrier.sent().map((sent) => sent.encoded.text)).toEqual(accepted.map((_, i) => `held ${String(i).padStart(2, '0')}`));
    await carrier.settled();
  });

  test('only a full backlog refuses: 503 GW_BACKLOG_FULL with Retry-After, naming the connector and the bound', async () => {
    const { gw } = await setUp(makeBackend, { upOnStart: false }, { maxBacklogPerConnector: 3 });
    const app = await buildApp({ gateway: gw, logger: false });
    try {
      const post = (i: number) =>
        app.inject({ method: 'POST', url: '/v1/messages', headers: { authorization: 'Bearer k' }, payload: { to: testNumber(250 + i), text: `backlog ${i}` } });
      const answers = [await post(0), await post(1), await post(2)];
      expect(answers.map((a) => a.statusCode)).toEqual([202, 202, 202]);
      const refused = await post(3);
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBe('30');
      expect(refused.json()).toMatchObject({ code: 'GW_BACKLOG_FULL' });
      expect(refused.json<{ message: string }>().message).toMatch(/carrier-a .*maxBacklogPerConnector 3/);
      // A scheduled message does not wait on the connector now: it still goes in.
      const later = await app.inject({
        method: 'POST',
        url: '/v1/messages',
        headers: { authorization: 'Bearer k' },
        payload: { to: testNumber(260), text: 'later', scheduleAt: new Date(Date.now() + 3_600_000).toISOString() },
      });
      expect(later.statusCode).toBe(202);
    } finally {
      await app.close();
    }
  });

  test('a message held through an outage longer than its validity expires unsent', async () => {
    let offset = 0;
    const { gw } = await setUp(makeBackend, { upOnStart: false }, { now: () => Date.now() + offset });
    const accepted = await gw.messages.submit('demo', { to: testNumber(300), text: 'too late', validitySeconds: 60 });
    offset = 61_000;
    const [record] = await allFinal(gw, [accepted.id]);
    expect(record?.status).toBe('expired');
    expect(record?.parts.map((p) => p.status)).toEqual(['expired']);
  });

  test('a final receipt with stat UNKNOWN makes the part and the message unknown', async () => {
    const { gw, carrier } = await setUp(makeBackend);
    carrier.expectSend({ receipt: 'unknown' });
    const accepted = await gw.messages.submit('demo', { to: testNumber(600), text: 'who knows' });
    const [record] = await allFinal(gw, [accepted.id]);
    expect(record?.status).toBe('unknown');
    expect(record?.parts[0]).toMatchObject({ status: 'unknown', raw: { stat: 'UNKNOWN' } });
    await carrier.settled();
  });

  /** A carrier that sends no receipts, a 60 s receipt timeout, and a clock the test moves; one message submitted. */
  async function silentCarrier(driver: Omit<LoopbackOptions, 'id'>, to: string): Promise<{ gw: Gateway; carrier: LoopbackDriver; id: string; advance: (ms: number) => void }> {
    let offset = 0;
    const { gw, carrier } = await setUp(makeBackend, driver, { now: () => Date.now() + offset, receiptTimeoutMs: 60_000 });
    carrier.expectSend();
    const { id } = await gw.messages.submit('demo', { to, text: 'silent carrier' });
    await waitFor(async () => ((await gw.messages.get('demo', id)).status === 'submitted' ? true : undefined), 'submitted');
    return { gw, carrier, id, advance: (ms) => (offset = ms) };
  }

  test('no receipt at all: the receipt timeout settles the part by query_sm where the connector offers it', async () => {
    const { gw, carrier, id, advance } = await silentCarrier({ query: true }, testNumber(800));
    const [sent] = await carrier.whenSent(1);
    const submittedRecord = await gw.messages.get('demo', id);
    const carrierMessageId = submittedRecord.parts[0]?.carrierMessageId ?? '';
    carrier.expectQuery({ status: 'found', carrierMessageId, state: 'delivered', final: true, raw: { messageState: 2 } });
    advance(61_000);
    await gw.housekeeping.resolveTimedOut();
    expect(carrier.queries()).toEqual([{ carrierMessageId, from: sent?.from }]);
    const record = await gw.messages.get('demo', id);
    expect(record.status).toBe('delivered');
    expect(record.timeline.some((t) => t.event === 'part:delivered' && t.detail === 'query_sm after the receipt timeout')).toBe(true);
  });

  test('no receipt and no query_sm: the part becomes unknown at the receipt timeout', async () => {
    const { gw, id, advance } = await silentCarrier({}, testNumber(900));
    advance(59_000);
    expect(await gw.housekeeping.resolveTimedOut()).toBe(0);
    advance(61_000);
    expect(await gw.housekeeping.resolveTimedOut()).toBe(1);
    const record = await gw.messages.get('demo', id);
    expect(record.status).toBe('unknown');
    expect(record.parts[0]).toMatchObject({ status: 'unknown', error: { code: 'GW_RECEIPT_TIMEOUT' } });
  });
});
