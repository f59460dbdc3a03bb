/**
 * The send page over inject: the live counter and the route come from the messages service's quote (docomo's
 * 66/660 rules against 67/670), warnings for characters that force UCS-2 and control characters, the send itself
 * through the messages service (suppression list, idempotency), CSRF on every POST, and the viewer refused.
 */
import { hash } from '@node-rs/argon2';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../../api/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile, type AccountConfig } from '../../../gateway/index.ts';
import { RouterHandle } from '../../../router/index.ts';
import { csrfTokenOf, signedInClient, type ConsoleClient } from '../../support/console-inject.ts';

const KEY = 'console-send-key-0001';
const OTHER_KEY = 'console-send-key-0002';
const DOCOMO = '080-1234-5678';
const AU = '090-1234-5678';
let viewerHash = '';
let app: FastifyInstance | undefined;
let gateway: Gateway | undefined;

beforeAll(async () => {
  viewerHash = await hash('viewer pass phrase');
});

afterEach(async () => {
  await app?.close();
  await gateway?.stop();
  app = undefined;
  gateway = undefined;
});

async function setUp(extra: Partial<AccountConfig> = {}): Promise<FastifyInstance> {
  const now = () => Date.parse('2026-01-15T03:00:00Z');
  gateway = new Gateway({
    backend: createMemoryBackend({ now }),
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [],
    accounts: [
      { id: 'shop', name: 'Shop', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP', consoleUsers: [{ name: 'taro', passwordHash: viewerHash, role: 'viewer' }], ...extra },
      { id: 'other', apiKeyHashes: [hashApiKey(OTHER_KEY)], defaultCountry: 'JP' },
    ],
    usage: { timeZone: 'Asia/Tokyo' },
    now,
  });
  app = await buildApp({ gateway, now });
  return app;
}

/** An htmx POST from the send page: the token in the header the layout's hx-headers sets. */
async function htmx(client: ConsoleClient, path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  const token = csrfTokenOf((await client.get('/console/send')).body);
  return (app as FastifyInstance).inject({
    method: 'POST',
    url: path,
    headers: { cookie: client.cookie(), 'content-type': 'application/x-www-form-urlencoded', 'hx-request': 'true', 'x-csrf-token': token, ...headers },
    payload: new URLSearchParams(form).toString(),
  });
}

const testid = (html: string, id: string): string | undefined => new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(html)?.[1]?.trim();

describe('console send page', () => {
  test('the operator gets the form with its CSRF token and an Idempotency-Key; the counter starts at zero', async () => {
    const client = await signedInClient(await setUp({ defaultSender: 'SHOPJP' }), { apiKey: KEY });
    const page = await client.get('/console/send');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="send-form"');
    expect(page.body).toMatch(/name="idempotencyKey" value="[0-9a-f-]{36}"/);
    expect(page.body).toContain('hx-trigger="input changed delay:150ms"');
    expect(page.body).toContain('<label for="send-text">');
    expect(testid(page.body, 'counter-characters')).toBe('0');
    expect(page.body).toContain('アカウントの既定の送信元 SHOPJP');
  });

  test('70 UCS-2 characters are one part and the 71st makes two, counted by docomo’s rules (66 a part, 660) for a docomo number', async () => {
    const client = await signedInClient(await setUp(), { apiKey: KEY });
    const seventy = await htmx(client, '/console/send/counter', { to: DOCOMO, text: 'あ'.repeat(70) });
    expect(seventy.statusCode).toBe(200);
    expect(testid(seventy.body, 'counter-characters')).toBe('70');
    expect(testid(seventy.body, 'counter-parts')).toBe('1');
    expect(testid(seventy.body, 'counter-encoding')).toBe('UCS-2');
    expect(testid(seventy.body, 'counter-rule')).toContain('docomo の規則で計算');
    expect(testid(seventy.body, 'counter-rule')).toContain('1 通 66 文字、最大 10 通(660 文字)');
    const seventyOne = await htmx(client, '/console/send/counter', { to: DOCOMO, text: 'あ'.repeat(71) });
    expect(testid(seventyOne.body, 'counter-parts')).toBe('2');
    expect(testid(seventyOne.body, 'counter-remaining')).toBe('最後の通の残り: 61 文字');
    const au = await htmx(client, '/console/send/counter', { to: AU, text: 'あ'.repeat(71) });
    expect(testid(au.body, 'counter-rule')).toContain('1 通 67 文字、最大 10 通(670 文字)');
    expect(testid(au.body, 'counter-remaining')).toBe('最後の通の残り: 63 文字');
    const unknown = await htmx(client, '/console/send/counter', { to: '', text: 'Hello' });
    expect(testid(unknown.body, 'counter-encoding')).toBe('GSM 03.38(7 ビット)');
    expect(testid(unknown.body, 'counter-rule')).toContain('標準の規則');
  });

  test('the counter names the characters that force UCS-2 and every control character; too many parts is refused with its numbers', async () => {
    const client = await signedInClient(await setUp(), { apiKey: KEY });
    const dashed = await htmx(client, '/console/send/counter', { to: AU, text: 'Sale – today only' });
    expect(dashed.body).toContain('data-testid="counter-ucs2"');
    expect(dashed.body).toMatch(/<span class="mono chip">–<\/span>/);
    const smart = await htmx(client, '/console/send/counter', { to: AU, text: 'Sale – today only', smart: 'on' });
    expect(smart.body).not.toContain('data-testid="counter-ucs2"');
    expect(testid(smart.body, 'counter-encoding')).toBe('GSM 03.38(7 ビット)');
    const controls = await htmx(client, '/console/send/counter', { to: AU, text: 'a\u0001b\u0007' });
    expect(controls.body).toContain('data-testid="counter-controls"');
    expect(controls.body).toContain('2 文字目の U+0001');
    expect(controls.body).toContain('4 文字目の U+0007');
    const long = await htmx(client, '/console/send/counter', { to: DOCOMO, text: 'あ'.repeat(661) });
    expect(long.body).toContain('data-code="CODEC_TOO_MANY_PARTS"');
    expect(long.body).toContain('11 通必要ですが、最大 10 通までです');
    expect(testid(long.body, 'counter-parts')).toBe('11');
  });

  test('the route panel shows the carrier, route, connectors and price, refreshes the counter out of band, and names refusals', async () => {
    const client = await signedInClient(await setUp(), { apiKey: KEY });
    const route = await htmx(client, '/console/send/route', { to: DOCOMO, text: 'あ'.repeat(71) });
    expect(route.statusCode).toBe(200);
    expect(testid(route.body, 'route-number')).toBe('+818012345678');
    expect(route.body).toMatch(/data-testid="route-carrier"><strong>docomo<\/strong> <span class="hint">\(番号帯\)/);
    expect(testid(route.body, 'route-route')).toBe('jp-least-cost');
    expect(route.body).toContain('<div id="send-counter" hx-swap-oob="innerHTML">');
    expect(route.body).toContain('1 通 3.2 JPY');
    const bad = await htmx(client, '/console/send/route', { to: '12', text: '' });
    expect(bad.body).toContain('data-code="ROUTE_NUMBER_TOO_SHORT"');
    expect(bad.body).toContain('宛先の番号が短すぎます');
    await gateway?.suppressions.suppress('shop', { number: AU, reason: 'opt-out', source: { kind: 'operator' } });
    const suppressed = await htmx(client, '/console/send/route', { to: AU, text: 'hi' });
    expect(suppressed.body).toContain('data-code="GW_RECIPIENT_SUPPRESSED"');
    expect(suppressed.body).toContain('受信者による配信停止');
  });

  test('sending goes through the messages service: the result links the timeline; the same form resent is sent once', async () => {
    const api = await setUp();
    const client = await signedInClient(api, { apiKey: KEY });
    const form = { to: AU, text: 'こんにちは', idempotencyKey: 'form-key-1' };
    const sent = await htmx(client, '/console/send', form);
    expect(sent.statusCode).toBe(200);
    const id = /data-testid="send-accepted" data-id="([^"]+)"/.exec(sent.body)?.[1] ?? '';
    expect(sent.body).toContain(`href="/console/messages/${id}"`);
    expect(sent.body).toContain('送信を受け付けました');
    // The next message gets a fresh key, swapped into the form out of band.
    const nextKey = /id="send-idempotency-key" name="idempotencyKey" value="([^"]+)" hx-swap-oob="true"/.exec(sent.body)?.[1];
    expect(nextKey).toMatch(/^[0-9a-f-]{36}$/);
    const again = await htmx(client, '/console/send', form);
    expect(again.body).toContain(`data-id="${id}"`);
    expect(again.body).toContain('二重には送信しません');
    const stored = await gateway?.messages.get('shop', id);
    expect(stored).toMatchObject({ envelope: { to: '+819012345678', carrier: 'au' } });
    expect((await gateway?.messages.list({ accountId: 'shop', limit: 10 }))?.items).toHaveLength(1);
  });

  test('a refused send answers the code’s HTTP status with the refusal in the page’s language, and sends nothing', async () => {
    const client = await signedInClient(await setUp(), { apiKey: KEY });
    await gateway?.suppressions.suppress('shop', { number: AU, reason: 'opt-out', source: { kind: 'operator' } });
    const refused = await htmx(client, '/console/send', { to: AU, text: 'hi', idempotencyKey: 'k2' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('data-testid="send-refused" data-code="GW_RECIPIENT_SUPPRESSED"');
    expect(refused.body).toContain('配信停止リストに登録されているため送信できません');
    expect(refused.body).toContain('value="k2" hx-swap-oob="true"');
    const english = await htmx(client, '/console/send', { to: AU, text: 'hi' }, { 'accept-language': 'en' });
    expect(english.body).toContain('The recipient is on the suppression list (the recipient opted out, since');
    const empty = await htmx(client, '/console/send', { to: DOCOMO, text: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('data-code="GW_INVALID_REQUEST"');
    expect((await gateway?.messages.list({ accountId: 'shop', limit: 10 }))?.items).toEqual([]);
  });

  test('without JavaScript the form posts and the page comes back with the result and what was typed', async () => {
    const client = await signedInClient(await setUp(), { apiKey: KEY });
    const page = await client.post('/console/send', { to: DOCOMO, text: 'テスト送信', idempotencyKey: 'plain-1' }, { formPath: '/console/send' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>メッセージ送信</h1>');
    expect(page.body).toContain('data-testid="send-accepted"');
    expect(page.body).toContain('テスト送信</textarea>');
    expect(page.body).not.toContain('value="plain-1"');
  });

  test('every POST needs the CSRF token: without it API_CSRF_INVALID, and nothing is sent', async () => {
    const api = await setUp();
    const client = await signedInClient(api, { apiKey: KEY });
    for (const path of ['/console/send', '/console/send/counter', '/console/send/route']) {
      const answer = await api.inject({
        method: 'POST',
        url: path,
        headers: { cookie: client.cookie(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ to: AU, text: 'no token' }).toString(),
      });
      expect(answer.statusCode, path).toBe(403);
      expect(answer.body, path).toContain('data-code="API_CSRF_INVALID"');
    }
    expect((await gateway?.messages.list({ accountId: 'shop', limit: 10 }))?.items).toEqual([]);
  });

  test('a viewer gets no form, and a forged POST with a valid token is refused with API_ROLE_FORBIDDEN', async () => {
    const api = await setUp();
    const viewer = await signedInClient(api, { account: 'shop', name: 'taro', password: 'viewer pass phrase' });
    const page = await viewer.get('/console/send');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('id="send-form"');
    expect(page.body).toContain('data-testid="send-viewer"');
    for (const path of ['/console/send', '/console/send/counter', '/console/send/route']) {
      const forged = await htmx(viewer, path, { to: AU, text: 'forged' });
      expect(forged.statusCode, path).toBe(403);
      expect(forged.body, path).toContain('data-code="API_ROLE_FORBIDDEN"');
    }
    const plain = await viewer.post('/console/send', { to: AU, text: 'forged' }, { formPath: '/console/send' });
    expect(plain.statusCode).toBe(403);
    expect((await gateway?.messages.list({ accountId: 'shop', limit: 10 }))?.items).toEqual([]);
  });

  test('a form field longer than the API allows is refused as the API would', async () => {
    const client = await signedInClient(await setUp(), { apiKey: KEY });
    const answer = await htmx(client, '/console/send', { to: '0'.repeat(33), text: 'x' });
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain('data-code="API_INVALID_BODY"');
  });
});
