/**
 * The console's usage page over inject (memory backend, a fixed clock, usage counted from status events the way
 * the usage consumer counts them): the chart's data and the table equal GET /v1/usage for every grouping, the
 * CSV equals GET /v1/usage?format=csv, days are the usage time zone's, refusals are explained, accounts are apart.
 * The browser test draws the chart in Chromium.
 */
import { hash } from '@node-rs/argon2';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../../api/index.ts';
import { addDays, monthStart, usageForm, usagePresets } from '../../../api/console/pages/usage-page.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile, UsageCalendar, type AccountConfig } from '../../../gateway/index.ts';
import type { MessageStatusEvent } from '../../../gateway/events/gateway-event.ts';
import type { MessageBackend } from '../../../gateway/ports/backend.ts';
import { usageCounts } from '../../../gateway/usage/usage-figures.ts';
import { RouterHandle } from '../../../router/index.ts';
import { signedInClient } from '../../support/console-inject.ts';

const KEY = 'console-usage-key-0001';
const OTHER_KEY = 'console-usage-other-0002';
// 2026-03-10 00:30 in Tokyo, still 2026-03-09 in UTC: the usage zone decides the day.
const NOW = Date.parse('2026-03-09T15:30:00Z');
let viewerHash = '';
let app: FastifyInstance | undefined;
let gateway: Gateway | undefined;
let backend: MessageBackend | undefined;

beforeAll(async () => {
  viewerHash = await hash('viewer pass phrase');
});

afterEach(async () => {
  await app?.close();
  await gateway?.stop();
  app = undefined;
  gateway = undefined;
  backend = undefined;
});

function accounts(): AccountConfig[] {
  return [
    { id: 'shop', name: 'Shop', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP', consoleUsers: [{ name: 'taro', passwordHash: viewerHash, role: 'viewer' }] },
    { id: 'other', name: 'Other', apiKeyHashes: [hashApiKey(OTHER_KEY)], defaultCountry: 'JP' },
  ];
}

async function setUp(): Promise<FastifyInstance> {
  const now = () => NOW;
  backend = createMemoryBackend({ now });
  gateway = new Gateway({ backend, router: new RouterHandle(loadRoutingFile(undefined)), drivers: [], accounts: accounts(), usage: { timeZone: 'Asia/Tokyo' }, now });
  app = await buildApp({ gateway, now });
  return app;
}

let serial = 0;

/** Counts a message's final status event as the usage consumer does. */
async function delivered(accountId: string, at: string, carrier: string, connector: string, segments: number, status: 'delivered' | 'undelivered' = 'delivered'): Promise<void> {
  serial += 1;
  const event: MessageStatusEvent = {
    type: 'message.status',
    version: 1,
    id: `event-${serial}`,
    messageId: `message-${serial}`,
    accountId,
    status,
    at,
    to: '+819012345678',
    parts: Array.from({ length: segments }, (_, i) => ({ seq: i + 1, status, connector, smscMessageId: `smsc-${serial}-${i}` })),
    segments,
    carrier,
  };
  for (const count of usageCounts(event, new UsageCalendar('Asia/Tokyo'))) await backend?.usage.count(count);
}

async function seed(): Promise<void> {
  await delivered('shop', '2026-03-01T02:00:00Z', 'docomo', 'carrier-a', 1);
  await delivered('shop', '2026-03-01T03:00:00Z', 'au', 'carrier-b', 2);
  // 2026-03-09 23:10 UTC is 2026-03-10 08:10 in Tokyo.
  await delivered('shop', '2026-03-09T23:10:00Z', 'docomo', 'carrier-a', 3, 'undelivered');
  await delivered('shop', '2026-02-14T01:00:00Z', 'softbank', 'carrier-b', 1);
  await delivered('other', '2026-03-01T02:00:00Z', 'docomo', 'carrier-a', 5);
}

function unescape(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

interface Chart {
  kind: string;
  labels: string[];
  messages: number[];
  segments: number[];
  names: { messages: string; segments: string };
}

function chartOf(html: string): Chart {
  const attribute = /data-chart="([^"]*)"/.exec(html)?.[1];
  if (attribute === undefined) throw new Error('no chart on the page');
  return JSON.parse(unescape(attribute)) as Chart;
}

/** The table's rows: key, messages, segments (digit grouping removed). */
function tableOf(html: string): [string, number, number][] {
  return [...html.matchAll(/<tr data-key="([^"]+)">[\s\S]*?data-figure="messages">([^<]+)<[\s\S]*?data-figure="segments">([^<]+)</g)].map((m) => [
    unescape(m[1] ?? ''),
    Number((m[2] ?? '').replace(/,/g, '')),
    Number((m[3] ?? '').replace(/,/g, '')),
  ]);
}

interface ApiUsage {
  items: Record<string, string | number>[];
  total: { messages: number; segments: number };
  timeZone: string;
}

describe('usage page', () => {
  test('by default the last 30 days by day, ending today in the usage time zone, with the chart and table of GET /v1/usage', async () => {
    const api = await setUp();
    await seed();
    const client = await signedInClient(api, { account: 'shop', name: 'taro', password: 'viewer pass phrase' });
    const page = await client.get('/console/usage');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('利用状況');
    // Chart.js from the layout, the page's chart script from assets, and no inline script.
    expect(page.body).toContain('<script src="/console/vendor/chart.umd.min.js" defer></script>');
    expect(page.body).toContain('<script src="/console/assets/usage.js" defer></script>');
    expect(page.body.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toBeNull();
    expect(page.body).toContain('value="2026-02-09"');
    expect(page.body).toContain('value="2026-03-10"');
    expect(page.body).toContain('Asia/Tokyo');

    const viaApi = (await api.inject({ method: 'GET', url: '/v1/usage?from=2026-02-09&to=2026-03-10&groupBy=day', headers: { authorization: `Bearer ${KEY}` } })).json<ApiUsage>();
    const chart = chartOf(page.body);
    expect(chart.kind).toBe('time');
    expect(chart.labels).toEqual(viaApi.items.map((item) => item.day));
    expect(chart.messages).toEqual(viaApi.items.map((item) => item.messages));
    expect(chart.segments).toEqual(viaApi.items.map((item) => item.segments));
    expect(chart.names).toEqual({ messages: '通数', segments: 'セグメント数' });
    expect(tableOf(page.body)).toEqual([...viaApi.items.map((item) => [item.day, item.messages, item.segments]), ['total', viaApi.total.messages, viaApi.total.segments]]);
    expect(viaApi.total).toEqual({ messages: 4, segments: 7 });
    // The message of 2026-03-09T23:10Z counts on Tokyo's 10th.
    expect(tableOf(page.body).find(([day]) => day === '2026-03-10')).toEqual(['2026-03-10', 1, 3]);
  });

  test.each(['month', 'carrier', 'connector', 'status'] as const)('grouped by %s: the chart, the table and the API agree', async (groupBy) => {
    const api = await setUp();
    await seed();
    const client = await signedInClient(api, { apiKey: KEY });
    const query = `from=2026-02-01&to=2026-03-10&groupBy=${groupBy}`;
    const page = await client.get(`/console/usage?${query}`);
    expect(page.statusCode).toBe(200);
    const viaApi = (await api.inject({ method: 'GET', url: `/v1/usage?${query}`, headers: { authorization: `Bearer ${KEY}` } })).json<ApiUsage>();
    const keys = viaApi.items.map((item) => String(item[groupBy]));
    const chart = chartOf(page.body);
    expect(chart.kind).toBe(groupBy === 'month' ? 'time' : 'category');
    expect(chart.messages).toEqual(viaApi.items.map((item) => item.messages));
    expect(chart.segments).toEqual(viaApi.items.map((item) => item.segments));
    expect(tableOf(page.body)).toEqual([...viaApi.items.map((item, i) => [keys[i], item.messages, item.segments]), ['total', viaApi.total.messages, viaApi.total.segments]]);
    expect(page.body).toMatch(new RegExp(`href="/console/usage\\?from=2026-02-01&amp;to=2026-03-10&amp;groupBy=${groupBy}" aria-current="page"`));
    if (groupBy === 'status') expect(chart.labels).toEqual(keys.map((key) => ({ delivered: '配信済み', undelivered: '不達' })[key]));
    if (groupBy === 'carrier') expect(chart.labels).toEqual(['au', 'docomo', 'softbank']);
    if (groupBy === 'month') expect(tableOf(page.body)).toEqual([['2026-02', 1, 1], ['2026-03', 3, 6], ['total', 4, 7]]);
  });

  test('the CSV is the API’s CSV for the same range and grouping', async () => {
    const api = await setUp();
    await seed();
    const client = await signedInClient(api, { apiKey: KEY });
    for (const groupBy of ['day', 'carrier']) {
      const query = `from=2026-02-28&to=2026-03-10&groupBy=${groupBy}`;
      const csv = await client.get(`/console/usage/export.csv?${query}`);
      const viaApi = await api.inject({ method: 'GET', url: `/v1/usage?${query}&format=csv`, headers: { authorization: `Bearer ${KEY}` } });
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe(viaApi.headers['content-disposition']);
      expect(csv.rawPayload.equals(viaApi.rawPayload)).toBe(true);
      expect(csv.body.startsWith(`\uFEFF${groupBy},messages,segments`)).toBe(true);
    }
    const page = await client.get('/console/usage?from=2026-02-28&to=2026-03-10&groupBy=carrier');
    expect(page.body).toContain('href="/console/usage/export.csv?from=2026-02-28&amp;to=2026-03-10&amp;groupBy=carrier"');
  });

  test('a reversed or too long range is explained on the page, with the form kept and no chart', async () => {
    const api = await setUp();
    const client = await signedInClient(api, { apiKey: KEY });
    for (const [query, field] of [['from=2026-03-10&to=2026-03-01', 'from'], ['from=2024-01-01&to=2026-03-01', 'to'], ['from=2026-02-30&to=2026-03-01', 'from']] as const) {
      const page = await client.get(`/console/usage?${query}`);
      expect(page.statusCode).toBe(400);
      expect(page.body).toContain('data-code="GW_INVALID_USAGE_QUERY"');
      expect(page.body).toContain('期間の指定が正しくありません');
      expect(page.body).toMatch(new RegExp(`id="usage-${field}"[^>]*aria-invalid="true"`));
      expect(page.body).not.toContain('data-chart=');
    }
    expect((await client.get('/console/usage/export.csv?from=2026-03-10&to=2026-03-01')).statusCode).toBe(400);
  });

  test("an account sees only its own usage; English labels from the browser's language", async () => {
    const api = await setUp();
    await seed();
    const client = await signedInClient(api, { apiKey: OTHER_KEY });
    const page = await client.get('/console/usage?from=2026-03-01&to=2026-03-10&groupBy=carrier', { 'accept-language': 'en' });
    expect(tableOf(page.body)).toEqual([['docomo', 1, 5], ['total', 1, 5]]);
    const chart = chartOf(page.body);
    expect(chart.names).toEqual({ messages: 'Messages', segments: 'Segments' });
    expect(page.body).toContain('Usage by carrier (2026-03-01 to 2026-03-10)');
  });

  test('the usage script is served', async () => {
    const api = await setUp();
    const script = await api.inject({ method: 'GET', url: '/console/assets/usage.js' });
    expect(script.statusCode).toBe(200);
    expect(script.body).toContain('new Chart(canvas');
  });
});

describe('usage ranges', () => {
  test('presets and defaults are calendar arithmetic on local days', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(monthStart('2026-01-31', -11)).toBe('2025-02-01');
    expect(monthStart('2026-03-31', 0)).toBe('2026-03-01');
    expect(usagePresets('2026-03-10').map((p) => [p.key, p.form.from, p.form.to, p.form.groupBy])).toEqual([
      ['last7', '2026-03-04', '2026-03-10', 'day'],
      ['last30', '2026-02-09', '2026-03-10', 'day'],
      ['thisMonth', '2026-03-01', '2026-03-10', 'day'],
      ['last12Months', '2025-04-01', '2026-03-10', 'month'],
    ]);
    expect(usageForm({}, '2026-03-10')).toEqual({ from: '2026-02-09', to: '2026-03-10', groupBy: 'day' });
    expect(usageForm({ groupBy: 'month' }, '2026-03-10')).toEqual({ from: '2025-04-01', to: '2026-03-10', groupBy: 'month' });
    expect(usageForm({ groupBy: 'week', to: '2026-01-31' }, '2026-03-10')).toEqual({ from: '2026-01-02', to: '2026-01-31', groupBy: 'day' });
    expect(usageForm({ to: 'nonsense' }, '2026-03-10')).toEqual({ from: '2026-02-09', to: 'nonsense', groupBy: 'day' });
  });
});
