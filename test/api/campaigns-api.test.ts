/**
 * The campaign API through fastify inject (memory backend, no drivers: handed-on messages stay queued): create
 * from JSON rows and from a CSV upload, read, list, start / pause / resume / cancel with their state errors, the
 * recipients paged and filtered, and the CSV export with its BOM.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildApp } from '../../api/index.ts';
import { CAMPAIGN_ERRORS, createMemoryBackend, Gateway, hashApiKey, loadRoutingFile } from '../../gateway/index.ts';
import { RouterHandle } from '../../router/index.ts';
import { waitFor } from '../support/wait-for.ts';

const KEY = 'campaign-key-0123456789abcdefghijkl';
const auth = { authorization: `Bearer ${KEY}` };
const BOUNDARY = 'campaign-boundary-7MA4YWxkTrZu0gW';

let gateway: Gateway;
let app: FastifyInstance;

beforeAll(async () => {
  gateway = new Gateway({
    backend: createMemoryBackend(),
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [],
    accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP' }],
    shortLinks: { baseUrl: 'https://s.example.jp', codeLength: 10 },
  });
  await gateway.start();
  app = await buildApp({ gateway });
});

afterAll(async () => {
  await app.close();
  await gateway.stop();
});

const ROWS = [{ phone: '090-1000-0001', name: 'Ann' }, { phone: '090-1000-0002', name: 'Bob' }, { phone: 'bad', name: 'x' }, { phone: '090-1000-0003', name: 'Cy' }];

interface View {
  id: string;
  state: string;
  counts: Record<string, number>;
  progress: { handedOn: number };
  options: Record<string, unknown>;
}

const get = async (id: string): Promise<View> => (await app.inject({ method: 'GET', url: `/v1/campaigns/${id}`, headers: auth })).json<View>();

test('a draft from JSON rows: started, its recipients read and exported, then canceled with its queued messages', async () => {
  const created = await app.inject({ method: 'POST', url: '/v1/campaigns', headers: auth, payload: { template: 'Hi {{name}}', rows: ROWS, start: false, name: 'spring' } });
  expect(created.statusCode).toBe(201);
  const { campaign, summary } = created.json<{ campaign: View; summary: { messages: number; refusals: Record<string, number> } }>();
  expect(campaign).toMatchObject({ state: 'draft', counts: { pending: 3 } });
  expect(summary).toMatchObject({ messages: 3, refusals: { CAMPAIGN_INVALID_NUMBER: 1 } });
  const list = await app.inject({ method: 'GET', url: '/v1/campaigns', headers: auth });
  expect(list.json<{ items: View[] }>().items.map((item) => item.id)).toContain(campaign.id);

  const early = await app.inject({ method: 'POST', url: `/v1/campaigns/${campaign.id}/pause`, headers: auth });
  expect(early.statusCode).toBe(409);
  expect(early.json()).toMatchObject({ code: 'CAMPAIGN_BAD_STATE' });
  expect((await app.inject({ method: 'POST', url: `/v1/campaigns/${campaign.id}/start`, headers: auth })).json()).toMatchObject({ state: 'running' });
  await waitFor(async () => (await get(campaign.id)).state === 'completed', 'every recipient handed on');

  const page = await app.inject({ method: 'GET', url: `/v1/campaigns/${campaign.id}/recipients?status=queued&limit=2`, headers: auth });
  expect(page.json()).toMatchObject({ items: [{ index: 0, to: '+819010000001', status: 'queued' }, { index: 1 }], nextCursor: 2 });
  const csv = await app.inject({ method: 'GET', url: `/v1/campaigns/${campaign.id}/recipients.csv`, headers: auth });
  expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  const lines = csv.body.slice(1).trimEnd().split('\r\n');
  expect(lines[0]).toBe('index,line,to,status,segments,messageId,error,queuedAt,sentAt,deliveredAt,failedAt,canceledAt,clickedAt');
  expect(lines).toHaveLength(4);
  expect(lines[3]).toMatch(/^2,4,\+819010000003,queued,1,/);

  const late = await app.inject({ method: 'POST', url: `/v1/campaigns/${campaign.id}/cancel`, headers: auth });
  expect(late.statusCode).toBe(409);
});

test('a running campaign canceled: what was not handed on, and what is still queued, is canceled', async () => {
  const created = await app.inject({ method: 'POST', url: '/v1/campaigns', headers: auth, payload: { template: 'Hi {{name}}', rows: ROWS, pacing: { segmentsPerHour: 3600 } } });
  const { campaign } = created.json<{ campaign: View }>();
  expect(campaign.state).toBe('running');
  await waitFor(async () => (await get(campaign.id)).progress.handedOn >= 1, 'the first handed on');
  const paused = await app.inject({ method: 'POST', url: `/v1/campaigns/${campaign.id}/pause`, headers: auth });
  expect(paused.json()).toMatchObject({ state: 'paused' });
  expect((await app.inject({ method: 'POST', url: `/v1/campaigns/${campaign.id}/resume`, headers: auth })).json()).toMatchObject({ state: 'running' });
  const canceled = await app.inject({ method: 'POST', url: `/v1/campaigns/${campaign.id}/cancel`, headers: auth });
  expect(canceled.json()).toMatchObject({ state: 'canceled' });
  const done = await waitFor(async () => {
    const view = await get(campaign.id);
    return view.counts.canceled === 3 ? view : undefined;
  }, 'every recipient canceled');
  expect(done.counts).toMatchObject({ pending: 0, queued: 0, canceled: 3 });
});

test('a CSV upload with pacing as a form field; unknown campaigns and bad options are refused with their codes', async () => {
  const csv = Buffer.from('phone,name\r\n090-2000-0001,Dee\r\n', 'utf8');
  const parts = [
    ['template', 'Hi {{name}}'],
    ['start', 'false'],
    ['pacing', '{"segmentsPerSecond": 5}'],
  ];
  const chunks: Buffer[] = parts.map(([name, value]) => Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="c.csv"\r\nContent-Type: text/csv\r\n\r\n`), csv, Buffer.from(`\r\n--${BOUNDARY}--\r\n`));
  const created = await app.inject({ method: 'POST', url: '/v1/campaigns', headers: { ...auth, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, payload: Buffer.concat(chunks) });
  expect(created.statusCode).toBe(201);
  expect(created.json()).toMatchObject({ campaign: { state: 'draft', recipients: 1, options: { pacing: { segmentsPerSecond: 5 }, tag: 'campaign' } } });

  const missing = await app.inject({ method: 'GET', url: '/v1/campaigns/nope', headers: auth });
  expect(missing.statusCode).toBe(404);
  expect(missing.json()).toMatchObject({ code: 'CAMPAIGN_NOT_FOUND' });
  const none = await app.inject({ method: 'POST', url: '/v1/campaigns', headers: auth, payload: { template: 'Hi {{name}}', rows: [{ phone: 'bad', name: 'x' }] } });
  expect(none.statusCode).toBe(422);
  expect(none.json()).toMatchObject({ code: 'CAMPAIGN_NO_VALID_ROWS' });
  const window = await app.inject({ method: 'POST', url: '/v1/campaigns', headers: auth, payload: { template: 'Hi {{name}}', rows: ROWS, sendWindow: { rules: [{ days: ['mon'], from: '21:00', to: '08:00' }] } } });
  expect(window.statusCode).toBe(400);
  expect(window.json()).toMatchObject({ code: 'CAMPAIGN_INVALID_REQUEST' });
});

test('the OpenAPI document has every campaign endpoint, the states and the recipient statuses', async () => {
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, { properties?: Record<string, { enum?: string[] }> }> } }>();
  for (const [path, method] of [
    ['/v1/campaigns', 'post'],
    ['/v1/campaigns', 'get'],
    ['/v1/campaigns/{id}', 'get'],
    ['/v1/campaigns/{id}/start', 'post'],
    ['/v1/campaigns/{id}/pause', 'post'],
    ['/v1/campaigns/{id}/resume', 'post'],
    ['/v1/campaigns/{id}/cancel', 'post'],
    ['/v1/campaigns/{id}/recipients', 'get'],
    ['/v1/campaigns/{id}/recipients.csv', 'get'],
  ] as const) {
    expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
  }
  const text = JSON.stringify(doc);
  for (const word of ['draft', 'scheduled', 'running', 'paused', 'completed', 'canceled', 'queued', 'delivered', 'clicked']) expect(text).toContain(`"${word}"`);
  for (const code of Object.keys(CAMPAIGN_ERRORS)) expect(text, code).toContain(code);
  expect(JSON.stringify(doc.paths['/v1/campaigns/{id}/cancel'])).toContain('CAMPAIGN_BAD_STATE (409');
  expect(JSON.stringify(doc.paths['/v1/campaigns'])).toContain('CAMPAIGN_NO_VALID_ROWS (422');
});
