/**
 * An event log that takes nothing (Kafka and the outbox both away) does not turn an accepted message into a
 * refusal: the record is stored and the message goes out; the lost events are counted.
 */
import { afterEach, expect, test } from 'vitest';
import { LoopbackDriver } from '../../drivers/loopback/index.ts';
import { createMemoryBackend, Gateway, gatewayError, hashApiKey, loadRoutingFile, type EventTransport } from '../../gateway/index.ts';
import { RouterHandle } from '../../router/index.ts';
import { waitFor } from '../support/wait-for.ts';

// Kafka and the Redis outbox both unreachable: every publish fails.
const unavailable = () => Promise.reject(gatewayError('GW_EVENTS_UNAVAILABLE', 'test: nothing takes events'));
const unreachable: EventTransport = {
  shared: true,
  accepting: true,
  interested: () => true,
  publish: unavailable,
  appendReceipt: unavailable,
  park: unavailable,
  consume: () => Promise.resolve(),
  stopConsuming: () => Promise.resolve(),
  subscribe: () => () => undefined,
  close: () => Promise.resolve(),
};

let driver: LoopbackDriver | undefined;
let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.stop();
  driver?.assertIdle();
});

test('accepted messages still go out when no event can be published, and the lost events are counted', async () => {
  driver = new LoopbackDriver({ id: 'smpp-aggregator' }).expectSend();
  gateway = new Gateway({
    backend: createMemoryBackend(),
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [driver],
    accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey('k')], defaultCountry: 'JP' }],
    events: unreachable,
  });
  await gateway.start();
  const gw = gateway;
  expect(gw.links.isUp('smpp-aggregator')).toBe(true);
  const accepted = await gw.messages.submit('demo', { to: '090-1234-5678', text: 'hello' });
  expect(accepted.status).toBe('queued');
  const sent = await driver.whenSent(1);
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({ messageId: accepted.id, to: '+819012345678', encoded: { text: 'hello' } });
  const failed = await waitFor(async () => {
    const value = (await gw.metrics.eventsFailed.get()).values[0]?.value ?? 0;
    return value >= 2 ? value : undefined;
  }, 'the accept events counted as lost');
  expect(failed).toBeGreaterThanOrEqual(2);
});
