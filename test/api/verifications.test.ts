/**
 * The verify API's HTTP surface (fastify inject, memory backend, no drivers: the code's message is accepted and
 * waits, and its sealed parts are opened here to read the code): validation, reads, cancel, checks by number, the
 * OpenAPI document, and a gateway without a deployment secret.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../api/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile } from '../../gateway/index.ts';
import { PartSeal } from '../../gateway/messages/part-seal.ts';
import type { MessageBackend } from '../../gateway/ports/backend.ts';
import { RouterHandle } from '../../router/index.ts';
import { waitFor } from '../support/wait-for.ts';

const KEY = 'verify-api-key-0123456789abcdefghijk';
const OTHER = 'verify-api-other-0123456789abcdefghi';
const auth = { authorization: `Bearer ${KEY}` };
const SECRET = Buffer.from('api-test-deployment-secret-0123456789');

let backend: MessageBackend;
let gateway: Gateway;
let app: FastifyInstance;

beforeAll(async () => {
  backend = createMemoryBackend();
  gateway = new Gateway({
    backend,
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [],
    // No webhook sender: the jobs stay in the queue for the test to read.
    roles: ['status', 'webhooks'],
    accounts: [
      {
        id: 'demo',
        apiKeyHashes: [hashApiKey(KEY)],
        defaultCountry: 'JP',
        callbackUrl: 'https://hooks.example.com/sms',
        callbackSecret: 'a-secret-of-16-chars',
        verify: { codeLength: 8, templates: { en: 'Code {code}, {minutes} min' } },
      },
      { id: 'other', apiKeyHashes: [hashApiKey(OTHER)], defaultCountry: 'JP', verify: { countries: ['US'] } },
    ],
    verifySecret: SECRET,
  });
  await gateway.start();
  app = await buildApp({ gateway });
});

afterAll(async () => {
  await app.close();
  await gateway.stop();
  await backend.close();
});

/** The code, as the handset would read it: the sealed parts opened with the deployment secret. */
async function codeOf(messageId: string): Promise<string> {
  const record = await backend.store.get(messageId);
  const parts = new PartSeal(SECRET).open(record?.envelope.encoded ?? { encoding: 'gsm7', shiftTables: {}, characters: 0, remainingInLastPart: 0, udhBytes: 0, parts: [] }).parts;
  return /([0-9]{4,10})/.exec(parts.map((p) => p.text).join(''))?.[1] ?? '';
}

describe('verify API', () => {
  test('start uses the account settings and the request locale; the message text is the account template, masked in store', async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/verifications', headers: auth, payload: { to: '080-1234-0001', locale: 'en', clientRef: 'c-1' } });
    expect(response.statusCode).toBe(201);
    const body = response.json<{ id: string; messages: string[]; clientRef: string; locale: string }>();
    expect(body).toMatchObject({ to: '+818012340001', status: 'pending', attemptsLeft: 3, sendsLeft: 4, sends: 1, locale: 'en', clientRef: 'c-1' });
    const record = await backend.store.get(body.messages[0] as string);
    expect(record?.envelope.encoded.parts[0]?.text).toBe('Code ********, 5 min');
    expect(await codeOf(body.messages[0] as string)).toMatch(/^[0-9]{8}$/);
    const read = await app.inject({ method: 'GET', url: `/v1/verifications/${body.id}`, headers: auth });
    expect(read.json()).toMatchObject({ id: body.id, status: 'pending' });
    expect(read.body).not.toContain('digest');
  });

  test('check by number (national form) approves; the id of another account is not found', async () => {
    const started = (await app.inject({ method: 'POST', url: '/v1/verifications', headers: auth, payload: { to: '+818012340002' } })).json<{ id: string; messages: string[] }>();
    const code = await codeOf(started.messages[0] as string);
    const other = await app.inject({ method: 'POST', url: `/v1/verifications/${started.id}/check`, headers: { authorization: `Bearer ${OTHER}` }, payload: { code } });
    expect(other.json()).toMatchObject({ code: 'VERIFY_NOT_FOUND' });
    expect(other.statusCode).toBe(404);
    const checked = await app.inject({ method: 'POST', url: '/v1/verification-checks', headers: auth, payload: { to: '08012340002', code } });
    expect(checked.json()).toMatchObject({ id: started.id, status: 'approved' });
  });

  test('each step is a webhook job to the callbackUrl, with no code in it', async () => {
    const started = (await app.inject({ method: 'POST', url: '/v1/verifications', headers: auth, payload: { to: '+818012340007' } })).json<{ id: string; messages: string[] }>();
    const code = await codeOf(started.messages[0] as string);
    await app.inject({ method: 'POST', url: `/v1/verifications/${started.id}/check`, headers: auth, payload: { code } });
    const jobs = await waitFor(async () => {
      // A lease of 0 ms leaves every job due, so a poll that came before the second job does not hide the first.
      const mine = (await backend.webhooks.lease(Date.now() + 1, 0, 1000)).filter((job) => job.body.includes(started.id));
      return mine.length === 2 ? mine : undefined;
    }, 'the webhook jobs of sent and approved');
    expect(jobs.map((job) => [job.url, (JSON.parse(job.body) as { status: string }).status])).toEqual([
      ['https://hooks.example.com/sms', 'sent'],
      ['https://hooks.example.com/sms', 'approved'],
    ]);
    expect(jobs.map((job) => job.body).join('')).not.toMatch(new RegExp(`(?<![0-9])${code}(?![0-9])`));
  });

  test('cancel ends a pending verification; a second cancel and a check answer VERIFY_CANCELED', async () => {
    const started = (await app.inject({ method: 'POST', url: '/v1/verifications', headers: auth, payload: { to: '+818012340003' } })).json<{ id: string }>();
    const canceled = await app.inject({ method: 'DELETE', url: `/v1/verifications/${started.id}`, headers: auth });
    expect(canceled.json()).toMatchObject({ status: 'canceled', sendsLeft: 0 });
    const again = await app.inject({ method: 'DELETE', url: `/v1/verifications/${started.id}`, headers: auth });
    expect(again).toMatchObject({ statusCode: 409 });
    expect(again.json()).toMatchObject({ code: 'VERIFY_CANCELED', details: { status: 'canceled' } });
    const check = await app.inject({ method: 'POST', url: `/v1/verifications/${started.id}/check`, headers: auth, payload: { code: '12345678' } });
    expect(check.json()).toMatchObject({ code: 'VERIFY_CANCELED' });
  });

  test.each([
    ['a code of letters', '/v1/verifications/x/check', { code: '12ab56' }, 'API_INVALID_BODY'],
    ['a code too short', '/v1/verifications/x/check', { code: '123' }, 'API_INVALID_BODY'],
    ['a template without {code}', '/v1/verifications', { to: '+818012340004', template: 'Hello' }, 'API_INVALID_BODY'],
    ['a TTL too long', '/v1/verifications', { to: '+818012340004', ttlSeconds: 7200 }, 'API_INVALID_BODY'],
    ['a code length of 12', '/v1/verifications', { to: '+818012340004', codeLength: 12 }, 'API_INVALID_BODY'],
    ['another channel', '/v1/verifications', { to: '+818012340004', channel: 'voice' }, 'API_INVALID_BODY'],
    ['a number that is none', '/v1/verifications', { to: 'abc' }, 'ROUTE_NUMBER_UNPARSABLE'],
  ])('%s is refused with %s', async (_name, url, payload, code) => {
    const response = await app.inject({ method: 'POST', url, headers: auth, payload });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ code: string }>().code).toBe(code);
  });

  test("a number outside the account's countries is refused before anything is sent", async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/verifications', headers: { authorization: `Bearer ${OTHER}` }, payload: { to: '+818012340005' } });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'VERIFY_COUNTRY_NOT_ALLOWED', details: { country: 'JP' } });
    expect((await gateway.messages.list({ accountId: 'other', limit: 10 })).items).toHaveLength(0);
  });

  test('the OpenAPI document has every verification path and schema', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    expect(Object.keys(doc.paths['/v1/verifications'] ?? {})).toContain('post');
    expect(Object.keys(doc.paths['/v1/verifications/{id}'] ?? {}).sort()).toEqual(['delete', 'get']);
    expect(Object.keys(doc.paths['/v1/verifications/{id}/check'] ?? {})).toContain('post');
    expect(Object.keys(doc.paths['/v1/verification-checks'] ?? {})).toContain('post');
  });
});

test('a gateway without a deployment secret (a Redis mode without SMSGW_VERIFY_SECRET) refuses verifications with VERIFY_NOT_CONFIGURED', async () => {
  const redisBackend = createMemoryBackend();
  const gw = new Gateway({ backend: redisBackend, router: new RouterHandle(loadRoutingFile(undefined)), drivers: [], accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP' }], verifySecret: false });
  const api = await buildApp({ gateway: gw });
  try {
    const response = await api.inject({ method: 'POST', url: '/v1/verifications', headers: auth, payload: { to: '+818012340006' } });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'VERIFY_NOT_CONFIGURED' });
  } finally {
    await api.close();
    await redisBackend.close();
  }
});
