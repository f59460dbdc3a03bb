/**
 * The API's security bounds through inject, with a gateway whose connector is down (messages are accepted and
 * wait): callback URLs, per-account IP allow-lists, message rate limits with an injected clock, the /metrics token,
 * and a large batch that must not hold up other requests.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { buildApp } from '../../api/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile, type MessageBackend } from '../../gateway/index.ts';
import { RouterHandle } from '../../router/index.ts';

const SECRET = 'a-very-long-webhook-secret';
const keys = { signed: 'key-signed-0123456789abcdef', unsigned: 'key-unsigned-0123456789abcdef', office: 'key-office-0123456789abcdef', slow: 'key-slow-0123456789abcdef' };
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const message = { to: '09012345678', text: 'hello' };

let backend: MessageBackend;
let gateway: Gateway;
let app: FastifyInstance;
let clock = 1_700_000_000_000;

beforeAll(async () => {
  backend = createMemoryBackend();
  gateway = new Gateway({
    backend,
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [],
    accounts: [
      { id: 'signed', apiKeyHashes: [hashApiKey(keys.signed)], defaultCountry: 'JP', callbackSecret: SECRET },
      { id: 'unsigned', apiKeyHashes: [hashApiKey(keys.unsigned)], defaultCountry: 'JP' },
      { id: 'office', apiKeyHashes: [hashApiKey(keys.office)], defaultCountry: 'JP', allowedIps: ['198.51.100.0/24', '2001:db8::/32'] },
      { id: 'slow', apiKeyHashes: [hashApiKey(keys.slow)], defaultCountry: 'JP', limits: { messagesPerSecond: 5 } },
    ],
    webhooks: { allow: ['10.20.0.0/16'] },
  });
  app = await buildApp({ gateway, now: () => clock, server: { metricsToken: 'metrics-token-0123456789abcdef0123' } });
});
afterAll(async () => {
  await app.close();
  await gateway.stop();
  await backend.close();
});

describe('callbackUrl', () => {
  test.each([
    ['gopher://127.0.0.1:6379/_FLUSHALL', /scheme gopher/],
    ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254/],
    ['http://127.0.0.1:3000/v1/messages', /127\.0\.0\.1/],
    ['http://[::ffff:10.0.0.1]/', /::ffff:a00:1/],
    ['http://[fd00::1]/hook', /fd00::1/],
    ['http://100.100.1.1/hook', /100\.100\.1\.1/],
  ])('%s is refused at submit with GW_CALLBACK_URL_REFUSED', async (callbackUrl, reason) => {
    const response = await app.inject({ method: 'POST', url: '/v1/messages', headers: bearer(keys.signed), payload: { ...message, callbackUrl } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'GW_CALLBACK_URL_REFUSED', field: 'callbackUrl', message: expect.stringMatching(reason) as unknown });
  });

  test('a public URL, and a private one in webhooks.allow, are accepted', async () => {
    for (const callbackUrl of ['https://hooks.example.com/sms', 'http://10.20.1.2/hook']) {
      const response = await app.inject({ method: 'POST', url: '/v1/messages', headers: bearer(keys.signed), payload: { ...message, callbackUrl } });
      expect(response.statusCode).toBe(202);
    }
  });

  test('an account without a callbackSecret gets GW_CALLBACK_WITHOUT_SECRET instead of a silently dropped callback', async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/messages', headers: bearer(keys.unsigned), payload: { ...message, callbackUrl: 'https://hooks.example.com/sms' } });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ code: 'GW_CALLBACK_WITHOUT_SECRET', field: 'callbackUrl' });
    const batch = await app.inject({ method: 'POST', url: '/v1/messages/batch', headers: bearer(keys.unsigned), payload: { messages: [{ ...message, callbackUrl: 'https://hooks.example.com/sms' }] } });
    expect(batch.json()).toMatchObject({ accepted: 0, results: [{ ok: false, error: { code: 'GW_CALLBACK_WITHOUT_SECRET' } }] });
  });
});

describe('IP allow-lists', () => {
  test.each([
    ['198.51.100.7', 202],
    ['::ffff:198.51.100.7', 202],
    ['2001:db8:4::9', 202],
    ['203.0.113.5', 403],
    ['127.0.0.1', 403],
    ['2001:db9::1', 403],
  ])('from %s: %i', async (remoteAddress, status) => {
    const response = await app.inject({ method: 'POST', url: '/v1/messages', remoteAddress, headers: bearer(keys.office), payload: message });
    expect(response.statusCode).toBe(status);
    if (status === 403) expect(response.json()).toMatchObject({ code: 'API_IP_NOT_ALLOWED' });
  });

  test('a refused address is answered before the body is read', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/messages',
      remoteAddress: '203.0.113.5',
      headers: { ...bearer(keys.office), 'content-type': 'application/json' },
      payload: '{"to": ',
    });
    expect(response.statusCode).toBe(403);
  });

  test('accounts without allowedIps are used from anywhere', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/messages?limit=1', remoteAddress: '203.0.113.5', headers: bearer(keys.signed) });
    expect(response.statusCode).toBe(200);
  });
});

describe('server.trustProxy: behind a load balancer', () => {
  test('X-Forwarded-For names the client only when the request comes from a trusted proxy, past trusted hops only', async () => {
    const behind = await buildApp({ gateway, now: () => clock, server: { trustProxy: ['10.0.0.0/8'] } });
    try {
      const send = (remoteAddress: string, forwarded: string) =>
        behind.inject({ method: 'POST', url: '/v1/messages', remoteAddress, headers: { ...bearer(keys.office), 'x-forwarded-for': forwarded }, payload: message });
      // From the balancer, for an allowed client: allowed; for another client: refused, naming the client.
      expect((await send('10.1.2.3', '198.51.100.7')).statusCode).toBe(202);
      const refused = await send('10.1.2.3', '203.0.113.5');
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'API_IP_NOT_ALLOWED', message: expect.stringContaining('203.0.113.5') as unknown });
      // A client that writes its own header names an allowed address in vain: the hop left of an untrusted one is not believed.
      expect((await send('10.1.2.3', '198.51.100.7, 203.0.113.5')).statusCode).toBe(403);
      // Not from a trusted proxy: the header is ignored.
      expect((await send('203.0.113.5', '198.51.100.7')).statusCode).toBe(403);
    } finally {
      await behind.close();
    }
    // Without trustProxy the header is ignored whoever sends it.
    const direct = await app.inject({ method: 'POST', url: '/v1/messages', remoteAddress: '10.1.2.3', headers: { ...bearer(keys.office), 'x-forwarded-for': '198.51.100.7' }, payload: message });
    expect(direct.statusCode).toBe(403);
  });

  test('an entry that is no address or range is refused with GW_INVALID_CONFIG naming it', async () => {
    await expect(buildApp({ gateway, server: { trustProxy: ['10.0.0.0/8', 'haproxy'] } })).rejects.toMatchObject({ code: 'GW_INVALID_CONFIG', details: { field: 'server.trustProxy[1]' } });
  });
});

describe('message rate limits (5 per second, so a bucket of 10)', () => {
  const batch = (n: number) => ({ method: 'POST' as const, url: '/v1/messages/batch', headers: bearer(keys.slow), payload: { messages: Array.from({ length: n }, () => message) } });

  test('a batch larger than the bucket is refused whole; every item of a batch counts; each 429 says when to retry', async () => {
    const huge = await app.inject(batch(10_000));
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ code: 'API_BATCH_EXCEEDS_BURST', field: 'messages' });
    expect((await app.inject(batch(11))).statusCode).toBe(413);
    const full = await app.inject(batch(10));
    expect(full.statusCode).toBe(200);
    expect(full.json()).toMatchObject({ accepted: 10 });
    const over = await app.inject(batch(1));
    expect(over.statusCode).toBe(429);
    expect(over.json()).toMatchObject({ code: 'API_RATE_LIMITED' });
    expect(over.headers['retry-after']).toBe('1');
    const single = await app.inject({ method: 'POST', url: '/v1/messages', headers: bearer(keys.slow), payload: message });
    expect(single.statusCode).toBe(429);
    expect(single.headers['retry-after']).toBe('1');
    clock += 1_000;
    expect((await app.inject(batch(6))).statusCode).toBe(429);
    expect((await app.inject(batch(5))).statusCode).toBe(200);
    // A long pause refills the bucket to its capacity, never beyond it.
    clock += 3_600_000;
    expect((await app.inject(batch(10))).statusCode).toBe(200);
    expect((await app.inject(batch(1))).statusCode).toBe(429);
  });
});

describe('/metrics with server.metricsToken', () => {
  test('answers only the bearer of the token', async () => {
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const wrong = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer metrics-token-0123456789abcdef0124' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'API_UNAUTHORIZED' });
    const right = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer metrics-token-0123456789abcdef0123' } });
    expect(right.statusCode).toBe(200);
    expect(right.body).toContain('smsgw_messages_accepted_total');
    expect(right.body).not.toContain(SECRET);
  });
});

describe('a large batch', () => {
  test('does not hold up other requests while it goes in', async () => {
    const total = 5_000;
    let done = 0;
    let doneAtHealth: number | undefined;
    const submit = gateway.messages.submit.bind(gateway.messages);
    let health: Promise<unknown> | undefined;
    const spy = vi.spyOn(gateway.messages, 'submit').mockImplementation(async (...args) => {
      // Once the batch is under way, ask for /healthz and note how far the batch got when it answered.
      health ??= app.inject({ method: 'GET', url: '/healthz' }).then(() => (doneAtHealth = done));
      const accepted = await submit(...args);
      done += 1;
      return accepted;
    });
    try {
      const response = await app.inject({ method: 'POST', url: '/v1/messages/batch', headers: bearer(keys.signed), payload: { messages: Array.from({ length: total }, () => message) } });
      expect(response.json()).toMatchObject({ accepted: total });
      await health;
      expect(doneAtHealth).toBeDefined();
      expect(doneAtHealth).toBeLessThan(total / 4);
    } finally {
      spy.mockRestore();
    }
  });
});
