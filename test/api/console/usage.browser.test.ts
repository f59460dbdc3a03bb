/**
 * The usage chart in real Chromium: messages sent through the API over the last four days (the gateway's clock
 * runs shifted back, then forward a day at a time), then the usage page drawn by Chart.js. The chart's data and
 * the table equal GET /v1/usage, the canvas has pixels drawn, the carrier grouping and the CSV download match the
 * API too. Screenshot: the chart (README).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, useChromium } from '../../support/browser.ts';
import { startConsoleGateway, type ConsoleGateway } from '../../support/console-gateway.ts';
import { waitFor } from '../../support/wait-for.ts';

const DAY_MS = 86_400_000;
const chromium = useChromium();
let gw: ConsoleGateway;
/** The gateway's clock: real time moved by `shift` (so throttles and timers still see time pass). */
let shift = 0;

/** Per day back from today: [number, text] sent that day (au, docomo, SoftBank, Rakuten; one two-part text). */
const LONG_TEXT = 'ご利用ありがとうございます。ご注文の商品は本日発送いたしました。お届け予定日は明日の午前中です。配送状況はマイページからご確認いただけます。ご不明な点はお気軽にお問い合わせください。';
const TRAFFIC: readonly (readonly [number, readonly (readonly [string, string])[]])[] = [
  [3, [['090-1234-5678', 'ご予約を承りました'], ['070-1012-3456', 'ポイントが付与されました']]],
  [2, [['070-1512-3456', LONG_TEXT], ['090-1234-5679', '本日のお知らせ'], ['070-8312-3456', '会員登録が完了しました']]],
  [1, [['070-1012-3457', '明日は定休日です']]],
  [0, [['090-1234-5680', LONG_TEXT], ['070-1012-3458', 'ご来店ありがとうございました'], ['070-1512-3457', 'クーポンをお送りします'], ['070-8312-3457', 'パスワードを変更しました']]],
];

interface ApiUsage {
  from: string;
  to: string;
  items: Record<string, string | number>[];
  total: { messages: number; segments: number };
}

async function apiUsage(query: string): Promise<ApiUsage> {
  const response = await fetch(`${gw.baseUrl}/v1/usage?${query}`, { headers: { authorization: `Bearer ${gw.apiKey}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as ApiUsage;
}

beforeAll(async () => {
  shift = -(TRAFFIC[0]?.[0] ?? 0) * DAY_MS;
  gw = await startConsoleGateway({ now: () => Date.now() + shift });
  let sent = 0;
  for (const [daysBack, messages] of TRAFFIC) {
    shift = -daysBack * DAY_MS;
    for (const [to, text] of messages) {
      const response = await fetch(`${gw.baseUrl}/v1/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ to, text }),
      });
      expect(response.status).toBe(202);
    }
    sent += messages.length;
    // Billed (reached the carrier) on this shifted day before the clock moves on: a day of the usage calendar's
    // time zone (Tokyo), which is not the UTC date from 15:00 UTC on.
    const day = gw.gateway.usage.calendar.day(Date.now() + shift);
    await waitFor(async () => (await apiUsage(`from=${day}&to=${day}`)).total.messages === messages.length, `${messages.length} messages billed on ${day}`);
    expect(gw.smsc.messages().length).toBe(sent);
  }
  shift = 0;
});

afterAll(async () => {
  await gw?.close();
});

/** The little of the DOM and Chart.js these checks read (the test's TypeScript has no DOM library). */
interface CanvasLike {
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}
interface PageGlobals {
  readonly document: { getElementById(id: string): CanvasLike | null };
  readonly Chart: { getChart(canvas: CanvasLike): { data: { labels: string[]; datasets: { type: string; label: string; data: number[] }[] } } | undefined };
}

/** What Chart.js holds for the usage canvas, and how many of its pixels are painted. */
function chartState(page: Page) {
  return page.evaluate(() => {
    const { document, Chart } = globalThis as unknown as PageGlobals;
    const canvas = document.getElementById('usage-chart');
    const chart = canvas === null ? undefined : Chart.getChart(canvas);
    if (canvas === null || chart === undefined) return undefined;
    const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) painted += 1;
    return {
      labels: chart.data.labels,
      datasets: chart.data.datasets.map((d) => ({ type: d.type, label: d.label, data: d.data })),
      painted,
      size: [canvas.width, canvas.height],
    };
  });
}

/** The page's table: key, messages, segments (digit grouping removed), the total row last. */
async function tableState(page: Page): Promise<[string, number, number][]> {
  const rows = page.locator('[data-testid="usage-table"] tr[data-key]');
  const figure = async (index: number, name: string): Promise<number> => Number((await rows.nth(index).locator(`[data-figure="${name}"]`).innerText()).replace(/,/g, ''));
  const table: [string, number, number][] = [];
  for (let i = 0; i < (await rows.count()); i += 1) table.push([(await rows.nth(i).getAttribute('data-key')) ?? '', await figure(i, 'messages'), await figure(i, 'segments')]);
  return table;
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

describe('usage chart in Chromium', () => {
  test('the chart is drawn from the figures of GET /v1/usage, and the table and the CSV say the same', async () => {
    const page = await chromium.page({ locale: 'ja-JP', baseURL: gw.baseUrl });
    await page.goto('/console/sign-in');
    await page.fill('#apiKey', gw.apiKey);
    await Promise.all([page.waitForURL('**/console'), page.click('form[aria-labelledby="with-key"] button[type="submit"]')]);
    await page.click('nav.side a[href="/console/usage"]');
    await page.waitForURL('**/console/usage');
    // The last 7 days, by day.
    await Promise.all([page.waitForURL('**/console/usage?*'), page.click('.usage-presets a >> nth=0')]);
    const from = await page.inputValue('#usage-from');
    const to = await page.inputValue('#usage-to');
    const viaApi = await apiUsage(`from=${from}&to=${to}&groupBy=day`);
    const total = sum(TRAFFIC.map(([, messages]) => messages.length));
    expect(viaApi.total.messages).toBe(total);
    expect(viaApi.total.segments).toBe(total + 2); // the two long texts are two parts each

    const chart = await waitFor(() => chartState(page), 'Chart.js to hold the usage chart');
    expect(chart.labels).toEqual(viaApi.items.map((item) => item.day));
    expect(chart.datasets.map((d) => [d.type, d.label])).toEqual([
      ['bar', '通数'],
      ['line', 'セグメント数'],
    ]);
    expect(chart.datasets[0]?.data).toEqual(viaApi.items.map((item) => item.messages));
    expect(chart.datasets[1]?.data).toEqual(viaApi.items.map((item) => item.segments));
    expect(sum(chart.datasets[0]?.data ?? [])).toBe(total);
    expect(sum(chart.datasets[1]?.data ?? [])).toBe(total + 2);
    expect(chart.size[0]).toBeGreaterThan(300);
    expect(chart.painted).toBeGreaterThan(2_000);
    // Four days of traffic, the last four of the seven.
    expect(chart.datasets[0]?.data.slice(-4)).toEqual(TRAFFIC.map(([, messages]) => messages.length));

    expect(await tableState(page)).toEqual([...viaApi.items.map((item) => [item.day, item.messages, item.segments]), ['total', viaApi.total.messages, viaApi.total.segments]]);
    await screenshot(page, 'usage-chart', { readme: true });

    // The CSV download is the API's CSV.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="usage-csv"]')]);
    expect(download.suggestedFilename()).toBe(`usage-${from}-${to}-day.csv`);
    const csv = readFileSync(await download.path());
    const apiCsv = Buffer.from(await (await fetch(`${gw.baseUrl}/v1/usage?from=${from}&to=${to}&groupBy=day&format=csv`, { headers: { authorization: `Bearer ${gw.apiKey}` } })).arrayBuffer());
    expect(csv.equals(apiCsv)).toBe(true);
  });

  test('by carrier: grouped bars per carrier, equal to the API', async () => {
    const page = await chromium.page({ locale: 'en-US', baseURL: gw.baseUrl });
    await page.goto('/console/sign-in');
    await page.fill('#apiKey', gw.apiKey);
    await Promise.all([page.waitForURL('**/console'), page.click('form[aria-labelledby="with-key"] button[type="submit"]')]);
    await page.goto('/console/usage');
    await Promise.all([page.waitForURL('**groupBy=carrier'), page.click('.usage-tabs a:has-text("Carrier")')]);
    const from = await page.inputValue('#usage-from');
    const to = await page.inputValue('#usage-to');
    const viaApi = await apiUsage(`from=${from}&to=${to}&groupBy=carrier`);
    expect(viaApi.items.map((item) => item.carrier)).toEqual(['au', 'docomo', 'rakuten', 'softbank']);
    const chart = await waitFor(() => chartState(page), 'Chart.js to hold the usage chart');
    expect(chart.labels).toEqual(['au', 'docomo', 'rakuten', 'softbank']);
    expect(chart.datasets.map((d) => [d.type, d.label])).toEqual([
      ['bar', 'Messages'],
      ['bar', 'Segments'],
    ]);
    expect(chart.datasets[0]?.data).toEqual(viaApi.items.map((item) => item.messages));
    expect(chart.datasets[1]?.data).toEqual(viaApi.items.map((item) => item.segments));
    expect(chart.painted).toBeGreaterThan(2_000);
    expect(await tableState(page)).toEqual([...viaApi.items.map((item) => [item.carrier, item.messages, item.segments]), ['total', viaApi.total.messages, viaApi.total.segments]]);
    await screenshot(page, 'usage-by-carrier');
  });
});
