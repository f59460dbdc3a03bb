/**
 * Bind slots in the operations reads on a real Redis: another process (present, holding slot 3 of a four-bind
 * connector) leaves this one a fair share of two; GET /v1/connectors and the console's operations page show the
 * slots held here, elsewhere and free by number and count, never the other process's name (it names its host).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildApp } from '../../api/index.ts';
import { createSmppConnector } from '../../drivers/smpp/index.ts';
import { createRedisBackend, Gateway, hashApiKey, loadRoutingFile, type RedisBackend } from '../../gateway/index.ts';
import { RouterHandle } from '../../router/index.ts';
import { startSmscSimulator, type SmscSimulatorHandle } from '../../simulator/index.ts';
import { signedInClient } from '../support/console-inject.ts';
import { redisTestKeys } from '../support/redis-test-keys.ts';
import { REDIS_URL } from '../support/test-backends.ts';

const KEY = 'slots-api-key-0123456789abcdefghijk';
const HERE = 'gw-a.internal.example-41-0c1d2e3f';
const ELSEWHERE = 'gw-b.internal.example-77-9a8b7c6d';
/** Long enough that no lease lapses and no later round runs while the test reads. */
const LEASE_MS = 120_000;

const keys = redisTestKeys();
let simulator: SmscSimulatorHandle;
let backend: RedisBackend;
let gateway: Gateway;
let app: FastifyInstance;

beforeAll(async () => {
  simulator = await startSmscSimulator({ accounts: [{ systemId: 'gw', password: 'pw', maxBinds: 4 }] });
  backend = createRedisBackend({ url: REDIS_URL, prefix: keys.prefix() });
  const leases = backend.binds;
  if (leases === undefined) throw new Error('the Redis backend shares bind ownership');
  // The other process is alive and holds slot 3 before this one starts.
  await leases.present(ELSEWHERE, LEASE_MS);
  expect(await leases.take('carrier-a', 3, ELSEWHERE, LEASE_MS)).toBe(true);
  gateway = new Gateway({
    backend,
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [createSmppConnector({ id: 'carrier-a', host: '127.0.0.1', port: simulator.smppPort, systemId: 'gw', password: 'pw', binds: 4 })],
    accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP' }],
    consumer: HERE,
    leaseMs: LEASE_MS,
  });
  // The first ownership round runs within start: two live processes, a share of ceil(4 / 2) = 2.
  await gateway.start();
  app = await buildApp({ gateway, console: { secureCookie: false } });
});

afterAll(async () => {
  await app.close();
  await gateway.stop();
  await backend.close();
  await simulator.close();
  await keys.cleanup();
});

test('GET /v1/connectors: the slots this process holds, those another holds and the free one, by number only', async () => {
  expect(gateway.heldBinds('carrier-a')).toEqual([0, 1]);
  const response = await app.inject({ method: 'GET', url: '/v1/connectors', headers: { authorization: `Bearer ${KEY}` } });
  expect(response.statusCode).toBe(200);
  const connectors = response.json<{ connectors: { id: string; slots: unknown }[] }>().connectors;
  expect(connectors.map((c) => [c.id, c.slots])).toEqual([['carrier-a', { total: 4, heldHere: [0, 1], heldElsewhere: [3], free: [2] }]]);
  expect(response.body).not.toContain('example');
});

test('the operations page shows the slots in both languages', async () => {
  const client = await signedInClient(app, { apiKey: KEY });
  const ja = await client.get('/console/operations');
  expect(ja.statusCode).toBe(200);
  expect(ja.body).toContain('data-testid="slots" data-here="0 1" data-elsewhere="3" data-free="2">このプロセス 2/4・他のプロセス 1・空き 1</dd>');
  const en = await client.get('/console/operations', { 'accept-language': 'en' });
  expect(en.body).toContain('>2/4 here, 1 elsewhere, 1 free</dd>');
  expect(en.body).not.toContain('example');
});
