/**
 * An event log that takes nothing (Kafka and the outbox both away) does not turn an accepted message into a
 * refusal: the record is stored and the message goes out; the lost events are counted.
 */
import { afterEach, expect, test } from 'vitest';
import { createSmppConnector } from '../../drivers/smpp/index.ts';
import { createMemoryBackend, Gateway, gatewayError, hashApiKey, loadRoutingFile, type EventTransport } from '../../gateway/index.ts';
import { RouterHandle } from '../../router/index.ts';
import { startSmscSimulator, type SmscSimulatorHandle } from '../../simulator/index.ts';
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

let simulator: SmscSimulatorHandle | undefined;
let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.stop();
  await simulator?.close();
});

test('accepted messages still go out when no event can be published, and the lost events are counted', async () => {
  simulator = await startSmscSimulator({ accounts: [{ systemId: 'gw', password: 'pw', maxBinds: 2 }] });
  const driver = createSmppConnector({ id: 'smpp-aggregator', host: '127.0.0.1', port: simulator.smppPort, systemId: 'gw', password: 'pw', binds: 1, reconnect: { initialMs: 50, maxMs: 500 } });
  gateway = new Gateway({
    backend: createMemoryBackend(),
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [driver],
    accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey('k')], defaultCountry: 'JP' }],
    events: unreachable,
  });
  await gateway.start();
  const gw = gateway;
  await waitFor(() => (gw.links.isUp('smpp-aggregator') ? true : undefined), 'bind up');
  const accepted = await gw.messages.submit('demo', { to: '090-1234-5678', text: 'hello' });
  expect(accepted.status).toBe('queued');
  await waitFor(() => (simulator?.messages({}).length === 1 ? true : undefined), 'the message at the SMSC');
  const failed = await waitFor(async () => {
    const value = (await gw.metrics.eventsFailed.get()).values[0]?.value ?? 0;
    return value >= 2 ? value : undefined;
  }, 'the accept events counted as lost');
  expect(failed).toBeGreaterThanOrEqual(2);
});
