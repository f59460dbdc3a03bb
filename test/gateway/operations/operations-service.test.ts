/**
 * The operations read of a running gateway (memory backend, loopback connectors, a clock the test moves): links
 * with since when they are up or down and the listeners told at once, throughput of the parts that reached the
 * carrier, the route queue's backlog, and an account's recent failures with their codes and raw carrier values.
 */
import { afterEach, expect, test } from 'vitest';
import { failed, LoopbackDriver, submitted } from '../../../drivers/loopback/index.ts';
import { smppError } from '../../../drivers/smpp/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile } from '../../../gateway/index.ts';
import { RouterHandle } from '../../../router/index.ts';
import { waitFor } from '../../support/wait-for.ts';

const CONNECTOR = 'smpp-aggregator';
const T0 = Date.UTC(2026, 11, 6, 3, 0, 0);

let gateway: Gateway | undefined;
let driver: LoopbackDriver | undefined;
afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
  driver?.assertIdle();
  driver = undefined;
});

async function start(clock: { now: number }, options: { maxInFlightPerConnector?: number } = {}): Promise<{ gw: Gateway; driver: LoopbackDriver }> {
  driver = new LoopbackDriver({ id: CONNECTOR, link: 'bind-1', upOnStart: false, now: () => clock.now });
  gateway = new Gateway({
    backend: createMemoryBackend({ now: () => clock.now }),
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [driver],
    accounts: [
      { id: 'shop', apiKeyHashes: [hashApiKey('shop-key-0000000000')], defaultCountry: 'JP' },
      { id: 'other', apiKeyHashes: [hashApiKey('other-key-000000000')], defaultCountry: 'JP' },
    ],
    now: () => clock.now,
    ...options,
  });
  await gateway.start();
  return { gw: gateway, driver };
}

test('links: since when each is up or down, and listeners hear of each change at once', async () => {
  const clock = { now: T0 };
  const { gw, driver } = await start(clock);
  const heard: string[] = [];
  const stop = gw.operations.onLinkChange((id) => heard.push(id));

  let snapshot = await gw.operations.connectors();
  expect(snapshot.at).toBe(T0);
  // Started, nothing told yet: down since the driver was first watched.
  expect(snapshot.connectors).toMatchObject([{ id: CONNECTOR, kind: 'smpp', status: 'down', linksUp: 0, links: [] }]);
  // Memory mode is one process: it holds every bind slot (a driver without slots of its own is one).
  expect(snapshot.connectors[0]?.slots).toEqual({ total: 1, heldHere: [0], heldElsewhere: [], free: [] });

  clock.now = T0 + 5_000;
  driver.up('bind-1');
  clock.now = T0 + 9_000;
  driver.up('bind-2');
  snapshot = await gw.operations.connectors();
  expect(snapshot.connectors[0]).toMatchObject({ status: 'up', linksUp: 2 });
  expect(snapshot.connectors[0]?.links.map((link) => [link.id, link.status, link.since])).toEqual([
    ['bind-1', 'up', T0 + 5_000],
    ['bind-2', 'up', T0 + 9_000],
  ]);

  clock.now = T0 + 60_000;
  driver.down('bind-2', 'SMPP_CONNECTION_LOST');
  // A link that keeps failing to come up stays down since it went down.
  clock.now = T0 + 65_000;
  driver.down('bind-2', 'SMPP_CONNECT_FAILED');
  expect(gw.links.linkSince(CONNECTOR, 'bind-2')).toBe(T0 + 60_000);
  expect(gw.links.linkSince(CONNECTOR, 'bind-1')).toBe(T0 + 5_000);
  expect(heard).toEqual([CONNECTOR, CONNECTOR, CONNECTOR]);
  stop();
  driver.down('bind-1');
  expect(heard).toHaveLength(3);
  expect((await gw.operations.connectors()).connectors[0]).toMatchObject({ status: 'down', linksUp: 0 });
});

test('throughput counts the parts that reached the carrier over the last ten seconds', async () => {
  const clock = { now: T0 };
  const { gw, driver } = await start(clock);
  driver.up('bind-1');
  driver.answerEverySend({ answer: submitted() });
  for (let i = 0; i < 5; i++) await gw.messages.submit('shop', { to: `090-1234-567${i}`, text: `hello ${i}` });
  await driver.whenSent(5);
  await driver.settled();
  // A refusal the driver decided alone (no carrier answer) took no TPS; one the carrier answered did.
  driver.expectSend({ answer: failed(smppError('SMPP_NOT_BOUND', 'no bind')) });
  driver.expectSend({ answer: failed(smppError('SMPP_SUBMIT_REJECTED', 'ESME_RINVDSTADR'), { commandStatus: 0x0b }) });
  await gw.messages.submit('shop', { to: '090-1234-5680', text: 'refused by the driver' });
  await gw.messages.submit('shop', { to: '090-1234-5681', text: 'refused by the carrier' });
  await driver.whenSent(7);
  await driver.settled();
  await waitFor(async () => ((await gw.operations.connectors()).connectors[0]?.throughput.perSecond === 0.6 ? true : undefined), 'six parts counted');
  expect((await gw.operations.connectors()).connectors[0]?.throughput).toEqual({ perSecond: 0.6, windowSeconds: 10, limitTps: null, paceTps: null });
  clock.now = T0 + 11_000;
  expect((await gw.operations.connectors()).connectors[0]?.throughput.perSecond).toBe(0);

});

test('the queue shows the backlog: messages not yet taken (waiting) and taken by a worker, not yet done (pending)', async () => {
  const clock = { now: T0 };
  const { gw, driver } = await start(clock, { maxInFlightPerConnector: 1 });
  driver.up('bind-1');
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  // The first send is held by the carrier; with one message in flight at most, the others wait in the queue.
  driver.expectSend({ before: () => held });
  driver.answerEverySend({ answer: submitted() });
  await gw.messages.submit('shop', { to: '090-1234-5690', text: 'held' });
  await driver.whenSent(1);
  await gw.messages.submit('shop', { to: '090-1234-5691', text: 'waits' });
  await gw.messages.submit('shop', { to: '090-1234-5692', text: 'waits first', priority: 'high' });
  const queue = (await gw.operations.connectors()).connectors[0]?.queue;
  expect(queue).toMatchObject({ waiting: 2, pending: 1 });
  expect(queue?.lanes).toEqual([
    { lane: 'high', waiting: 1, pending: 0 },
    { lane: 'normal', waiting: 1, pending: 1 },
    { lane: 'bulk', waiting: 0, pending: 0 },
  ]);
  release();
  await driver.whenSent(3);
  await driver.settled();
  await waitFor(async () => ((await gw.operations.connectors()).connectors[0]?.queue.pending === 0 ? true : undefined), 'the queue drained');
});

test("recent failures: the account's failed and undelivered parts, newest first, with code and raw values; never another account's", async () => {
  const clock = { now: T0 };
  const { gw, driver } = await start(clock);
  driver.up('bind-1');
  driver.expectSend({ answer: failed(smppError('SMPP_SUBMIT_REJECTED', 'ESME_RINVDSTADR'), { commandStatus: 0x0b }) });
  const rejected = await gw.messages.submit('shop', { to: '070-1234-5678', text: 'rejected' });
  await driver.whenSent(1);
  await driver.settled();
  clock.now = T0 + 1_000;
  driver.expectSend({ answer: submitted('c-2'), receipt: { state: 'undeliverable', raw: { stat: 'UNDELIV', err: '001', networkErrorCode: '030001' } } });
  const undelivered = await gw.messages.submit('shop', { to: '090-1234-5678', text: 'undelivered' });
  await driver.whenSent(2);
  clock.now = T0 + 2_000;
  driver.expectSend({ answer: submitted('c-3'), receipt: 'delivered' });
  await gw.messages.submit('shop', { to: '090-1234-5679', text: 'delivered' });
  driver.expectSend({ answer: failed(smppError('SMPP_SUBMIT_REJECTED', 'ESME_RINVSRCADR'), { commandStatus: 0x0a }) });
  await gw.messages.submit('other', { to: '090-1234-5670', text: 'another account' });
  await driver.whenSent(4);
  await driver.settled();

  const failures = await waitFor(async () => {
    const found = await gw.operations.recentFailures('shop');
    return found.length === 2 ? found : undefined;
  }, 'two failures of shop');
  expect(failures).toMatchObject([
    { messageId: undelivered.id, to: '+819012345678', connectorId: CONNECTOR, seq: 1, status: 'undelivered', error: null, raw: { stat: 'UNDELIV', err: '001', networkErrorCode: '030001' } },
    { messageId: rejected.id, to: '+817012345678', connectorId: CONNECTOR, seq: 1, status: 'failed', error: { code: 'SMPP_SUBMIT_REJECTED' }, raw: { commandStatus: 0x0b }, at: T0 },
  ]);
  expect(await gw.operations.recentFailures('shop', { limit: 1 })).toHaveLength(1);
  expect((await gw.operations.recentFailures('other')).map((failure) => failure.raw)).toEqual([{ commandStatus: 0x0a }]);
  // A day later they are out of the window.
  clock.now = T0 + 25 * 3_600_000;
  expect(await gw.operations.recentFailures('shop')).toEqual([]);
});
