/**
 * Usage figures against the messages actually sent: the gateway on the memory backend (embedded mode) and on Redis
 * (Redis mode, events in process), the SMPP driver bound to the SMSC simulator, and GET /v1/usage read through the
 * API: every dimension, and the price (jp-least-cost prices au at 3.3 JPY a segment on smpp-aggregator).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { buildApp } from '../../../api/index.ts';
import { createSmppConnector } from '../../../drivers/smpp/index.ts';
import { Gateway, hashApiKey, loadRoutingFile, type MessageBackend } from '../../../gateway/index.ts';
import { RouterHandle } from '../../../router/index.ts';
import { startSmscSimulator, type SmscSimulatorHandle } from '../../../simulator/index.ts';
import { testBackends } from '../../support/test-backends.ts';
import { waitFor } from '../../support/wait-for.ts';

const auth = { authorization: 'Bearer usage-e2e-key' };
const backends = testBackends();
afterAll(() => backends.removeRedisKeys());

describe.each(backends.rows)('usage on the %s backend', (_name, makeBackend) => {
  let simulator: SmscSimulatorHandle | undefined;
  let backend: MessageBackend | undefined;
  let gateway: Gateway | undefined;
  let app: FastifyInstance | undefined;

  afterEach(async () => {
    await app?.close();
    await gateway?.stop();
    await backend?.close();
    await simulator?.close();
  });

  test('counts each delivered message once, by day, month, carrier, connector and status, with its price', async () => {
    simulator = await startSmscSimulator({ accounts: [{ systemId: 'gw', password: 'pw', maxBinds: 2 }] });
    backend = makeBackend();
    gateway = new Gateway({
      backend,
      router: new RouterHandle(loadRoutingFile(undefined)),
      drivers: [createSmppConnector({ id: 'smpp-aggregator', host: '127.0.0.1', port: simulator.smppPort, systemId: 'gw', password: 'pw' })],
      accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey('usage-e2e-key')], defaultCountry: 'JP' }],
    });
    await gateway.start();
    await waitFor(() => gateway?.links.isUp('smpp-aggregator'), 'bind up');
    app = await buildApp({ gateway });
    const api = app;
    const ids: string[] = [];
    for (const text of ['こんにちは', 'あ'.repeat(140)]) {
      const accepted = await api.inject({ method: 'POST', url: '/v1/messages', headers: auth, payload: { to: '090-1234-5678', text } });
      expect(accepted.statusCode).toBe(202);
      ids.push(accepted.json<{ id: string }>().id);
    }
    const today = new Date().toISOString().slice(0, 10);
    const usage = async (groupBy: string) => (await api.inject({ method: 'GET', url: `/v1/usage?from=${today}&to=${today}&groupBy=${groupBy}`, headers: auth })).json<{ items: unknown[]; total: unknown }>();
    // Both delivered (their final status counted too): the figures are complete.
    await waitFor(async () => ((await usage('status')).total as { messages: number }).messages === 2 || undefined, 'both messages final in usage', 15_000);
    const statuses = await Promise.all(ids.map(async (id) => (await api.inject({ method: 'GET', url: `/v1/messages/${id}`, headers: auth })).json<{ status: string }>().status));
    expect(statuses).toEqual(['delivered', 'delivered']);

    const figures = { messages: 2, segments: 4, price: { JPY: 13.2 } };
    expect(await usage('day')).toEqual({ from: today, to: today, groupBy: 'day', timeZone: 'UTC', items: [{ day: today, ...figures }], total: figures });
    expect((await usage('month')).items).toEqual([{ month: today.slice(0, 7), ...figures }]);
    expect((await usage('carrier')).items).toEqual([{ carrier: 'au', ...figures }]);
    expect((await usage('connector')).items).toEqual([{ connector: 'smpp-aggregator', ...figures }]);
    expect((await usage('status')).items).toEqual([{ status: 'delivered', ...figures }]);
    const csv = await api.inject({ method: 'GET', url: `/v1/usage?from=${today}&to=${today}&groupBy=carrier&format=csv`, headers: auth });
    expect(csv.body).toBe('\uFEFFcarrier,messages,segments,price_JPY\r\nau,2,4,13.2\r\n');
  });
});
