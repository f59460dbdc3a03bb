/**
 * Two gateway cores in one test process on one Redis prefix, one SMPP connector with a single bind: the first holds
 * the slot; the second holds none, yet accepts (routing and /readyz count the connector as up, since another
 * process holds it) and its messages go out on the first's bind; a clean stop of the first hands the slot over.
 */
import { afterAll, expect, test } from 'vitest';
import { createSmppConnector } from '../../drivers/smpp/index.ts';
import { createRedisBackend, hashApiKey, loadRoutingFile, type RedisBackend } from '../../gateway/index.ts';
import { Gateway } from '../../gateway/gateway.ts';
import { RouterHandle } from '../../router/index.ts';
import { startSmscSimulator, type SmscSimulatorHandle } from '../../simulator/index.ts';
import { redisTestKeys } from '../support/redis-test-keys.ts';
import { REDIS_URL } from '../support/test-backends.ts';
import { waitFor } from '../support/wait-for.ts';

const keys = redisTestKeys();
const backends: RedisBackend[] = [];
const gateways: Gateway[] = [];
let simulator: SmscSimulatorHandle | undefined;

afterAll(async () => {
  for (const gateway of gateways) await gateway.stop();
  for (const backend of backends) await backend.close();
  await simulator?.close();
  await keys.cleanup();
});

test('a process without a bind accepts; its messages go out on the bind another process holds; a clean stop hands the slot over', async () => {
  simulator = await startSmscSimulator({ accounts: [{ systemId: 'gw', password: 'pw', maxBinds: 1 }] });
  const prefix = keys.prefix();
  const core = (name: string): Gateway => {
    const backend = createRedisBackend({ url: REDIS_URL, prefix });
    backends.push(backend);
    const gateway = new Gateway({
      backend,
      router: new RouterHandle(loadRoutingFile(undefined)),
      drivers: [createSmppConnector({ id: 'smpp-aggregator', host: '127.0.0.1', port: simulator!.smppPort, systemId: 'gw', password: 'pw', binds: 1, reconnect: { initialMs: 50, maxMs: 500 } })],
      accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey('k')], defaultCountry: 'JP' }],
      consumer: name,
      leaseMs: 1_000,
    });
    gateways.push(gateway);
    return gateway;
  };
  const first = core('first');
  await first.start();
  await waitFor(() => first.links.isUp('smpp-aggregator'), 'the first bound');
  const second = core('second');
  await second.start();
  expect(first.heldBinds('smpp-aggregator')).toEqual([0]);
  expect(second.heldBinds('smpp-aggregator')).toEqual([]);
  expect(second.links.isUp('smpp-aggregator')).toBe(false);
  await waitFor(async () => (await second.links.ready()).ready, 'the second ready on the first one bind');

  const accepted = await second.messages.submit('demo', { to: '090-1234-5678', text: 'through the other process' });
  await waitFor(async () => (await first.messages.get('demo', accepted.id)).status === 'delivered', 'delivered');
  expect(simulator.binds()).toHaveLength(1);
  expect(simulator.counts().bindFailures).toBe(0);

  await first.stop();
  gateways.splice(gateways.indexOf(first), 1);
  await waitFor(() => second.heldBinds('smpp-aggregator').length === 1 && second.links.isUp('smpp-aggregator'), 'the second bound', 10_000);
  expect(simulator.counts().bindFailures).toBe(0);
});
