/**
 * The messages and inbound pages over inject: search by number, clientRef, status and local date with the
 * listing's cursor, the detail with parts, raw carrier values, the timeline and link clicks, and every read
 * scoped to the signed-in account (another account's message answers 404).
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { buildApp } from '../../../api/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, inboundEvent, loadRoutingFile, UsageCalendar } from '../../../gateway/index.ts';
import type { MessageBackend } from '../../../gateway/ports/backend.ts';
import { dayStart } from '../../../api/console/pages/local-day.ts';
import type { InboundMessage } from '../../../drivers/transport/index.ts';
import { RouterHandle } from '../../../router/index.ts';
import { signedInClient, type ConsoleClient } from '../../support/console-inject.ts';

const KEY = 'console-messages-key-01';
const OTHER_KEY = 'console-messages-key-02';
let app: FastifyInstance | undefined;
let gateway: Gateway | undefined;

afterEach(async () => {
  await app?.close();
  await gateway?.stop();
  app = undefined;
  gateway = undefined;
});

interface Harness {
  readonly gw: Gateway;
  readonly backend: MessageBackend;
  readonly clock: { now: number };
  readonly shop: ConsoleClient;
  readonly other: ConsoleClient;
}

async function setUp(): Promise<Harness> {
  const clock = { now: Date.parse('2026-01-15T03:00:00Z') }; // 12:00 in Tokyo
  const now = () => clock.now;
  const backend = createMemoryBackend({ now });
  const gw = (gateway = new Gateway({
    backend,
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [],
    accounts: [
      { id: 'shop', name: 'Shop', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP', timeZone: 'Asia/Tokyo' },
      { id: 'other', apiKeyHashes: [hashApiKey(OTHER_KEY)], defaultCountry: 'JP' },
    ],
    usage: { timeZone: 'Asia/Tokyo' },
    now,
  }));
  app = await buildApp({ gateway: gw, now });
  return { gw, backend, clock, shop: await signedInClient(app, { apiKey: KEY }), other: await signedInClient(app, { apiKey: OTHER_KEY }) };
}

const rowIds = (html: string): string[] => [...html.matchAll(/<tr data-id="([^"]+)">/g)].map((m) => m[1] as string);

describe('console messages page', () => {
  test('search by number (any form), clientRef, status and local date; only the account’s messages', async () => {
    const { gw, clock, shop } = await setUp();
    const a = await gw.messages.submit('shop', { to: '090-1234-5678', text: 'one', clientRef: 'order-1' });
    clock.now = Date.parse('2026-01-15T16:00:00Z'); // 01:00 on the 16th in Tokyo (still the 15th in UTC)
    const b = await gw.messages.submit('shop', { to: '080-1234-5678', text: 'two', clientRef: 'order-2' });
    clock.now += 1000;
    const c = await gw.messages.submit('shop', { to: '090-1234-5678', text: 'three' });
    await gw.messages.cancel('shop', c.id);
    await gw.messages.submit('other', { to: '090-1234-5678', text: 'not yours', clientRef: 'order-1' });

    const all = await shop.get('/console/messages');
    expect(all.statusCode).toBe(200);
    expect(rowIds(all.body)).toEqual([c.id, b.id, a.id]);
    expect(all.body).not.toContain('not yours');
    expect(rowIds((await shop.get('/console/messages?to=%2B819012345678')).body)).toEqual([c.id, a.id]);
    expect(rowIds((await shop.get('/console/messages?to=090-1234-5678&status=queued')).body)).toEqual([a.id]);
    expect(rowIds((await shop.get('/console/messages?clientRef=order-1')).body)).toEqual([a.id]);
    expect(rowIds((await shop.get('/console/messages?status=canceled')).body)).toEqual([c.id]);
    // Days are Tokyo days: the 16th holds b and c, the 15th only a.
    expect(rowIds((await shop.get('/console/messages?from=2026-01-16&until=2026-01-16')).body)).toEqual([c.id, b.id]);
    expect(rowIds((await shop.get('/console/messages?until=2026-01-15')).body)).toEqual([a.id]);
    expect(rowIds((await shop.get('/console/messages?from=2026-01-17')).body)).toEqual([]);
    expect((await shop.get('/console/messages?from=2026-01-17')).body).toContain('data-testid="messages-empty"');
    // Empty fields are no filter; the form shows back what was searched.
    const empty = await shop.get('/console/messages?to=&clientRef=&status=&from=&until=');
    expect(rowIds(empty.body)).toHaveLength(3);
    expect((await shop.get('/console/messages?clientRef=order-1')).body).toContain('value="order-1"');
  });

  test('an htmx search answers only the results; pages follow the listing’s cursor with the same filters', async () => {
    const { gw, clock, shop } = await setUp();
    const ids: string[] = [];
    for (let i = 0; i < 53; i += 1) {
      clock.now += 1000;
      ids.push((await gw.messages.submit('shop', { to: '090-1234-5678', text: `n${i}`, clientRef: i % 2 === 0 ? 'even' : 'odd' })).id);
    }
    const first = await shop.get('/console/messages');
    expect(rowIds(first.body)).toEqual(ids.slice(3).reverse());
    const next = /href="([^"]+)" data-testid="messages-next"/.exec(first.body)?.[1]?.replaceAll('&amp;', '&') ?? '';
    expect(next).toMatch(/^\/console\/messages\?cursor=/);
    const second = await shop.get(next);
    expect(rowIds(second.body)).toEqual(ids.slice(0, 3).reverse());
    expect(second.body).not.toContain('data-testid="messages-next"');
    const even = await shop.get('/console/messages?clientRef=even', { 'hx-request': 'true' });
    expect(even.body).not.toContain('<html');
    expect(rowIds(even.body)).toHaveLength(27);
    expect(even.body).not.toContain('data-testid="messages-next"');
  });

  test('a filter that is not valid is said on the page with 400; so are a number that is no number and a foreign cursor', async () => {
    const { shop } = await setUp();
    for (const [query, field] of [['status=lost', 'status'], ['from=2026-02-30', 'from'], ['until=yesterday', 'until'], ['from=2026-01-20&until=2026-01-10', 'until']] as const) {
      const answer = await shop.get(`/console/messages?${query}`);
      expect(answer.statusCode, query).toBe(400);
      expect(answer.body, query).toContain(`data-testid="messages-invalid" data-field="${field}"`);
    }
    const number = await shop.get('/console/messages?to=12');
    expect(number.statusCode).toBe(400);
    expect(number.body).toContain('data-code="ROUTE_NUMBER_TOO_SHORT"');
    const cursor = await shop.get('/console/messages?cursor=not-a-cursor');
    expect(cursor.statusCode).toBe(400);
    expect(cursor.body).toContain('data-code="GW_INVALID_CURSOR"');
    expect(cursor.body).toContain('最初のページから表示し直してください');
  });

  test('the detail shows every part with its connector, SMSC id and raw carrier values, the timeline, price and clicks', async () => {
    const { gw, backend, clock, shop } = await setUp();
    const accepted = await gw.messages.submit('shop', { to: '080-1234-5678', text: `${'あ'.repeat(70)} https://shop.example.jp/sale`, shortenUrls: true });
    const record = await gw.messages.get('shop', accepted.id);
    expect(record.parts).toHaveLength(2);
    clock.now += 2000;
    await backend.store.apply(accepted.id, {
      at: clock.now,
      parts: [
        { seq: 1, status: 'delivered', connectorId: 'smpp-aggregator', carrierMessageId: 'smsc-0001', raw: { stat: 'DELIVRD', err: '000' }, submittedAt: clock.now - 1000, doneAt: clock.now },
        { seq: 2, status: 'undelivered', connectorId: 'smpp-aggregator', carrierMessageId: 'smsc-0002', raw: { stat: 'UNDELIV', err: '001', networkErrorCode: '030001' }, submittedAt: clock.now - 1000, doneAt: clock.now },
      ],
      rollUp: true,
      timeline: [
        { at: clock.now, event: 'part:delivered', seq: 1, connectorId: 'smpp-aggregator' },
        { at: clock.now, event: 'part:undelivered', seq: 2, connectorId: 'smpp-aggregator', detail: 'UNDELIV err 001' },
      ],
    });
    const code = /\/l\/([0-9A-Za-z]+)/.exec(record.envelope.encoded.parts.map((p) => p.text).join(''))?.[1] ?? '';
    await gw.shortLinks.follow(code, { method: 'GET', userAgent: 'Mozilla/5.0 (iPhone)' });

    const detail = await shop.get(`/console/messages/${accepted.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('data-testid="message-live" data-status="undelivered"');
    expect(detail.body).not.toContain('hx-trigger="every 2s"');
    expect([...detail.body.matchAll(/data-testid="part-smsc-id">([^<]+)</g)].map((m) => m[1])).toEqual(['smsc-0001', 'smsc-0002']);
    expect(detail.body).toContain('stat: DELIVRD');
    expect(detail.body).toContain('network_error_code: 030001');
    expect(detail.body).toContain('<tr data-event="part:undelivered">');
    expect(detail.body).toContain('分割メッセージ: 不達');
    expect(/data-testid="message-segments">([^<]+)</.exec(detail.body)?.[1]).toBe('2');
    expect(/data-testid="message-price">([^<]+)</.exec(detail.body)?.[1]).toBe('6.4 JPY');
    expect(detail.body).toContain('data-testid="message-clicks"');
    expect(detail.body).toContain('https://shop.example.jp/sale');
    expect(detail.body).toContain('<tr data-event="clicked">');
  });

  test('a message still on its way polls itself by htmx; the poll answers the fragment only', async () => {
    const { gw, shop } = await setUp();
    const accepted = await gw.messages.submit('shop', { to: '090-1234-5678', text: 'on its way' });
    const page = await shop.get(`/console/messages/${accepted.id}`);
    expect(page.body).toContain(`hx-get="/console/messages/${accepted.id}" hx-trigger="every 2s" hx-swap="outerHTML"`);
    const poll = await shop.get(`/console/messages/${accepted.id}`, { 'hx-request': 'true' });
    expect(poll.body.trimStart()).toMatch(/^<div id="message-live"/);
  });

  test('another account’s message, and an unknown id, answer 404 GW_NOT_FOUND', async () => {
    const { gw, shop, other } = await setUp();
    const theirs = await gw.messages.submit('other', { to: '090-1234-5678', text: 'theirs' });
    const answer = await shop.get(`/console/messages/${theirs.id}`);
    expect(answer.statusCode).toBe(404);
    expect(answer.body).toContain('data-code="GW_NOT_FOUND"');
    expect(answer.body).not.toContain('theirs');
    expect((await shop.get('/console/messages/no-such-id')).statusCode).toBe(404);
    expect((await other.get(`/console/messages/${theirs.id}`)).statusCode).toBe(200);
  });

  test('signed out, the pages go to sign-in', async () => {
    const api = (await setUp(), app as FastifyInstance);
    for (const path of ['/console/messages', '/console/messages/x', '/console/inbound', '/console/send']) {
      const answer = await api.inject({ method: 'GET', url: path });
      expect(answer.statusCode, path).toBe(303);
      expect(answer.headers.location, path).toMatch(/^\/console\/sign-in\?next=/);
    }
  });
});

describe('console inbound page', () => {
  test('the account’s inbound messages, newest first, from a local day on; binary ones by their size', async () => {
    const { backend, shop } = await setUp();
    const at = (iso: string) => new Date(iso);
    const message = (id: string, receivedAt: string, text: string, extra: Partial<InboundMessage> = {}) =>
      inboundEvent({ connectorId: 'smpp-aggregator', from: '+819011112222', to: '+81312345678', text, encoding: 'ucs2', parts: 1, complete: true, receivedAt: at(receivedAt), ...extra }, id, 'shop');
    await backend.inbound.add(message('in-1', '2026-01-14T10:00:00Z', '古いメッセージ'));
    await backend.inbound.add(message('in-2', '2026-01-15T02:00:00Z', 'ストップ'));
    await backend.inbound.add(message('in-3', '2026-01-15T02:30:00Z', '', { encoding: 'binary', binary: Uint8Array.from([1, 2, 3, 4, 5]) }));
    await backend.inbound.add({ ...message('in-4', '2026-01-15T02:40:00Z', 'not yours'), accountId: 'other' });

    const page = await shop.get('/console/inbound');
    expect(page.statusCode).toBe(200);
    expect(rowIds(page.body)).toEqual(['in-3', 'in-2', 'in-1']);
    expect(page.body).not.toContain('not yours');
    expect(page.body).toContain('バイナリデータ(5 バイト)');
    expect(page.body).toContain('2026/01/15 11:00:00');
    expect(rowIds((await shop.get('/console/inbound?since=2026-01-15')).body)).toEqual(['in-3', 'in-2']);
    expect(rowIds((await shop.get('/console/inbound?limit=50')).body)).toHaveLength(3);
    const bad = await shop.get('/console/inbound?since=2026-13-01');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('data-testid="inbound-invalid"');
  });
});

describe('local days', () => {
  test.each([
    ['Asia/Tokyo', '2026-01-16', '2026-01-15T15:00:00.000Z'],
    ['UTC', '2026-01-16', '2026-01-16T00:00:00.000Z'],
    ['Pacific/Kiritimati', '2026-01-16', '2026-01-15T10:00:00.000Z'],
    ['Pacific/Pago_Pago', '2026-01-16', '2026-01-16T11:00:00.000Z'],
    ['Europe/Berlin', '2026-03-29', '2026-03-28T23:00:00.000Z'],
  ])('in %s, %s begins at %s', (zone, day, iso) => {
    expect(new Date(dayStart(new UsageCalendar(zone), day)).toISOString()).toBe(iso);
  });
});
