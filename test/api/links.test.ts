/**
 * Short links over HTTP (fastify inject, memory backend, an injected clock, no drivers: messages wait queued):
 * redirects with the click token, 404 and 410 pages that never show the target, bots counted apart,
 * `shortenUrls` on submits with the click on the message's timeline, events and webhooks, OpenAPI.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../api/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile, verifyLinkToken, type GatewayEvent } from '../../gateway/index.ts';
import type { MessageBackend } from '../../gateway/ports/backend.ts';
import { RouterHandle } from '../../router/index.ts';
import { waitFor } from '../support/wait-for.ts';

const KEY = 'links-api-key-0123456789abcdefghijkl';
const auth = { authorization: `Bearer ${KEY}` };
const SECRET = 'a-secret-of-16-chars';
const HOUR = 3_600_000;
let now = Date.UTC(2026, 0, 15, 3, 0, 0);

let backend: MessageBackend;
let gateway: Gateway;
let app: FastifyInstance;
const events: GatewayEvent[] = [];

beforeAll(async () => {
  backend = createMemoryBackend({ now: () => now });
  gateway = new Gateway({
    backend,
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [],
    // No webhook sender: the jobs stay in the queue for the test to read.
    roles: ['status', 'webhooks'],
    accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP', callbackUrl: 'https://hooks.example.com/sms', callbackSecret: SECRET }],
    shortLinks: { baseUrl: 'https://s.example.jp' },
    now: () => now,
  });
  gateway.events.subscribe((event) => events.push(event), (type) => type === 'link.clicked');
  await gateway.start();
  app = await buildApp({ gateway });
});

afterAll(async () => {
  await app.close();
  await gateway.stop();
  await backend.close();
});

const codeOf = (url: string): string => url.slice(url.lastIndexOf('/') + 1);

describe('GET and HEAD /l/{code}', () => {
  test('a live link redirects (302, no API key) with a click token the account secret verifies', async () => {
    const made = await gateway.shortLinks.create({ accountId: 'demo', target: 'https://shop.example.jp/sale?x=1', ttlSeconds: 3600, campaignId: 'spring', recipient: '+819012345678', appendToken: true });
    expect(made.url).toMatch(/^https:\/\/s\.example\.jp\/l\/[0-9A-Za-z]{10}$/);
    const response = await app.inject({ method: 'GET', url: `/l/${made.code}`, headers: { 'user-agent': 'Mozilla/5.0 (iPhone)' } });
    expect(response.statusCode).toBe(302);
    expect(response.headers['cache-control']).toBe('no-store');
    const location = new URL(response.headers.location as string);
    expect(`${location.origin}${location.pathname}`).toBe('https://shop.example.jp/sale');
    expect(location.searchParams.get('x')).toBe('1');
    const check = verifyLinkToken(SECRET, location.searchParams.get('t') ?? '', now);
    expect(check).toEqual({ valid: true, claims: { r: '+819012345678', c: 'spring', exp: Math.ceil(made.expiresAt / 1000) } });
    expect(await gateway.shortLinks.get(made.code)).toMatchObject({ clicks: 1, botClicks: 0, firstClickAt: now });
  });

  test('unknown codes answer 404 and expired links 410, as HTML pages that never name the target', async () => {
    const made = await gateway.shortLinks.create({ accountId: 'demo', target: 'https://secret-target.example.jp/', ttlSeconds: 60 });
    for (const url of ['/l/Unknown000', '/l/short', '/l/has-dash-1234']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toContain('text/html');
    }
    now += 60_000;
    const gone = await app.inject({ method: 'GET', url: `/l/${made.code}` });
    expect(gone.statusCode).toBe(410);
    expect(gone.headers['content-type']).toContain('text/html');
    expect(gone.body).toContain('expired');
    expect(gone.body).not.toContain('secret-target');
    expect(gone.headers.location).toBeUndefined();
    expect(await gateway.shortLinks.get(made.code)).toMatchObject({ clicks: 0, botClicks: 0 });
    const metrics = await gateway.metrics.registry.getSingleMetricAsString('smsgw_link_misses_total');
    expect(metrics).toContain('reason="unknown"} 3');
    expect(metrics).toContain('reason="expired"} 1');
  });

  test('HEAD requests and previewers count as bots, are redirected without the token, and leave clicks alone', async () => {
    const made = await gateway.shortLinks.create({ accountId: 'demo', target: 'https://shop.example.jp/p', ttlSeconds: 3600, recipient: '+819012345678', appendToken: true });
    const head = await app.inject({ method: 'HEAD', url: `/l/${made.code}` });
    expect(head.statusCode).toBe(302);
    expect(head.headers.location).toBe('https://shop.example.jp/p');
    for (const agent of ['Slackbot-LinkExpanding 1.0', 'facebookexternalhit/1.1', 'WhatsApp/2.23', 'Mozilla/5.0 (compatible; Line-Poker/1.0)']) {
      const response = await app.inject({ method: 'GET', url: `/l/${made.code}`, headers: { 'user-agent': agent } });
      expect(response.headers.location).toBe('https://shop.example.jp/p');
    }
    expect(await gateway.shortLinks.get(made.code)).toMatchObject({ clicks: 0, botClicks: 5 });
    expect(events.filter((e) => e.type === 'link.clicked' && e.code === made.code).map((e) => (e.type === 'link.clicked' ? e.kind : ''))).toEqual(['bot', 'bot', 'bot', 'bot', 'bot']);
  });

  test('the OpenAPI document has the public /l/{code} route', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>> }>();
    const path = doc.paths['/l/{code}'];
    expect(path?.get?.security).toEqual([]);
    expect(Object.keys(path?.get?.responses ?? {})).toEqual(expect.arrayContaining(['302', '404', '410']));
  });
});

describe('shortenUrls on POST /v1/messages', () => {
  test('the stored text holds a short link, the parts are what a preview counts, a click lands once on the timeline', async () => {
    const text = '春のセール開催中！詳しくは https://shop.example.jp/campaigns/spring-2026?utm_source=sms&utm_medium=text&utm_campaign=spring をご覧ください';
    const response = await app.inject({ method: 'POST', url: '/v1/messages', headers: auth, payload: { to: '090-1234-5678', text, shortenUrls: true } });
    expect(response.statusCode).toBe(202);
    const accepted = response.json<{ id: string; parts: number }>();
    const record = await backend.store.get(accepted.id);
    const stored = record?.envelope.encoded.parts.map((p) => p.text).join('') ?? '';
    const url = /https:\/\/s\.example\.jp\/l\/[0-9A-Za-z]{10}/.exec(stored)?.[0] ?? '';
    expect(stored).toBe(text.replace(/https:\/\/shop\S+/, url));
    // The preview: the same text with the sample URL of the same length splits the same.
    const previewText = text.replace(/https:\/\/shop\S+/, gateway.shortLinks.sampleUrl());
    const preview = await app.inject({ method: 'POST', url: '/v1/messages', headers: auth, payload: { to: '090-1234-5679', text: previewText } });
    expect(preview.json<{ parts: number }>().parts).toBe(accepted.parts);

    const code = codeOf(url);
    expect(await gateway.shortLinks.get(code)).toMatchObject({ messageId: accepted.id, recipient: '+819012345678', target: 'https://shop.example.jp/campaigns/spring-2026?utm_source=sms&utm_medium=text&utm_campaign=spring' });
    for (let i = 0; i < 3; i++) {
      now += 1000;
      const click = await app.inject({ method: 'GET', url: `/l/${code}` });
      expect(click.statusCode).toBe(302);
    }
    const after = await backend.store.get(accepted.id);
    expect(after?.status).toBe(record?.status);
    const clicked = after?.timeline.filter((entry) => entry.event === 'clicked') ?? [];
    expect(clicked).toEqual([{ at: now - 2000, event: 'clicked', detail: code }]);
    const view = (await app.inject({ method: 'GET', url: `/v1/messages/${accepted.id}`, headers: auth })).json<{ status: string; timeline: { event: string }[] }>();
    expect(view.timeline.map((t) => t.event)).toContain('clicked');
    expect(await gateway.shortLinks.get(code)).toMatchObject({ clicks: 3 });

    const mine = events.filter((e) => e.type === 'link.clicked' && e.code === code);
    expect(mine.map((e) => (e.type === 'link.clicked' ? [e.kind, e.clicks, e.messageId] : []))).toEqual([
      ['first', 1, accepted.id],
      ['repeat', 2, accepted.id],
      ['repeat', 3, accepted.id],
    ]);
    const jobs = await waitFor(async () => {
      const found = (await backend.webhooks.lease(now + HOUR, 60_000, 1000)).filter((job) => job.body.includes(`"code":"${code}"`));
      return found.length === 3 ? found : undefined;
    }, 'the webhook jobs of the three clicks');
    expect(jobs.every((job) => job.url === 'https://hooks.example.com/sms')).toBe(true);
    const metrics = await gateway.metrics.registry.getSingleMetricAsString('smsgw_link_clicks_total');
    expect(metrics).toContain('account="demo",kind="human"');
    expect(metrics).toContain('account="demo",kind="repeat"');
  });

  test('without shortenUrls the URL stays; binary and URL-less texts are unaffected', async () => {
    const plain = await app.inject({ method: 'POST', url: '/v1/messages', headers: auth, payload: { to: '090-1234-5670', text: 'see https://example.com/x' } });
    const id = plain.json<{ id: string }>().id;
    expect((await backend.store.get(id))?.envelope.encoded.parts[0]?.text).toBe('see https://example.com/x');
    const none = await app.inject({ method: 'POST', url: '/v1/messages', headers: auth, payload: { to: '090-1234-5670', text: 'no link', shortenUrls: true } });
    expect(none.statusCode).toBe(202);
    const bad = await app.inject({ method: 'POST', url: '/v1/messages', headers: auth, payload: { to: '090-1234-5670', text: 'x', shortenUrls: 'yes' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ field: string }>().field).toBe('shortenUrls');
  });

  test('batch items can ask for short links', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/messages/batch',
      headers: auth,
      payload: { messages: [{ to: '090-1234-5671', text: 'A https://example.com/a', shortenUrls: true }, { to: '090-1234-5672', text: 'B https://example.com/a' }] },
    });
    expect(response.statusCode).toBeLessThan(300);
    const ids = response.json<{ results: { message: { id: string } }[] }>().results.map((r) => r.message.id);
    const texts = await Promise.all(ids.map(async (id) => (await backend.store.get(id))?.envelope.encoded.parts[0]?.text));
    expect(texts[0]).toMatch(/^A https:\/\/s\.example\.jp\/l\/[0-9A-Za-z]{10}$/);
    expect(texts[1]).toBe('B https://example.com/a');
  });
});
