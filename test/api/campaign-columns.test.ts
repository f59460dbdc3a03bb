/**
 * POST /v1/campaigns/columns through fastify inject: a CSV's columns, default phone column, rows and encoding
 * (Shift_JIS and UTF-8 with a BOM), and the refusals with their codes (no file, a field after the file, an
 * unreadable file, JSON instead of a form, no key).
 */
import iconv from 'iconv-lite';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../api/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile } from '../../gateway/index.ts';
import { RouterHandle } from '../../router/index.ts';

const KEY = 'campaign-columns-key-0123456789abcdef';
const auth = { authorization: `Bearer ${KEY}` };
const BOUNDARY = 'columns-boundary-7MA4YWxkTrZu0gW';

let gateway: Gateway;
let app: FastifyInstance;

beforeAll(async () => {
  gateway = new Gateway({
    backend: createMemoryBackend(),
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [],
    accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP' }],
  });
  await gateway.start();
  app = await buildApp({ gateway });
});

afterAll(async () => {
  await app.close();
  await gateway.stop();
});

function form(parts: readonly ({ name: string; value: string } | { name: string; file: Buffer })[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const head = 'value' in part ? `name="${part.name}"` : `name="${part.name}"; filename="list.csv"\r\nContent-Type: text/csv`;
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; ${head}\r\n\r\n`), 'value' in part ? Buffer.from(part.value) : part.file, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

const post = (payload: Buffer, headers: Record<string, string> = auth) =>
  app.inject({ method: 'POST', url: '/v1/campaigns/columns', headers: { ...headers, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, payload });

const TEXT = '氏名,携帯番号,金額\r\n山田,090-1000-0001,1200\r\n佐藤,090-1000-0002,300\r\n';

describe('POST /v1/campaigns/columns', () => {
  test('a Shift_JIS file: its columns, the phone column a campaign would take, rows and encoding', async () => {
    const answer = await post(form([{ name: 'file', file: iconv.encode(TEXT, 'cp932') }]));
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ columns: ['氏名', '携帯番号', '金額'], phoneColumn: '携帯番号', rows: 2, encoding: 'shift_jis' });
  });

  test('UTF-8 with a BOM, the encoding named before the file', async () => {
    const answer = await post(form([{ name: 'encoding', value: 'utf-8' }, { name: 'file', file: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]) }]));
    expect(answer.json()).toEqual({ columns: ['氏名', '携帯番号', '金額'], phoneColumn: '携帯番号', rows: 2, encoding: 'utf-8' });
  });

  test.each([
    ['no file part', form([{ name: 'encoding', value: 'auto' }]), 400, 'CAMPAIGN_INVALID_REQUEST'],
    ['a field after the file', form([{ name: 'file', file: Buffer.from(TEXT) }, { name: 'encoding', value: 'auto' }]), 400, 'CAMPAIGN_INVALID_REQUEST'],
    ['a field the form does not take', form([{ name: 'template', value: 'x' }, { name: 'file', file: Buffer.from(TEXT) }]), 400, 'CAMPAIGN_INVALID_REQUEST'],
    ['Shift_JIS named as UTF-8', form([{ name: 'encoding', value: 'utf-8' }, { name: 'file', file: iconv.encode(TEXT, 'cp932') }]), 400, 'CAMPAIGN_INVALID_CSV'],
    ['an empty file', form([{ name: 'file', file: Buffer.alloc(0) }]), 400, 'CAMPAIGN_INVALID_CSV'],
  ])('%s: %i %s', async (_name, payload, status, code) => {
    const answer = await post(payload);
    expect(answer.statusCode).toBe(status);
    expect(answer.json()).toMatchObject({ code });
  });

  test('JSON is not a CSV upload; no key is 401', async () => {
    const json = await app.inject({ method: 'POST', url: '/v1/campaigns/columns', headers: auth, payload: { rows: [] } });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ code: 'CAMPAIGN_INVALID_REQUEST' });
    expect((await post(form([{ name: 'file', file: Buffer.from(TEXT) }]), {})).statusCode).toBe(401);
  });
});
