/**
 * GET /v1/usage validation and formats, and account quotas through POST /v1/messages and batches, on the memory
 * backend with no driver (accepted messages wait in their queue) and a manual clock at a JST day boundary.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { buildApp } from '../../api/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile, type AccountConfig } from '../../gateway/index.ts';
import { RouterHandle } from '../../router/index.ts';

const KEY = 'usage-test-key';
const auth = { authorization: `Bearer ${KEY}` };
// 2026-01-15 23:59:58 in Tokyo.
const JST_LATE = Date.parse('2026-01-15T14:59:58Z');

let app: FastifyInstance | undefined;
let gateway: Gateway | undefined;

afterEach(async () => {
  await app?.close();
  await gateway?.stop();
  app = undefined;
  gateway = undefined;
});

async function setUp(account: Partial<AccountConfig> = {}, timeZone = 'Asia/Tokyo', clock = { now: JST_LATE }): Promise<FastifyInstance> {
  gateway = new Gateway({
    backend: createMemoryBackend({ now: () => clock.now }),
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [],
    accounts: [{ id: 'shop', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP', ...account }],
    usage: { timeZone },
    now: () => clock.now,
  });
  app = await buildApp({ gateway });
  return app;
}

describe('GET /v1/usage', () => {
  test.each([
    ['from=2026-01-01', 'API_INVALID_QUERY', 'to'],
    ['from=2026-1-1&to=2026-01-02', 'API_INVALID_QUERY', 'from'],
    ['from=2026-01-01&to=2026-01-02&groupBy=week', 'API_INVALID_QUERY', 'groupBy'],
    ['from=2026-01-01&to=2026-01-02&format=xml', 'API_INVALID_QUERY', 'format'],
    ['from=2026-02-30&to=2026-03-01', 'GW_INVALID_USAGE_QUERY', 'from'],
    ['from=2026-03-02&to=2026-03-01', 'GW_INVALID_USAGE_QUERY', 'from'],
    ['from=2025-01-01&to=2026-01-02', 'GW_INVALID_USAGE_QUERY', 'to'],
  ])('?%s is refused with 400 %s naming %s', async (query, code, field) => {
    const api = await setUp();
    const response = await api.inject({ method: 'GET', url: `/v1/usage?${query}`, headers: auth });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code, field });
  });

  test('needs an API key', async () => {
    const api = await setUp();
    expect((await api.inject({ method: 'GET', url: '/v1/usage?from=2026-01-01&to=2026-01-02' })).statusCode).toBe(401);
  });

  test('JSON by default, CSV (UTF-8 with BOM) with Accept: text/csv or format=csv', async () => {
    const api = await setUp();
    const json = await api.inject({ method: 'GET', url: '/v1/usage?from=2026-01-14&to=2026-01-15', headers: auth });
    expect(json.statusCode).toBe(200);
    expect(json.json()).toEqual({
      from: '2026-01-14',
      to: '2026-01-15',
      groupBy: 'day',
      timeZone: 'Asia/Tokyo',
      items: [
        { day: '2026-01-14', messages: 0, segments: 0 },
        { day: '2026-01-15', messages: 0, segments: 0 },
      ],
      total: { messages: 0, segments: 0 },
    });
    for (const request of [{ url: '/v1/usage?from=2026-01-14&to=2026-01-15', headers: { ...auth, accept: 'text/csv' } }, { url: '/v1/usage?from=2026-01-14&to=2026-01-15&format=csv', headers: auth }]) {
      const csv = await api.inject({ method: 'GET', ...request });
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe('attachment; filename="usage-2026-01-14-2026-01-15-day.csv"');
      expect(csv.body).toBe('\uFEFFday,messages,segments\r\n2026-01-14,0,0\r\n2026-01-15,0,0\r\n');
    }
  });

  test('the endpoint is in the OpenAPI document with both formats', async () => {
    const api = await setUp();
    const doc = (await api.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, { get?: { responses: Record<string, { content?: Record<string, unknown> }> } }> }>();
    expect(Object.keys(doc.paths['/v1/usage']?.get?.responses['200']?.content ?? {})).toEqual(['application/json', 'text/csv']);
  });
});

describe('quotas', () => {
  test('the submit that would cross a daily quota is refused with 429, the period, unit, use and the JST reset time', async () => {
    const clock = { now: JST_LATE };
    const api = await setUp({ quotas: { daily: { messages: 2 }, monthly: { segments: 100 } } }, 'Asia/Tokyo', clock);
    const send = () => api.inject({ method: 'POST', url: '/v1/messages', headers: auth, payload: { to: '090-1234-5678', text: 'hello' } });
    expect((await send()).statusCode).toBe(202);
    expect((await send()).statusCode).toBe(202);
    const refused = await send();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('2');
    expect(refused.json()).toMatchObject({
      code: 'GW_QUOTA_EXCEEDED',
      details: { period: 'daily', unit: 'messages', limit: 2, used: 2, resetAt: '2026-01-15T15:00:00.000Z', retryAfter: 2 },
    });
    expect(await gateway?.metrics.registry.getSingleMetricAsString('smsgw_quota_refusals_total')).toContain('smsgw_quota_refusals_total{account="shop",period="daily",unit="messages"} 1');
    // Midnight in Tokyo: a new day.
    clock.now = Date.parse('2026-01-15T15:00:00Z');
    expect((await send()).statusCode).toBe(202);
  });

  test('in UTC the same quota resets at UTC midnight; a segments quota counts the encoded parts', async () => {
    const api = await setUp({ quotas: { daily: { segments: 4 } } }, 'UTC');
    const send = (text: string) => api.inject({ method: 'POST', url: '/v1/messages', headers: auth, payload: { to: '090-1234-5678', text } });
    expect((await send('あ'.repeat(140))).json()).toMatchObject({ parts: 3 });
    const refused = await send('あ'.repeat(140));
    expect(refused.json()).toMatchObject({ code: 'GW_QUOTA_EXCEEDED', details: { period: 'daily', unit: 'segments', limit: 4, used: 3, resetAt: '2026-01-16T00:00:00.000Z' } });
    expect((await send('one part')).statusCode).toBe(202);
  });

  test('an idempotent replay does not count twice, and a batch reports the refusal per item', async () => {
    const api = await setUp({ quotas: { monthly: { messages: 3 } } });
    const once = { method: 'POST' as const, url: '/v1/messages', headers: { ...auth, 'idempotency-key': 'order-1' }, payload: { to: '090-1234-5678', text: 'hello' } };
    const first = (await api.inject(once)).json<{ id: string }>();
    expect((await api.inject(once)).json()).toMatchObject({ id: first.id, duplicate: true });
    const batch = await api.inject({ method: 'POST', url: '/v1/messages/batch', headers: auth, payload: { messages: [1, 2, 3].map(() => ({ to: '090-1234-5678', text: 'hi' })) } });
    const results = batch.json<{ results: { ok: boolean; error?: { code: string; details?: Record<string, unknown> } }[] }>().results;
    expect(results.map((item) => item.error?.code ?? 'accepted')).toEqual(['accepted', 'accepted', 'GW_QUOTA_EXCEEDED']);
    expect(results[2]?.error?.details).toMatchObject({ period: 'monthly', unit: 'messages', limit: 3, used: 3, resetAt: '2026-01-31T15:00:00.000Z' });
  });
});
