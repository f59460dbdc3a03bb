/**
 * The console's suppression list over inject (memory backend, no drivers): search, add, the record, lift with its
 * confirmation, CSV import (bad rows with line, column and code; Shift_JIS; the token in the form or the header)
 * and export as the API answers them; roles, CSRF and account scoping. The browser test walks the same pages in
 * Chromium with a real send.
 */
import { hash } from '@node-rs/argon2';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../../api/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile, type AccountConfig } from '../../../gateway/index.ts';
import { RouterHandle } from '../../../router/index.ts';
import { csrfTokenOf, signedInClient, type ConsoleClient } from '../../support/console-inject.ts';

const KEY = 'console-lists-key-0001';
const OTHER_KEY = 'console-lists-other-key-0002';
const NOW = Date.parse('2026-12-06T01:00:00Z');
let operatorHash = '';
let viewerHash = '';
let app: FastifyInstance | undefined;
let gateway: Gateway | undefined;

beforeAll(async () => {
  [operatorHash, viewerHash] = await Promise.all([hash('correct horse battery'), hash('viewer pass phrase')]);
});

afterEach(async () => {
  await app?.close();
  await gateway?.stop();
  app = undefined;
  gateway = undefined;
});

function accounts(): AccountConfig[] {
  return [
    {
      id: 'shop',
      name: 'Shop',
      apiKeyHashes: [hashApiKey(KEY)],
      defaultCountry: 'JP',
      consoleUsers: [
        { name: 'hanako', passwordHash: operatorHash, role: 'operator' },
        { name: 'taro', passwordHash: viewerHash, role: 'viewer' },
      ],
    },
    { id: 'other', name: 'Other', apiKeyHashes: [hashApiKey(OTHER_KEY)], defaultCountry: 'JP' },
  ];
}

async function setUp(): Promise<{ api: FastifyInstance; gw: Gateway }> {
  const now = () => NOW;
  gateway = new Gateway({ backend: createMemoryBackend({ now }), router: new RouterHandle(loadRoutingFile(undefined)), drivers: [], accounts: accounts(), usage: { timeZone: 'Asia/Tokyo' }, now });
  app = await buildApp({ gateway, now });
  return { api: app, gw: gateway };
}

const operator = (api: FastifyInstance) => signedInClient(api, { account: 'shop', name: 'hanako', password: 'correct horse battery' });
const viewer = (api: FastifyInstance) => signedInClient(api, { account: 'shop', name: 'taro', password: 'viewer pass phrase' });

function send(api: FastifyInstance, to: string, key = KEY): Promise<LightMyRequestResponse> {
  return api.inject({ method: 'POST', url: '/v1/messages', headers: { authorization: `Bearer ${key}` }, payload: { to, text: 'テスト' } });
}

/** A multipart upload as a browser sends the import form: token, reason and charset, then the file. */
async function upload(
  api: FastifyInstance,
  client: ConsoleClient,
  file: { name: string; body: string | Buffer },
  fields: { reason?: string; charset?: string; csrf?: string | null; header?: boolean } = {},
): Promise<LightMyRequestResponse> {
  const token = csrfTokenOf((await client.get('/console/suppressions')).body);
  const form = new FormData();
  if (fields.csrf !== null && fields.header !== true) form.append('_csrf', fields.csrf ?? token);
  form.append('reason', fields.reason ?? 'imported');
  form.append('charset', fields.charset ?? 'utf-8');
  form.append('file', new Blob([file.body], { type: 'text/csv' }), file.name);
  const encoded = new Response(form);
  return api.inject({
    method: 'POST',
    url: '/console/suppressions/import',
    headers: {
      cookie: client.cookie(),
      'content-type': encoded.headers.get('content-type') ?? '',
      ...(fields.header === true ? { 'x-csrf-token': token } : {}),
    },
    payload: Buffer.from(await encoded.arrayBuffer()),
  });
}

/** The text of an HTML fragment, tags dropped and entities read (enough for these pages). */
function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

function section(html: string, testId: string): string {
  const start = html.indexOf(`data-testid="${testId}"`);
  if (start < 0) throw new Error(`no ${testId} on the page`);
  const tag = html.lastIndexOf('<', start);
  const name = /^<([a-z]+)/.exec(html.slice(tag))?.[1] ?? 'div';
  return html.slice(tag, html.indexOf(`</${name}>`, start) + name.length + 3);
}

describe('suppression list', () => {
  test('an operator adds a number in a national form with a reason; the record shows it; a send to it is refused', async () => {
    const { api } = await setUp();
    const client = await operator(api);
    const list = await client.get('/console/suppressions');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('配信停止リスト');
    expect(list.body).toContain('data-testid="add-form"');
    expect(list.body).toContain('data-testid="import-form"');
    expect(list.body).toContain('配信停止リスト'); // the nav and the title

    const added = await client.post('/console/suppressions', { number: '090-1234-5678', reason: 'complaint', note: '電話で申し出' }, { formPath: '/console/suppressions' });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe('/console/suppressions/%2B819012345678?done=added');

    const record = await client.get(added.headers.location as string);
    expect(record.statusCode).toBe(200);
    expect(record.body).toContain('data-testid="done"');
    const entries = textOf(section(record.body, 'entries'));
    expect(entries).toContain('配信停止中');
    expect(entries).toContain('アカウント全体');
    expect(entries).toContain('苦情');
    expect(entries).toContain('管理画面 (hanako)');
    expect(entries).toContain('2026/12/06 10:00:00');
    expect(textOf(section(record.body, 'consent-record'))).toContain('電話で申し出');

    // The API reads the same entry, made by the console's operator.
    const viaApi = await api.inject({ method: 'GET', url: '/v1/suppressions/09012345678', headers: { authorization: `Bearer ${KEY}` } });
    expect(viaApi.json()).toMatchObject({ suppressed: true, entries: [{ number: '+819012345678', reason: 'complaint', source: { kind: 'operator', detail: 'hanako' }, note: '電話で申し出' }] });

    const refused = await send(api, '+819012345678');
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'GW_RECIPIENT_SUPPRESSED' });

    const listed = await client.get('/console/suppressions');
    expect(textOf(section(listed.body, 'count'))).toContain('全 1 件');
    expect(section(listed.body, 'suppression-list')).toContain('href="/console/suppressions/%2B819012345678"');
  });

  test('lifting asks first, then lifts; the consent record keeps both changes and a send goes through', async () => {
    const { api, gw } = await setUp();
    await gw.suppressions.suppress('shop', { number: '+819012345678', reason: 'opt-out', source: { kind: 'keyword', detail: '配信停止', connector: 'carrier-a' } });
    const client = await operator(api);
    const record = await client.get('/console/suppressions/%2B819012345678');
    expect(textOf(record.body)).toContain('受信者のキーワード (配信停止, 受信: carrier-a)');
    expect(record.body).toContain('href="/console/suppressions/%2B819012345678/lift"');

    const confirm = await client.get('/console/suppressions/%2B819012345678/lift');
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('data-testid="lift-form"');
    expect(textOf(confirm.body)).toContain('+819012345678 の配信停止を解除しますか?');
    // Only the confirmation changes anything.
    expect((await gw.suppressions.lookup('shop', '+819012345678')).entries).toHaveLength(1);

    const lifted = await client.post('/console/suppressions/%2B819012345678/lift', { sender: '', note: '本人から再開の依頼' }, { formPath: '/console/suppressions/%2B819012345678/lift' });
    expect(lifted.statusCode).toBe(303);
    expect(lifted.headers.location).toBe('/console/suppressions/%2B819012345678?done=lifted');
    const after = await client.get(lifted.headers.location as string);
    expect(after.body).toContain('data-testid="not-suppressed"');
    const history = section(after.body, 'consent-record');
    expect([...history.matchAll(/data-action="([a-z]+)"/g)].map((m) => m[1])).toEqual(['suppressed', 'lifted']);
    expect(textOf(history)).toContain('本人から再開の依頼');
    expect(textOf(history)).toContain('管理画面 (hanako)');

    expect((await send(api, '09012345678')).statusCode).toBe(202);
    // Nothing left to lift: 404.
    const again = await client.post('/console/suppressions/%2B819012345678/lift', {}, { formPath: '/console/suppressions' });
    expect(again.statusCode).toBe(404);
    expect(again.body).toContain('data-code="API_NOT_FOUND"');
  });

  test('a sender-only entry names its sender and is lifted on its own', async () => {
    const { api, gw } = await setUp();
    const client = await operator(api);
    const added = await client.post('/console/suppressions', { number: '+819011112222', reason: 'manual', sender: '0312345678' }, { formPath: '/console/suppressions' });
    expect(added.statusCode).toBe(303);
    const [entry] = (await gw.suppressions.lookup('shop', '+819011112222')).entries;
    expect(entry?.sender).toBeDefined();
    const record = await client.get('/console/suppressions/%2B819011112222');
    expect(textOf(section(record.body, 'entries'))).toContain(`送信元 ${entry?.sender ?? ''} のみ`);
    const liftHref = /href="(\/console\/suppressions\/%2B819011112222\/lift\?sender=[^"]+)"/.exec(record.body)?.[1] ?? '';
    expect(liftHref).not.toBe('');
    const confirm = await client.get(liftHref.replace(/&amp;/g, '&'));
    expect(confirm.statusCode).toBe(200);
    const lifted = await client.post('/console/suppressions/%2B819011112222/lift', { sender: entry?.sender ?? '' }, { formPath: liftHref });
    expect(lifted.statusCode).toBe(303);
    expect((await gw.suppressions.lookup('shop', '+819011112222')).entries).toEqual([]);
  });

  test('a number the router refuses comes back on the form with its code and what was typed', async () => {
    const { api, gw } = await setUp();
    const client = await operator(api);
    const answer = await client.post('/console/suppressions', { number: '12ab', reason: 'manual', note: 'x' }, { formPath: '/console/suppressions' });
    expect(answer.statusCode).toBe(400);
    const refusal = section(answer.body, 'refusal');
    expect(refusal).toMatch(/data-code="ROUTE_NUMBER_[A-Z_]+"/);
    expect(textOf(refusal)).toContain('電話番号 (number)');
    expect(answer.body).toMatch(/id="add-number"[^>]*value="12ab"[^>]*aria-invalid="true"/);
    const badReason = await client.post('/console/suppressions', { number: '09012345678', reason: 'whim' }, { formPath: '/console/suppressions' });
    expect(badReason.statusCode).toBe(400);
    expect(section(badReason.body, 'refusal')).toContain('data-code="API_INVALID_BODY"');
    expect(await gw.suppressions.count('shop')).toBe(0);
  });

  test('search reads any form of a number and goes to its record; an unreadable one is explained', async () => {
    const { api } = await setUp();
    const client = await operator(api);
    const found = await client.get('/console/suppressions?q=090-1234-5678');
    expect(found.statusCode).toBe(303);
    expect(found.headers.location).toBe('/console/suppressions/%2B819012345678');
    const record = await client.get(found.headers.location as string);
    expect(record.body).toContain('data-testid="not-suppressed"');
    expect(record.body).toContain('この番号の記録はありません');
    const bad = await client.get('/console/suppressions?q=hello');
    expect(bad.statusCode).toBe(400);
    expect(section(bad.body, 'refusal')).toContain('data-code="ROUTE_NUMBER_UNPARSABLE"');
    expect(bad.body).toMatch(/id="q"[^>]*value="hello"/);
  });

  test('the list pages 50 at a time with an opaque cursor; a forged cursor shows the first page and says so', async () => {
    const { api, gw } = await setUp();
    for (let i = 0; i < 55; i += 1) await gw.suppressions.suppress('shop', { number: `+8190${String(10000000 + i)}`, reason: 'imported', source: { kind: 'import', detail: 'seed' } });
    const client = await viewer(api);
    const first = await client.get('/console/suppressions');
    expect(textOf(section(first.body, 'count'))).toContain('全 55 件');
    expect(section(first.body, 'suppression-list').match(/<tr>/g)).toHaveLength(51); // the head and 50 rows
    const next = /href="([^"]+)" rel="next"/.exec(first.body)?.[1] ?? '';
    expect(next).toMatch(/^\/console\/suppressions\?cursor=/);
    const second = await client.get(next);
    expect(section(second.body, 'suppression-list').match(/<tr>/g)).toHaveLength(6);
    expect(second.body).not.toContain('rel="next"');
    expect(second.body).toContain('最初のページへ');
    const forged = await client.get(`/console/suppressions?cursor=${Buffer.from('not a cursor').toString('base64url')}`);
    expect(forged.statusCode).toBe(400);
    expect(section(forged.body, 'refusal')).toContain('data-code="GW_INVALID_CURSOR"');
    expect(section(forged.body, 'suppression-list').match(/<tr>/g)).toHaveLength(51);
  });

  test('export is the API export, byte for byte (UTF-8 with BOM), for viewers too', async () => {
    const { api, gw } = await setUp();
    await gw.suppressions.suppress('shop', { number: '+819012345678', reason: 'manual', source: { kind: 'operator', detail: 'hanako' }, note: '=1+1' });
    await gw.suppressions.suppress('other', { number: '+819099999999', reason: 'manual', source: { kind: 'operator', detail: 'x' } });
    const client = await viewer(api);
    const console = await client.get('/console/suppressions/export.csv');
    const viaApi = await api.inject({ method: 'GET', url: '/v1/suppressions/export', headers: { authorization: `Bearer ${KEY}` } });
    expect(console.statusCode).toBe(200);
    expect(console.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(console.headers['content-disposition']).toBe('attachment; filename="suppressions-shop.csv"');
    expect(console.rawPayload.equals(viaApi.rawPayload)).toBe(true);
    expect(console.body.startsWith('\uFEFFnumber,sender,reason')).toBe(true);
    expect(console.body).toContain("'=1+1");
    expect(console.body).not.toContain('+819099999999');
  });
});

describe('CSV import', () => {
  test('good rows are applied and each bad row is listed with its line, column and code', async () => {
    const { api, gw } = await setUp();
    const client = await operator(api);
    const csv = ['number,reason,note', '090-1000-0001,,', 'not-a-number,manual,', '+819010000003,whim,', '090-1000-0004,complaint,苦情窓口', ',manual,', '090-1000-0005,manual,a,extra'].join('\r\n');
    const answer = await upload(api, client, { name: 'stop-list.csv', body: csv }, { reason: 'bounced' });
    expect(answer.statusCode).toBe(200);
    expect(section(answer.body, 'rows')).toContain('>6<');
    expect(section(answer.body, 'added')).toContain('>2<');
    expect(section(answer.body, 'refused')).toContain('>4<');
    const errors = section(answer.body, 'row-errors');
    expect([...errors.matchAll(/data-line="(\d+)" data-code="([A-Z_]+)"/g)].map((m) => [Number(m[1]), m[2]])).toEqual([
      [3, 'ROUTE_NUMBER_UNPARSABLE'],
      [4, 'API_INVALID_CSV_ROW'],
      [6, 'API_INVALID_CSV_ROW'],
      [7, 'API_INVALID_CSV_ROW'],
    ]);
    expect(textOf(errors)).toContain('理由 (reason)');
    expect(textOf(errors)).toContain('行全体');
    const first = await gw.suppressions.lookup('shop', '09010000001');
    expect(first.entries[0]).toMatchObject({ reason: 'bounced', source: { kind: 'import', detail: 'stop-list.csv (hanako)' } });
    expect((await gw.suppressions.lookup('shop', '09010000004')).entries[0]).toMatchObject({ reason: 'complaint', note: '苦情窓口' });
    // The same answer as the API for the same file.
    const viaApi = await api.inject({ method: 'POST', url: '/v1/suppressions/import?reason=bounced', headers: { authorization: `Bearer ${OTHER_KEY}`, 'content-type': 'text/csv' }, payload: csv });
    expect(viaApi.json()).toMatchObject({ rows: 6, added: 2, refused: 4 });
  });

  test('a Shift_JIS file (as Excel saves it) with the charset chosen; the token may come in the header', async () => {
    const { api, gw } = await setUp();
    const client = await operator(api);
    // "number,note\r\n09012340000,電話で停止依頼\r\n" in Shift_JIS (電話で停止依頼 = 93 64 98 62 82 C5 92 E2 8E 7E 88 CB 97 8A).
    const body = Buffer.concat([Buffer.from('number,note\r\n09012340000,'), Buffer.from('9364986282c592e28e7e88cb978a', 'hex'), Buffer.from('\r\n')]);
    const answer = await upload(api, client, { name: '停止.csv', body }, { charset: 'shift_jis', header: true });
    expect(answer.statusCode).toBe(200);
    expect(section(answer.body, 'added')).toContain('>1<');
    expect((await gw.suppressions.lookup('shop', '09012340000')).entries[0]).toMatchObject({ note: '電話で停止依頼', reason: 'imported' });
    // Read as UTF-8, the same bytes are refused whole.
    const wrong = await upload(api, client, { name: 'x.csv', body }, { charset: 'utf-8' });
    expect(wrong.statusCode).toBe(400);
    expect(section(wrong.body, 'refusal')).toContain('data-code="API_INVALID_CSV"');
  });

  test('a file without a number column, or no file at all, is refused whole with API_INVALID_CSV', async () => {
    const { api, gw } = await setUp();
    const client = await operator(api);
    const noNumber = await upload(api, client, { name: 'x.csv', body: 'phone\r\n09012345678\r\n' });
    expect(noNumber.statusCode).toBe(400);
    const refusal = section(noNumber.body, 'refusal');
    expect(refusal).toContain('data-code="API_INVALID_CSV"');
    expect(textOf(refusal)).toContain('CSVファイルを読み込めません');
    const none = await upload(api, client, { name: '', body: '' });
    expect(none.statusCode).toBe(400);
    expect(section(none.body, 'refusal')).toContain('data-code="API_INVALID_CSV"');
    expect(await gw.suppressions.count('shop')).toBe(0);
  });
});

describe('roles, CSRF and accounts', () => {
  test('a viewer reads the list and records but cannot add, lift or import, and sees no forms to do so', async () => {
    const { api, gw } = await setUp();
    await gw.suppressions.suppress('shop', { number: '+819012345678', reason: 'manual', source: { kind: 'operator', detail: 'hanako' } });
    const client = await viewer(api);
    const list = await client.get('/console/suppressions');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('data-testid="add-form"');
    expect(list.body).not.toContain('data-testid="import-form"');
    const record = await client.get('/console/suppressions/%2B819012345678');
    expect(record.statusCode).toBe(200);
    expect(record.body).not.toContain('data-testid="lift"');

    const add = await client.post('/console/suppressions', { number: '09011112222', reason: 'manual' }, { formPath: '/console/suppressions' });
    expect(add.statusCode).toBe(403);
    expect(add.body).toContain('data-code="API_ROLE_FORBIDDEN"');
    expect((await client.get('/console/suppressions/%2B819012345678/lift')).statusCode).toBe(403);
    const lift = await client.post('/console/suppressions/%2B819012345678/lift', {}, { formPath: '/console/suppressions' });
    expect(lift.statusCode).toBe(403);
    const imported = await upload(api, client, { name: 'x.csv', body: 'number\r\n09033334444\r\n' });
    expect(imported.statusCode).toBe(403);
    expect(imported.body).toContain('data-code="API_ROLE_FORBIDDEN"');
    expect((await gw.suppressions.list('shop', 10)).entries.map((e) => e.number)).toEqual(['+819012345678']);
  });

  test('add, lift and import without the page’s CSRF token are refused with API_CSRF_INVALID and change nothing', async () => {
    const { api, gw } = await setUp();
    await gw.suppressions.suppress('shop', { number: '+819012345678', reason: 'manual', source: { kind: 'operator', detail: 'hanako' } });
    const client = await operator(api);
    const bare = (url: string, payload: string) => api.inject({ method: 'POST', url, headers: { cookie: client.cookie(), 'content-type': 'application/x-www-form-urlencoded' }, payload });
    const add = await bare('/console/suppressions', 'number=09011112222&reason=manual');
    expect(add.statusCode).toBe(403);
    expect(add.body).toContain('data-code="API_CSRF_INVALID"');
    expect((await bare('/console/suppressions/%2B819012345678/lift', 'note=x')).statusCode).toBe(403);
    const forged = await bare('/console/suppressions', 'number=09011112222&reason=manual&_csrf=forged-token');
    expect(forged.statusCode).toBe(403);
    const imported = await upload(api, client, { name: 'x.csv', body: 'number\r\n09033334444\r\n' }, { csrf: null });
    expect(imported.statusCode).toBe(403);
    expect(imported.body).toContain('data-code="API_CSRF_INVALID"');
    const wrongToken = await upload(api, client, { name: 'x.csv', body: 'number\r\n09033334444\r\n' }, { csrf: 'forged-token' });
    expect(wrongToken.statusCode).toBe(403);
    expect((await gw.suppressions.list('shop', 10)).entries.map((e) => e.number)).toEqual(['+819012345678']);
  });

  test("an account sees and changes only its own list: another account's entry is not listed, not shown and not lifted", async () => {
    const { api, gw } = await setUp();
    await gw.suppressions.suppress('other', { number: '+819055556666', reason: 'complaint', source: { kind: 'api', detail: 'key abc' } });
    const client = await operator(api);
    const list = await client.get('/console/suppressions');
    expect(list.body).not.toContain('819055556666');
    expect(textOf(section(list.body, 'count'))).toContain('全 0 件');
    const record = await client.get('/console/suppressions/%2B819055556666');
    expect(record.body).toContain('data-testid="not-suppressed"');
    expect(record.body).not.toContain('complaint');
    expect(record.body).not.toContain('苦情');
    expect((await client.get('/console/suppressions/%2B819055556666/lift')).statusCode).toBe(404);
    const lift = await client.post('/console/suppressions/%2B819055556666/lift', {}, { formPath: '/console/suppressions' });
    expect(lift.statusCode).toBe(404);
    expect((await gw.suppressions.lookup('other', '+819055556666')).entries).toHaveLength(1);
    // And what this account adds does not stop the other's sends.
    await client.post('/console/suppressions', { number: '+819077778888', reason: 'manual' }, { formPath: '/console/suppressions' });
    expect((await send(api, '+819077778888', OTHER_KEY)).statusCode).toBe(202);
    expect((await send(api, '+819077778888')).statusCode).toBe(422);
  });

  test('English pages from the browser language', async () => {
    const { api, gw } = await setUp();
    await gw.suppressions.suppress('shop', { number: '+819012345678', reason: 'opt-out', source: { kind: 'keyword', detail: 'STOP' } });
    const client = await operator(api);
    const list = await client.get('/console/suppressions', { 'accept-language': 'en-US' });
    expect(list.body).toContain('<html lang="en">');
    expect(textOf(list.body)).toContain('1 in all');
    const record = await client.get('/console/suppressions/%2B819012345678', { 'accept-language': 'en-US' });
    expect(textOf(record.body)).toContain("Recipient's keyword (STOP)");
    expect(textOf(record.body)).toContain('Recipient opted out');
  });
});
