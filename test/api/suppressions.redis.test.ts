/**
 * The suppression list on the Redis backend, through the HTTP API: an entry added by the API refuses a submit
 * (single and batch item) in this gateway and in a second gateway process sharing the same Redis, and a lift
 * lets the number through again in both.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildApp } from '../../api/index.ts';
import { createRedisBackend, Gateway, hashApiKey, loadRoutingFile, type AccountConfig } from '../../gateway/index.ts';
import type { MessageBackend } from '../../gateway/ports/backend.ts';
import { RouterHandle } from '../../router/index.ts';
import { REDIS_URL } from '../support/test-backends.ts';

const KEY = 'suppress-redis-key-0123456789abcdefg';
const auth = { authorization: `Bearer ${KEY}` };
const prefix = `smsgw-test:${randomUUID()}:`;
const accounts: AccountConfig[] = [{ id: 'demo', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP' }];

const processes: { backend: MessageBackend; gateway: Gateway; app: FastifyInstance }[] = [];

beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    const backend = createRedisBackend({ url: REDIS_URL, prefix });
    const gateway = new Gateway({ backend, router: new RouterHandle(loadRoutingFile(undefined)), drivers: [], accounts });
    processes.push({ backend, gateway, app: await buildApp({ gateway }) });
  }
});

afterAll(async () => {
  for (const { app, gateway, backend } of processes) {
    await app.close();
    await gateway.stop();
    await backend.close();
  }
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

test('an entry added through one process refuses submits in both until it is lifted', async () => {
  const [first, second] = processes as [(typeof processes)[0], (typeof processes)[0]];
  const added = await first.app.inject({ method: 'POST', url: '/v1/suppressions', headers: auth, payload: { number: '090-7000-0001', reason: 'opt-out' } });
  expect(added.statusCode).toBe(201);
  for (const { app } of processes) {
    const refused = await app.inject({ method: 'POST', url: '/v1/messages', headers: auth, payload: { to: '09070000001', text: 'sale' } });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'GW_RECIPIENT_SUPPRESSED', field: 'to', details: { reason: 'opt-out' } });
  }
  const batch = await second.app.inject({
    method: 'POST',
    url: '/v1/messages/batch',
    headers: auth,
    payload: { messages: [{ to: '09070000002', text: 'a' }, { to: '+819070000001', text: 'b' }] },
  });
  expect(batch.json()).toMatchObject({ accepted: 1, refused: 1, results: [{ ok: true }, { ok: false, error: { code: 'GW_RECIPIENT_SUPPRESSED' } }] });
  const found = await second.app.inject({ method: 'GET', url: '/v1/suppressions/09070000001', headers: auth });
  expect(found.json()).toMatchObject({ suppressed: true, entries: [{ reason: 'opt-out' }], history: [{ action: 'suppressed' }] });

  expect((await second.app.inject({ method: 'DELETE', url: '/v1/suppressions/09070000001', headers: auth })).statusCode).toBe(200);
  for (const { app } of processes) {
    expect((await app.inject({ method: 'POST', url: '/v1/messages', headers: auth, payload: { to: '09070000001', text: 'welcome back' } })).statusCode).toBe(202);
  }
  const page = await first.app.inject({ method: 'GET', url: '/v1/suppressions', headers: auth });
  expect(page.json()).toMatchObject({ items: [], count: 0 });
});
