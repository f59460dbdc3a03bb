/**
 * The suppression list through the HTTP API (fastify inject, memory backend, no drivers): CRUD with the consent
 * record, paging, CSV import (row errors with line numbers, BOM, Shift_JIS) and export round trip; refusal at
 * submit (single, batch per item, exempt tag, ignoreSuppression), the metrics, and the suppression.changed event
 * (schema-valid) with its webhook job.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../api/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile, type GatewayEvent } from '../../gateway/index.ts';
import type { MessageBackend } from '../../gateway/ports/backend.ts';
import { RouterHandle } from '../../router/index.ts';
import { waitFor } from '../support/wait-for.ts';

const KEY = 'suppress-key-0123456789abcdefghijkl';
const OTHER_KEY = 'suppress-key-other-0123456789abcdef';
const OTP_KEY = 'suppress-key-otp-0123456789abcdefgh';
const auth = { authorization: `Bearer ${KEY}` };
const other = { authorization: `Bearer ${OTHER_KEY}` };
const otp = { authorization: `Bearer ${OTP_KEY}` };
const NOW = Date.UTC(2026, 11, 6, 3, 0, 0);
const FINGERPRINT = `key ${hashApiKey(KEY).slice(0, 8)}`;

let backend: MessageBackend;
let gateway: Gateway;
let app: FastifyInstance;
const events: GatewayEvent[] = [];

beforeAll(async () => {
  backend = createMemoryBackend({ now: () => NOW });
  gateway = new Gateway({
    backend,
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [],
    // No webhook sender: the jobs stay in the queue for the test to read.
    roles: ['status', 'webhooks'],
    accounts: [
      { id: 'demo', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP', callbackUrl: 'https://hooks.example.com/sms', callbackSecret: 'a-secret-of-16-chars' },
      { id: 'other', apiKeyHashes: [hashApiKey(OTHER_KEY)], defaultCountry: 'JP', suppression: { scope: 'sender', exemptTags: [] } },
      { id: 'otp', apiKeyHashes: [hashApiKey(OTP_KEY)], defaultCountry: 'JP', suppression: { scope: 'account', exemptTags: ['otp'] } },
    ],
    now: () => NOW,
  });
  gateway.events.subscribe((event) => events.push(event), (type) => type === 'suppression.changed');
  await gateway.start();
  app = await buildApp({ gateway });
});

afterAll(async () => {
  await app.close();
  await gateway.stop();
  await backend.close();
});

interface Entry {
  number: string;
  sender?: string;
  scope: string;
  reason: string;
  source: { kind: string; detail?: string };
  createdAt: string;
  note?: string;
}

const post = (payload: unknown, headers = auth) => app.inject({ method: 'POST', url: '/v1/suppressions', headers, payload: payload as object });
const submit = (payload: unknown, headers = auth) => app.inject({ method: 'POST', url: '/v1/messages', headers, payload: payload as object });
const csv = (body: string | Buffer, headers = auth, query = '', contentType = 'text/csv') =>
  app.inject({ method: 'POST', url: `/v1/suppressions/import${query}`, headers: { ...headers, 'content-type': contentType }, payload: body });

describe('CRUD and the consent record', () => {
  test('add (201, then 200 when replaced), look up by a national form, lift, 404 when nothing is there', async () => {
    const added = await post({ number: '090-1000-0001', note: 'asked by phone' });
    expect(added.statusCode).toBe(201);
    expect(added.json<Entry>()).toEqual({
      number: '+819010000001',
      scope: 'account',
      reason: 'manual',
      source: { kind: 'api', detail: FINGERPRINT },
      createdAt: new Date(NOW).toISOString(),
      note: 'asked by phone',
    });
    expect(JSON.stringify(added.json())).not.toContain(KEY);
    expect((await post({ number: '+819010000001', reason: 'complaint' })).statusCode).toBe(200);

    const found = await app.inject({ method: 'GET', url: '/v1/suppressions/09010000001', headers: auth });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({ number: '+819010000001', suppressed: true, entries: [{ reason: 'complaint' }] });

    const lifted = await app.inject({ method: 'DELETE', url: '/v1/suppressions/%2B819010000001?note=opted%20in%20by%20letter', headers: auth });
    expect(lifted.statusCode).toBe(200);
    expect(lifted.json()).toMatchObject({ number: '+819010000001', reason: 'complaint' });
    const again = await app.inject({ method: 'DELETE', url: '/v1/suppressions/09010000001', headers: auth });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ code: 'API_NOT_FOUND', field: 'number' });

    const history = await app.inject({ method: 'GET', url: '/v1/suppressions/+819010000001', headers: auth });
    expect(history.json()).toMatchObject({
      suppressed: false,
      entries: [],
      history: [
        { action: 'suppressed', reason: 'manual', note: 'asked by phone', source: { kind: 'api', detail: FINGERPRINT } },
        { action: 'suppressed', reason: 'complaint' },
        { action: 'lifted', note: 'opted in by letter', source: { kind: 'api', detail: FINGERPRINT } },
      ],
    });
  });

  test('one sender only, lifted with ?sender=', async () => {
    const added = await post({ number: '09010000002', sender: '03-1111-2222' });
    expect(added.json()).toMatchObject({ number: '+819010000002', sender: '+81311112222', scope: 'sender' });
    expect((await app.inject({ method: 'DELETE', url: '/v1/suppressions/09010000002', headers: auth })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: '/v1/suppressions/09010000002?sender=%2B81311112222', headers: auth })).statusCode).toBe(200);
  });

  test.each([
    [{ number: 'call me' }, 'ROUTE_NUMBER_UNPARSABLE', 'number'],
    [{}, 'API_INVALID_BODY', 'number'],
    [{ number: '09010000003', reason: 'annoyed' }, 'API_INVALID_BODY', 'reason'],
    [{ number: '09010000003', apiKey: 'x' }, 'API_INVALID_BODY', 'apiKey'],
  ])('%j is a 400 %s naming %s', async (payload, code, field) => {
    const response = await post(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code });
    expect(JSON.stringify(response.json())).toContain(field);
  });

  test('accounts do not see each other', async () => {
    await post({ number: '09010000004' });
    expect((await app.inject({ method: 'GET', url: '/v1/suppressions/09010000004', headers: other })).json()).toMatchObject({ suppressed: false, history: [] });
  });
});

describe('paging', () => {
  test('every entry once, in number order, with an opaque cursor and the count', async () => {
    for (let i = 0; i < 5; i++) await post({ number: `0802000000${i}`, reason: 'bounced' }, otp);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const response = await app.inject({ method: 'GET', url: `/v1/suppressions?limit=2${cursor === undefined ? '' : `&cursor=${cursor}`}`, headers: otp });
      expect(response.statusCode).toBe(200);
      const page = response.json<{ items: Entry[]; count: number; nextCursor?: string }>();
      expect(page.count).toBe(5);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((e) => e.number));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(seen).toEqual(['+818020000000', '+818020000001', '+818020000002', '+818020000003', '+818020000004']);
  });

  test('a cursor this gateway did not issue is a 400 GW_INVALID_CURSOR', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/suppressions?cursor=bm90LWEtY3Vyc29y', headers: otp });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'GW_INVALID_CURSOR', field: 'cursor' });
  });
});

describe('CSV import and export', () => {
  test('good rows are applied; each bad row is reported with its line, code and column', async () => {
    const body = [
      '\uFEFFnumber,sender,reason,note', // line 1
      '090-3000-0001,,opt-out,from the old system', // 2: ok
      'call me,,manual,', // 3: bad number
      '09030000003,,annoyed,', // 4: bad reason
      '09030000004,+81311112222,,"a note, quoted"', // 5: ok, reason from ?reason
      '09030000005,,manual', // 6: 3 fields
      '', // blank lines are skipped
      ',,manual,', // 8: no number
      '09030000006,Far Too Long Sender,,', // 9: bad sender
    ].join('\r\n');
    const response = await csv(body, auth, '?name=old-crm.csv');
    expect(response.statusCode).toBe(200);
    const result = response.json<{ rows: number; added: number; replaced: number; refused: number; errors: { line: number; code: string; field?: string }[] }>();
    expect(result).toMatchObject({ rows: 7, added: 2, replaced: 0, refused: 5 });
    expect(result.errors.map((e) => [e.line, e.code, e.field])).toEqual([
      [3, 'ROUTE_NUMBER_UNPARSABLE', 'number'],
      [4, 'API_INVALID_CSV_ROW', 'reason'],
      [6, 'API_INVALID_CSV_ROW', 'row'],
      [8, 'API_INVALID_CSV_ROW', 'number'],
      [9, 'ROUTE_SENDER_INVALID', 'sender'],
    ]);
    const found = await app.inject({ method: 'GET', url: '/v1/suppressions/09030000004', headers: auth });
    expect(found.json()).toMatchObject({ entries: [{ sender: '+81311112222', reason: 'imported', note: 'a note, quoted', source: { kind: 'import', detail: `old-crm.csv (${FINGERPRINT})` } }] });
  });

  test('Shift_JIS when the Content-Type says so; invalid UTF-8 is refused whole', async () => {
    const sjis = Buffer.concat([Buffer.from('number,note\r\n09030000007,', 'ascii'), Buffer.from([0x93, 0xfa, 0x96, 0x7b]), Buffer.from('\r\n', 'ascii')]);
    const response = await csv(sjis, other, '', 'text/csv; charset=Shift_JIS');
    expect(response.json()).toMatchObject({ added: 1, refused: 0 });
    expect((await app.inject({ method: 'GET', url: '/v1/suppressions/09030000007', headers: other })).json()).toMatchObject({ entries: [{ note: '日本', reason: 'imported' }] });
    const refused = await csv(sjis, other);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'API_INVALID_CSV', field: 'body' });
  });

  test.each([
    ['', 'body'],
    ['phone,reason\r\n09030000008,manual', 'header'],
    ['sender,reason\r\n+81311112222,manual', 'header'],
    ['number,number\r\n1,2', 'header'],
    ['number\r\n"09030000008', 'body'],
  ])('%j is a 400 API_INVALID_CSV naming %s', async (body, field) => {
    const response = await csv(body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'API_INVALID_CSV', field });
  });

  test('a JSON body is refused as media type; /v1/messages still refuses CSV', async () => {
    expect((await app.inject({ method: 'POST', url: '/v1/suppressions/import', headers: auth, payload: { number: '1' } })).statusCode).toBe(415);
    expect((await app.inject({ method: 'POST', url: '/v1/messages', headers: { ...auth, 'content-type': 'text/csv' }, payload: 'to\r\n1' })).statusCode).toBe(415);
  });

  test('export: UTF-8 with BOM, one row per entry; imported into another account it gives the same entries', async () => {
    await post({ number: '09040000001', note: '=HYPERLINK("http://evil")' }, otp);
    const exported = await app.inject({ method: 'GET', url: '/v1/suppressions/export', headers: otp });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toMatch(/^text\/csv/);
    expect(exported.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parse<Record<string, string>>(exported.body, { bom: true, columns: true });
    expect(rows).toHaveLength(6);
    expect(rows.find((r) => r.number === '+819040000001')).toMatchObject({ reason: 'manual', note: `'=HYPERLINK("http://evil")`, source: 'api', sourceDetail: `key ${hashApiKey(OTP_KEY).slice(0, 8)}`, createdAt: new Date(NOW).toISOString() });

    const back = await csv(exported.rawPayload, other);
    expect(back.json()).toMatchObject({ rows: 6, refused: 0 });
    const list = (await app.inject({ method: 'GET', url: '/v1/suppressions?limit=1000', headers: other })).json<{ items: Entry[] }>();
    const reimported = list.items.filter((e) => e.source.kind === 'import').map((e) => [e.number, e.reason]);
    expect(reimported).toEqual(expect.arrayContaining(rows.map((r) => [r.number, r.reason])));
  });
});

describe('refusal at submit', () => {
  test('a suppressed number is refused with 422 GW_RECIPIENT_SUPPRESSED, nothing stored, and counted', async () => {
    await post({ number: '09050000001', reason: 'opt-out', note: 'private note' });
    const response = await submit({ to: '090-5000-0001', text: 'sale!' });
    expect(response.statusCode).toBe(422);
    const body = response.json<{ code: string; field: string; details: Record<string, unknown>; message: string }>();
    expect(body).toMatchObject({ code: 'GW_RECIPIENT_SUPPRESSED', field: 'to', details: { reason: 'opt-out', since: new Date(NOW).toISOString() } });
    expect(JSON.stringify(body)).not.toMatch(/private note|api|9050000001/);
    const listed = await app.inject({ method: 'GET', url: '/v1/messages?to=09050000001', headers: auth });
    expect(listed.json()).toMatchObject({ items: [] });
    const metrics = await gateway.metrics.registry.metrics();
    expect(metrics).toContain('smsgw_messages_refused_total{reason="GW_RECIPIENT_SUPPRESSED"}');
    expect(metrics).toMatch(/smsgw_messages_suppressed_total\{account="demo",reason="opt-out"\} [1-9]/);
    expect(metrics).toMatch(/smsgw_suppression_changes_total\{action="suppressed",source="api"\} [1-9]/);
  });

  test('a batch refuses the suppressed item only', async () => {
    await post({ number: '09050000002' });
    const response = await app.inject({ method: 'POST', url: '/v1/messages/batch', headers: auth, payload: { messages: [{ to: '09050000002', text: 'a' }, { to: '09050000003', text: 'b' }] } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      accepted: 1,
      refused: 1,
      results: [
        { index: 0, ok: false, error: { code: 'GW_RECIPIENT_SUPPRESSED', field: 'to', details: { reason: 'manual' } } },
        { index: 1, ok: true },
      ],
    });
  });

  test('a sender entry blocks that sender only; under scope "sender" so does a keyword opt-out', async () => {
    await post({ number: '09050000004', sender: '+81311112222' });
    expect((await submit({ to: '09050000004', from: '+81311112222', text: 'x' })).statusCode).toBe(422);
    expect((await submit({ to: '09050000004', from: '+81322223333', text: 'x' })).statusCode).toBe(202);
    await gateway.suppressions.suppress('other', { number: '09050000005', sender: '+81311112222', reason: 'opt-out', source: { kind: 'keyword', detail: 'STOP' } });
    expect((await submit({ to: '09050000005', from: '+81311112222', text: 'x' }, other)).statusCode).toBe(422);
    expect((await submit({ to: '09050000005', from: '+81322223333', text: 'x' }, other)).statusCode).toBe(202);
  });

  test('a tag the account exempts passes (case aside); other tags and untagged do not', async () => {
    await post({ number: '09050000006', reason: 'opt-out' }, otp);
    expect((await submit({ to: '09050000006', text: 'code 1234', tag: 'OTP' }, otp)).statusCode).toBe(202);
    expect((await submit({ to: '09050000006', text: 'sale', tag: 'marketing' }, otp)).statusCode).toBe(422);
    expect((await submit({ to: '09050000006', text: 'hi' }, otp)).statusCode).toBe(422);
    // No account exempts anything unless configured: the same tag is refused for demo.
    await post({ number: '09050000006', reason: 'opt-out' });
    expect((await submit({ to: '09050000006', text: 'code 1234', tag: 'otp' })).statusCode).toBe(422);
  });

  test("the gateway's own services may pass ignoreSuppression (an opt-out's confirmation)", async () => {
    await post({ number: '09050000007', reason: 'opt-out' });
    await expect(gateway.messages.submit('demo', { to: '09050000007', text: '配信を停止しました' })).rejects.toMatchObject({ code: 'GW_RECIPIENT_SUPPRESSED' });
    await expect(gateway.messages.submit('demo', { to: '09050000007', text: '配信を停止しました' }, undefined, { ignoreSuppression: true })).resolves.toMatchObject({ status: 'queued' });
  });
});

describe('events and webhooks', () => {
  const schema = JSON.parse(readFileSync(new URL('../../gateway/events/schemas/suppression.changed.schema.json', import.meta.url), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: true });
  (formats as unknown as { default: (ajv: Ajv) => void }).default(ajv);
  const validate = ajv.compile(schema);

  test('each change is a schema-valid suppression.changed event without the API key, and a webhook job to the callbackUrl', async () => {
    events.length = 0;
    await post({ number: '09060000001', reason: 'opt-out' });
    await app.inject({ method: 'DELETE', url: '/v1/suppressions/09060000001', headers: auth });
    const published = await waitFor(() => (events.length >= 2 ? events : undefined), 'two suppression events');
    expect(published).toMatchObject([
      { type: 'suppression.changed', version: 1, accountId: 'demo', action: 'suppressed', number: '+819060000001', reason: 'opt-out', source: { kind: 'api', detail: FINGERPRINT } },
      { type: 'suppression.changed', action: 'lifted', number: '+819060000001', reason: 'opt-out', since: new Date(NOW).toISOString() },
    ]);
    for (const event of published) expect({ event, valid: validate(event), errors: validate.errors ?? [] }).toMatchObject({ valid: true });
    expect(JSON.stringify(published)).not.toContain(KEY);

    const ids = new Set(published.map((e) => e.id));
    const jobs = await waitFor(async () => {
      const leased = await backend.webhooks.lease(NOW + 1, 60_000, 1000);
      const mine = leased.filter((job) => ids.has(job.id));
      return mine.length === 2 ? mine : undefined;
    }, 'the webhook jobs of both changes');
    expect(jobs.map((job) => job.url)).toEqual(['https://hooks.example.com/sms', 'https://hooks.example.com/sms']);
    expect(JSON.parse(jobs[0]?.body ?? '{}')).toMatchObject({ type: 'suppression.changed', number: '+819060000001' });
  });
});

describe('documentation', () => {
  test('every suppression endpoint is in the OpenAPI document; the import takes text/csv', async () => {
    const openapi = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> }; responses: Record<string, unknown> }>> }>();
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/v1/suppressions', '/v1/suppressions/{number}', '/v1/suppressions/import', '/v1/suppressions/export']));
    expect(Object.keys(openapi.paths['/v1/suppressions'] ?? {})).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(openapi.paths['/v1/suppressions/{number}'] ?? {})).toEqual(expect.arrayContaining(['get', 'delete']));
    expect(Object.keys(openapi.paths['/v1/suppressions/import']?.post?.requestBody?.content ?? {})).toEqual(['text/csv']);
    expect(Object.keys(openapi.paths['/v1/messages']?.post?.responses ?? {})).toContain('422');
  });

  test('the README documents the metrics, the settings, the code and the topic', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const name of ['smsgw_messages_suppressed_total', 'smsgw_suppression_changes_total', 'suppression.exemptTags', 'suppression.scope', 'GW_RECIPIENT_SUPPRESSED', 'sms.suppressions', '### Suppressions and opt-out']) {
      expect(readme).toContain(name);
    }
  });
});
