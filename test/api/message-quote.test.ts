/** POST /v1/messages/quote: the messages service's quote over HTTP, with the body and the codes of POST /v1/messages. */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { buildApp } from '../../api/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile } from '../../gateway/index.ts';
import { RouterHandle } from '../../router/index.ts';

const KEY = 'quote-api-key-000001';
const auth = { authorization: `Bearer ${KEY}` };
let app: FastifyInstance | undefined;
let gateway: Gateway | undefined;

afterEach(async () => {
  await app?.close();
  await gateway?.stop();
  app = undefined;
  gateway = undefined;
});

async function setUp(): Promise<FastifyInstance> {
  const now = () => Date.parse('2026-01-15T03:00:00Z');
  gateway = new Gateway({
    backend: createMemoryBackend({ now }),
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [],
    accounts: [{ id: 'shop', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP' }],
    now,
  });
  app = await buildApp({ gateway, now });
  return app;
}

describe('POST /v1/messages/quote', () => {
  test('answers the route and the parts under docomo’s profile, and stores nothing', async () => {
    const api = await setUp();
    const answer = await api.inject({ method: 'POST', url: '/v1/messages/quote', headers: auth, payload: { to: '080-1234-5678', text: 'あ'.repeat(71) } });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({
      acceptable: true,
      refusals: [],
      route: { to: '+818012345678', carrier: 'docomo', rule: 'japan', route: 'jp-least-cost', connectors: ['smpp-aggregator', 'modem-pool'], pricePerSegment: 3.2, currency: 'JPY' },
      encoding: { carrier: 'docomo', refSize: 16, encoding: 'ucs2', characters: 71, parts: 2, partUnits: 66, maxUnits: 660, price: 6.4 },
    });
    const list = await api.inject({ method: 'GET', url: '/v1/messages', headers: auth });
    expect(list.json()).toEqual({ items: [] });
  });

  test('refusals carry the codes, fields and details a submit answers with', async () => {
    const api = await setUp();
    const quote = await api.inject({ method: 'POST', url: '/v1/messages/quote', headers: auth, payload: { to: '12', text: 'a\u0001' } });
    expect(quote.statusCode).toBe(200);
    const body = quote.json<{ acceptable: boolean; refusals: { code: string; field?: string }[] }>();
    expect(body.acceptable).toBe(false);
    expect(body.refusals.map((r) => [r.code, r.field])).toEqual([
      ['GW_CONTROL_CHARACTER', 'text'],
      ['ROUTE_NUMBER_TOO_SHORT', 'to'],
    ]);
    const submit = await api.inject({ method: 'POST', url: '/v1/messages', headers: auth, payload: { to: '12', text: 'a\u0001' } });
    expect(submit.json()).toMatchObject(body.refusals[0] ?? {});
  });

  test('the body is checked against the submit schema, and the API key is required', async () => {
    const api = await setUp();
    expect((await api.inject({ method: 'POST', url: '/v1/messages/quote', headers: auth, payload: { text: 'no recipient' } })).json()).toMatchObject({ code: 'API_INVALID_BODY' });
    expect((await api.inject({ method: 'POST', url: '/v1/messages/quote', payload: { to: '09012345678', text: 'x' } })).statusCode).toBe(401);
  });
});
