/**
 * The operations reads over HTTP (fastify inject, memory backend, a loopback carrier): GET /v1/connectors (an
 * account key reads the deployment's connectors, nothing secret in them), GET /v1/failures (the account's own
 * failed parts with code and raw values), and GET /v1/verifications/stats (counts per day, never a code).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../api/index.ts';
import { failed, LoopbackDriver, submitted } from '../../drivers/loopback/index.ts';
import { smppError } from '../../drivers/smpp/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile } from '../../gateway/index.ts';
import { RouterHandle } from '../../router/index.ts';
import { waitFor } from '../support/wait-for.ts';

const KEY = 'ops-api-key-0123456789abcdefghijklm';
const OTHER = 'ops-api-other-0123456789abcdefghijk';
const auth = { authorization: `Bearer ${KEY}` };
const otherAuth = { authorization: `Bearer ${OTHER}` };
const T0 = Date.parse('2026-12-06T03:00:00Z');

const clock = T0;
let gateway: Gateway;
let driver: LoopbackDriver;
let app: FastifyInstance;

beforeAll(async () => {
  driver = new LoopbackDriver({ id: 'smpp-aggregator', link: 'smpp-aggregator#1', now: () => clock });
  gateway = new Gateway({
    backend: createMemoryBackend({ now: () => clock }),
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [driver],
    accounts: [
      { id: 'demo', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP', verify: { countries: ['JP'] } },
      { id: 'other', apiKeyHashes: [hashApiKey(OTHER)], defaultCountry: 'JP' },
    ],
    usage: { timeZone: 'Asia/Tokyo' },
    verifySecret: Buffer.from('ops-api-deployment-secret-0123456789'),
    now: () => clock,
  });
  await gateway.start();
  app = await buildApp({ gateway, now: () => clock });
});

afterAll(async () => {
  await app.close();
  await gateway.stop();
  driver.assertIdle();
});

describe('GET /v1/connectors', () => {
  test('an account key reads every connector: links with since when, throughput, queue and window', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/connectors' })).statusCode).toBe(401);
    const response = await app.inject({ method: 'GET', url: '/v1/connectors', headers: otherAuth });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      at: new Date(T0).toISOString(),
      connectors: [
        {
          id: 'smpp-aggregator',
          kind: 'smpp',
          status: 'up',
          linksUp: 1,
          links: [{ id: 'smpp-aggregator#1', status: 'up', state: null, since: new Date(T0).toISOString(), inFlight: null, window: null, failedAttempts: null, lastError: null }],
          throughput: { perSecond: 0, windowSeconds: 10, limitTps: null, paceTps: null },
          queue: {
            waiting: 0,
            pending: 0,
            lanes: [
              { lane: 'high', waiting: 0, pending: 0 },
              { lane: 'normal', waiting: 0, pending: 0 },
              { lane: 'bulk', waiting: 0, pending: 0 },
            ],
          },
          inFlight: 0,
          window: null,
          // Memory mode: one process, which holds every slot (a driver owned whole has one).
          slots: { total: 1, heldHere: [0], heldElsewhere: [], free: [] },
        },
      ],
    });
  });

  test('the OpenAPI document describes the bind slots', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{ components: { schemas: Record<string, unknown> } }>();
    const connector = (doc.components.schemas.Connectors as { properties: { connectors: { items: { required: string[]; properties: Record<string, { required?: string[] }> } } } }).properties
      .connectors.items;
    expect(connector.required).toContain('slots');
    expect(connector.properties.slots?.required).toEqual(['total', 'heldHere', 'heldElsewhere', 'free']);
  });
});

describe('GET /v1/failures', () => {
  test("the account's failed parts with code and raw values, newest first; another account sees none; limit checked", async () => {
    driver.expectSend({ answer: failed(smppError('SMPP_SUBMIT_REJECTED', 'ESME_RINVDSTADR'), { commandStatus: 0x0b }) });
    const sent = await app.inject({ method: 'POST', url: '/v1/messages', headers: auth, payload: { to: '070-1234-5678', text: 'refused' } });
    expect(sent.statusCode).toBe(202);
    const id = sent.json<{ id: string }>().id;
    const body = await waitFor(async () => {
      const items = (await app.inject({ method: 'GET', url: '/v1/failures', headers: auth })).json<{ items: unknown[] }>().items;
      return items.length > 0 ? items : undefined;
    }, 'the failure listed');
    expect(body).toEqual([
      {
        at: new Date(T0).toISOString(),
        messageId: id,
        to: '+817012345678',
        carrier: expect.any(String) as string,
        connector: 'smpp-aggregator',
        seq: 1,
        status: 'failed',
        error: { code: 'SMPP_SUBMIT_REJECTED', message: expect.any(String) as string },
        raw: { commandStatus: 11 },
      },
    ]);
    expect((await app.inject({ method: 'GET', url: '/v1/failures', headers: otherAuth })).json()).toEqual({ items: [] });
    const tooMany = await app.inject({ method: 'GET', url: '/v1/failures?limit=101', headers: auth });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json()).toMatchObject({ field: 'limit' });
  });
});

describe('GET /v1/verifications/stats', () => {
  test('counts per Tokyo day of the calling account, every day of the range, never a code', async () => {
    driver.answerEverySend({ answer: submitted() });
    const started = await app.inject({ method: 'POST', url: '/v1/verifications', headers: auth, payload: { to: '090-5555-0001' } });
    expect(started.statusCode).toBe(201);
    await driver.settled();
    const code = /認証コード: ([0-9]+)/.exec(driver.sent().findLast((request) => request.to === '+819055550001')?.encoded.text ?? '')?.[1] ?? '';
    const wrong = code === '000000' ? '111111' : '000000';
    const id = started.json<{ id: string }>().id;
    expect((await app.inject({ method: 'POST', url: `/v1/verifications/${id}/check`, headers: auth, payload: { code: wrong } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: `/v1/verifications/${id}/check`, headers: auth, payload: { code } })).json()).toMatchObject({ status: 'approved' });
    expect((await app.inject({ method: 'POST', url: '/v1/verifications', headers: auth, payload: { to: '+1 415 555 0100' } })).statusCode).toBe(403);

    const response = await app.inject({ method: 'GET', url: '/v1/verifications/stats?from=2026-12-05&to=2026-12-06', headers: auth });
    expect(response.statusCode).toBe(200);
    const refused = { number: 0, account: 0, velocity: 0, conversion: 0, country: 0, interval: 0 };
    const zeros = { started: 0, sent: 0, approved: 0, failed: 0, max_attempts_reached: 0, expired: 0, canceled: 0 };
    const day = { ...zeros, started: 1, sent: 1, approved: 1, failed: 1, refused: { ...refused, country: 1 } };
    expect(response.json()).toEqual({
      from: '2026-12-05',
      to: '2026-12-06',
      timeZone: 'Asia/Tokyo',
      total: day,
      days: [
        { day: '2026-12-05', ...zeros, refused },
        { day: '2026-12-06', ...day },
      ],
    });
    expect(response.body).not.toContain(code);
    expect(response.body).not.toContain('819055550001');
    const other = await app.inject({ method: 'GET', url: '/v1/verifications/stats?from=2026-12-06&to=2026-12-06', headers: otherAuth });
    expect(other.json<{ total: unknown }>().total).toEqual({ ...zeros, refused });
    driver.answerEverySend(undefined);
  });

  test('a missing, impossible or too long range is refused with the field', async () => {
    const missing = await app.inject({ method: 'GET', url: '/v1/verifications/stats?from=2026-12-01', headers: auth });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ code: 'API_INVALID_QUERY', field: 'to' });
    const impossible = await app.inject({ method: 'GET', url: '/v1/verifications/stats?from=2026-02-30&to=2026-03-01', headers: auth });
    expect(impossible.statusCode).toBe(400);
    expect(impossible.json()).toMatchObject({ code: 'VERIFY_INVALID_REQUEST', field: 'from' });
    const long = await app.inject({ method: 'GET', url: '/v1/verifications/stats?from=2025-01-01&to=2026-12-31', headers: auth });
    expect(long.json()).toMatchObject({ code: 'VERIFY_INVALID_REQUEST', field: 'to', details: { limit: 366 } });
  });
});

test('the OpenAPI document lists the three reads with their schemas', async () => {
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } }>();
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/connectors', '/v1/failures', '/v1/verifications/stats']));
  expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Connectors', 'Failures', 'VerificationStats']));
});
