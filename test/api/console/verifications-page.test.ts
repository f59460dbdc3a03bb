/**
 * The verifications page over inject: the account's counts over a range (default the last 7 days in the usage
 * time zone), refusals by reason, per day with its chart data, another account's counts apart, a bad range
 * answered on the page, and never a code.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, expect, test } from 'vitest';
import { buildApp } from '../../../api/index.ts';
import { LoopbackDriver, submitted } from '../../../drivers/loopback/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile } from '../../../gateway/index.ts';
import { RouterHandle } from '../../../router/index.ts';
import { signedInClient } from '../../support/console-inject.ts';

const KEY = 'ver-page-key-0123456789abcdefghijk';
const OTHER_KEY = 'ver-page-other-0123456789abcdefghi';
// 09:00 in Tokyo on 6 December.
const T0 = Date.parse('2026-12-06T00:00:00Z');

let app: FastifyInstance | undefined;
let gateway: Gateway | undefined;
afterEach(async () => {
  await app?.close();
  await gateway?.stop();
  app = undefined;
  gateway = undefined;
});

async function setUp(): Promise<{ api: FastifyInstance; gw: Gateway; driver: LoopbackDriver }> {
  const driver = new LoopbackDriver({ id: 'smpp-aggregator', now: () => T0 }).answerEverySend({ answer: submitted() });
  gateway = new Gateway({
    backend: createMemoryBackend({ now: () => T0 }),
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [driver],
    accounts: [
      { id: 'shop', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP', verify: { countries: ['JP'] } },
      { id: 'other', apiKeyHashes: [hashApiKey(OTHER_KEY)], defaultCountry: 'JP' },
    ],
    usage: { timeZone: 'Asia/Tokyo' },
    verifySecret: Buffer.from('ver-page-deployment-secret-0123456789'),
    now: () => T0,
  });
  await gateway.start();
  app = await buildApp({ gateway, console: { secureCookie: false } });
  return { api: app, gw: gateway, driver };
}

test('counts of the last 7 days, refusals by reason, per day with chart data; never a code or a number', async () => {
  const { api, gw, driver } = await setUp();
  const a = await gw.verifications.start('shop', { to: '090-7777-0001' });
  await driver.settled();
  const code = /認証コード: ([0-9]+)/.exec(driver.sent().at(-1)?.encoded.text ?? '')?.[1] ?? '';
  await gw.verifications.check('shop', a.id, code);
  const b = await gw.verifications.start('shop', { to: '090-7777-0002' });
  await gw.verifications.cancel('shop', b.id);
  await expect(gw.verifications.start('shop', { to: '+1 415 555 0100' })).rejects.toMatchObject({ code: 'VERIFY_COUNTRY_NOT_ALLOWED' });
  await driver.settled();

  const client = await signedInClient(api, { apiKey: KEY });
  const page = await client.get('/console/verifications');
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('<h1>認証コードの利用状況</h1>');
  expect(page.body).toContain('value="2026-11-30"');
  expect(page.body).toContain('value="2026-12-06"');
  const figure = (name: string): string | undefined => new RegExp(`data-testid="${name}">([^<]*)<`).exec(page.body)?.[1];
  expect(['started', 'sent', 'approved', 'failed', 'max_attempts_reached', 'expired', 'canceled'].map((name) => figure(`count-${name}`))).toEqual(['2', '2', '1', '0', '0', '0', '1']);
  expect(figure('conversion')).toBe('50%');
  expect(figure('refused-country')).toBe('1');
  expect(figure('refused-velocity')).toBe('0');
  expect(page.body).toContain('許可していない国の番号');
  expect(page.body).toContain('<tr data-day="2026-12-06">');
  expect(page.body).toContain('<tr data-day="2026-11-30">');
  const chart = JSON.parse((/data-chart="([^"]*)"/.exec(page.body)?.[1] ?? '').replaceAll('&quot;', '"')) as { labels: string[]; series: { key: string; label: string; data: number[] }[] };
  expect(chart.labels).toHaveLength(7);
  expect(chart.series.find((series) => series.key === 'started')).toEqual({ key: 'started', label: '認証開始', data: [0, 0, 0, 0, 0, 0, 2] });
  expect(page.body).toContain('<script src="/console/assets/verifications.js" defer></script>');
  expect(page.body).toContain('chart.umd.min.js');
  expect(page.body).not.toContain(code);
  expect(page.body).not.toContain('7777');

  const english = await client.get('/console/verifications?from=2026-12-06&to=2026-12-06', { 'accept-language': 'en' });
  expect(english.body).toContain('Total from 2026-12-06 to 2026-12-06');
  expect(english.body).toContain('Country not allowed');

  const other = await (await signedInClient(api, { apiKey: OTHER_KEY })).get('/console/verifications');
  expect(/data-testid="count-started">([^<]*)</.exec(other.body)?.[1]).toBe('0');
  expect(/data-testid="conversion">([^<]*)</.exec(other.body)?.[1]).toBe('—');
});

test('a bad range is answered on the page with its field; the asset script is served', async () => {
  const { api } = await setUp();
  const client = await signedInClient(api, { apiKey: KEY });
  const reversed = await client.get('/console/verifications?from=2026-12-06&to=2026-12-01');
  expect(reversed.statusCode).toBe(400);
  expect(reversed.body).toContain('data-code="VERIFY_INVALID_REQUEST"');
  expect(reversed.body).toContain('VERIFY_INVALID_REQUEST (from)');
  expect(reversed.body).toContain('期間の指定が正しくありません');
  expect(reversed.body).toContain('value="2026-12-01"');
  const script = await client.get('/console/assets/verifications.js');
  expect(script.statusCode).toBe(200);
  expect(script.body).toContain('window.Chart');
});
