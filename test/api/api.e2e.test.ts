/**
 * The HTTP API through fastify's inject, with a real gateway behind it: the SMPP driver bound to the SMSC
 * simulator over TCP, the memory backend. The one API suite kept on a real SMSC, so the API is also proven end to
 * end through real binds; the other API suites need no driver.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../api/index.ts';
import { createSmppConnector } from '../../drivers/smpp/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile } from '../../gateway/index.ts';
import type { MessageBackend } from '../../gateway/ports/backend.ts';
import { RouterHandle } from '../../router/index.ts';
import { waitFor } from '../support/wait-for.ts';
import { startSmscSimulator, type SmscSimulatorHandle } from '../../simulator/index.ts';

const KEY = 'test-key-1';
const LIMITED_KEY = 'limited-key';
const auth = { authorization: `Bearer ${KEY}` };

let simulator: SmscSimulatorHandle;
let backend: MessageBackend;
let gateway: Gateway;
let app: FastifyInstance;

beforeAll(async () => {
  simulator = await startSmscSimulator({ accounts: [{ systemId: 'gw', password: 'pw', maxBinds: 2 }] });
  backend = createMemoryBackend();
  gateway = new Gateway({
    backend,
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [createSmppConnector({ id: 'smpp-aggregator', host: '127.0.0.1', port: simulator.smppPort, systemId: 'gw', password: 'pw' })],
    accounts: [
      { id: 'demo', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP' },
      { id: 'limited', apiKeyHashes: [hashApiKey(LIMITED_KEY)], defaultCountry: 'JP', limits: { requestsPerSecond: 1 } },
    ],
  });
  await gateway.start();
  await waitFor(() => gateway.links.isUp('smpp-aggregator'), 'the bind to the SMSC simulator up');
  app = await buildApp({ gateway });
});

afterAll(async () => {
  await app.close();
  await gateway.stop();
  await backend.close();
  await simulator.close();
});


describe('POST /v1/messages', () => {
  test('accepts a national Japanese number and the message is delivered', async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/messages', headers: auth, payload: { to: '090-1234-5678', text: 'こんにちは、注文を発送しました。', clientRef: 'c-1' } });
    expect(response.statusCode).toBe(202);
    const body = response.json<{ id: string; to: string; encoding: string; parts: number; carrier: string; carrierSource: string; route: string; createdAt: string }>();
    expect(body).toMatchObject({ to: '+819012345678', encoding: 'ucs2', parts: 1, carrier: 'au', carrierSource: 'ranges', route: 'jp-least-cost' });
    expect(Number.isNaN(Date.parse(body.createdAt))).toBe(false);
    const delivered = await waitFor(async () => {
      const r = await app.inject({ method: 'GET', url: `/v1/messages/${body.id}`, headers: auth });
      const message = r.json<{ status: string; segments: number; price?: number; currency?: string; parts: { smscMessageId?: string; raw?: Record<string, unknown> }[]; timeline: { event: string }[] }>();
      return message.status === 'delivered' ? message : undefined;
    }, 'the message delivered', 10_000);
    expect(delivered.parts[0]?.smscMessageId).toMatch(/.+/);
    expect(delivered.parts[0]?.raw).toMatchObject({ stat: 'DELIVRD' });
    // jp-least-cost prices au at 3.3 JPY a segment on smpp-aggregator, the connector that carried the one part.
    expect(delivered).toMatchObject({ segments: 1, price: 3.3, currency: 'JPY' });
    expect(delivered.timeline.map((t) => t.event)).toEqual(expect.arrayContaining(['accepted', 'queued', 'sending', 'part:submitted', 'submitted', 'part:delivered', 'delivered']));
  });

  test.each([
    [{ to: '09012345678', text: 'x', colour: 'red' }, 400, 'API_INVALID_BODY', 'colour'],
    [{ text: 'x' }, 400, 'API_INVALID_BODY', 'to'],
    [{ to: '09012345678', text: 'x', encoding: 'utf8' }, 400, 'API_INVALID_BODY', 'encoding'],
    [{ to: '09012345678', text: 'x', scheduleAt: 'tomorrow' }, 400, 'API_INVALID_BODY', 'scheduleAt'],
    [{ to: 'call me', text: 'x' }, 400, 'ROUTE_NUMBER_UNPARSABLE', 'to'],
    [{ to: '09012345678', text: 'あ'.repeat(700) }, 422, 'CODEC_TOO_MANY_PARTS', undefined],
    [{ to: '09012345678', text: 'x', from: 'Far Too Long Sender' }, 400, 'ROUTE_SENDER_INVALID', undefined],
  ])('%j is refused with %i %s', async (payload, status, code, field) => {
    const response = await app.inject({ method: 'POST', url: '/v1/messages', headers: auth, payload });
    expect(response.statusCode).toBe(status);
    const body = response.json<{ code: string; message: string; field?: string }>();
    expect(body.code).toBe(code);
    expect(body.message.length).toBeGreaterThan(0);
    if (field !== undefined) expect(body.field).toBe(field);
  });

  test('a malformed JSON body is a 400, not a crash', async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/messages', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"to": ' });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ code: string }>().code).toBe('API_INVALID_JSON');
  });

  test('the same Idempotency-Key answers with the first message', async () => {
    const send = () => app.inject({ method: 'POST', url: '/v1/messages', headers: { ...auth, 'idempotency-key': 'order-77' }, payload: { to: '09012345678', text: 'once' } });
    const first = (await send()).json<{ id: string }>();
    const second = await send();
    expect(second.statusCode).toBe(202);
    expect(second.json<{ id: string; duplicate: boolean }>()).toMatchObject({ id: first.id, duplicate: true });
  });

  test('unknown or missing API keys are refused', async () => {
    const none = await app.inject({ method: 'POST', url: '/v1/messages', payload: { to: '09012345678', text: 'x' } });
    const wrong = await app.inject({ method: 'POST', url: '/v1/messages', headers: { authorization: 'Bearer nope' }, payload: { to: '09012345678', text: 'x' } });
    expect([none.statusCode, wrong.statusCode]).toEqual([401, 401]);
    expect(wrong.json<{ code: string }>().code).toBe('API_UNAUTHORIZED');
  });

  test('an account over its request rate gets 429 with Retry-After', async () => {
    const headers = { authorization: `Bearer ${LIMITED_KEY}` };
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 4; i += 1) {
      const r = await app.inject({ method: 'GET', url: '/v1/messages?limit=1', headers });
      statuses.push(r.statusCode);
      if (r.statusCode === 429) retryAfter = String(r.headers['retry-after']);
    }
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });
});

describe('batches, listings and cancel', () => {
  test('a batch accepts the valid items and reports each invalid one', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/messages/batch',
      headers: auth,
      payload: { messages: [{ to: '09012345678', text: 'one', clientRef: 'batch-1' }, { to: 'nobody', text: 'two' }, { text: 'three' }, { to: '08011112222', text: 'four', clientRef: 'batch-1' }] },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ accepted: number; refused: number; results: { index: number; ok: boolean; error?: { code: string } }[] }>();
    expect(body.accepted).toBe(2);
    expect(body.refused).toBe(2);
    expect(body.results.map((r) => [r.index, r.ok, r.error?.code])).toEqual([
      [0, true, undefined],
      [1, false, 'ROUTE_NUMBER_UNPARSABLE'],
      [2, false, 'API_INVALID_BODY'],
      [3, true, undefined],
    ]);
    const list = await app.inject({ method: 'GET', url: '/v1/messages?clientRef=batch-1&limit=1', headers: auth });
    const page = list.json<{ items: { clientRef: string }[]; nextCursor?: string }>();
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).toBeDefined();
    const next = await app.inject({ method: 'GET', url: `/v1/messages?clientRef=batch-1&limit=1&cursor=${page.nextCursor ?? ''}`, headers: auth });
    expect(next.json<{ items: unknown[]; nextCursor?: string }>()).toMatchObject({ items: [expect.objectContaining({ clientRef: 'batch-1' })] });
    const bad = await app.inject({ method: 'GET', url: '/v1/messages?cursor=zzz', headers: auth });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ code: string }>().code).toBe('GW_INVALID_CURSOR');
  });

  test('a scheduled message can be canceled; a delivered one cannot', async () => {
    const scheduleAt = new Date(Date.now() + 3_600_000).toISOString();
    const created = (await app.inject({ method: 'POST', url: '/v1/messages', headers: auth, payload: { to: '09012345678', text: 'later', scheduleAt } })).json<{ id: string; status: string }>();
    expect(created.status).toBe('scheduled');
    const canceled = await app.inject({ method: 'DELETE', url: `/v1/messages/${created.id}`, headers: auth });
    expect(canceled.statusCode).toBe(200);
    expect(canceled.json<{ status: string }>().status).toBe('canceled');
    // Its parts were never sent: they are canceled too, not left pending.
    expect(canceled.json<{ parts: { status: string }[] }>().parts.map((part) => part.status)).toEqual(['canceled']);
    const again = await app.inject({ method: 'DELETE', url: `/v1/messages/${created.id}`, headers: auth });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ code: string }>().code).toBe('GW_NOT_CANCELABLE');
    const missing = await app.inject({ method: 'GET', url: '/v1/messages/no-such-id', headers: auth });
    expect(missing.statusCode).toBe(404);
  });
});

describe('operations', () => {
  test('health, readiness, metrics and the OpenAPI document', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ ready: true, store: true, connectors: { 'smpp-aggregator': true } });
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/smsgw_messages_accepted_total\{account="demo"/);
    expect(metrics.body).toMatch(/smsgw_submits_total\{connector="smpp-aggregator",status="submitted"\}/);
    expect(metrics.body).not.toMatch(/819012345678/);
    const openapi = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(openapi.openapi).toBe('3.0.3');
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/v1/messages', '/v1/messages/{id}', '/v1/messages/batch', '/v1/inbound', '/readyz']));
    const docs = await app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });
});
