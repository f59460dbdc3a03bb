/**
 * POST /v1/campaigns/preview through fastify inject (memory backend, no drivers): a Shift_JIS CSV uploaded as
 * multipart (fields before the file, streamed; and the file first, held), JSON rows, the answer's totals and row
 * errors, and the request-level refusals with their codes.
 */
import iconv from 'iconv-lite';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../api/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile } from '../../gateway/index.ts';
import type { MessageBackend } from '../../gateway/ports/backend.ts';
import { RouterHandle } from '../../router/index.ts';

const KEY = 'campaign-key-0123456789abcdefghijkl';
const auth = { authorization: `Bearer ${KEY}` };
const NOW = Date.UTC(2026, 11, 6, 3, 0, 0);

let backend: MessageBackend;
let gateway: Gateway;
let app: FastifyInstance;

beforeAll(async () => {
  backend = createMemoryBackend({ now: () => NOW });
  gateway = new Gateway({
    backend,
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [],
    accounts: [{ id: 'demo', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP' }],
    shortLinks: { baseUrl: 'https://s.example.jp', codeLength: 10 },
    now: () => NOW,
  });
  await gateway.start();
  await gateway.suppressions.suppress('demo', { number: '090-9999-0001', reason: 'opt-out', source: { kind: 'operator' } });
  app = await buildApp({ gateway });
});

afterAll(async () => {
  await app.close();
  await gateway.stop();
  await backend.close();
});

const BOUNDARY = 'campaign-boundary-7MA4YWxkTrZu0gW';

/** A multipart/form-data body built by hand: text fields and one file part, in the order given. */
function form(parts: readonly ({ name: string; value: string } | { name: string; file: Buffer; filename: string })[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('value' in part) {
      chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n`), Buffer.from(part.value, 'utf8'), Buffer.from('\r\n'));
    } else {
      chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: text/csv\r\n\r\n`), part.file, Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

const upload = (body: Buffer) => app.inject({ method: 'POST', url: '/v1/campaigns/preview', headers: { ...auth, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, payload: body });

const CSV = iconv.encode(
  ['電話番号,氏名,金額', '090-1000-0001,"山田, 太郎",1200', '090-1000-0002,"佐藤', '花子",300', 'bad,誰か,1', '090-9999-0001,拒否,1', '090-1000-0001,重複,1'].join('\r\n'),
  'cp932',
);
const TEMPLATE = '{{氏名}}様 {{金額}}円 {{link}}';

interface Preview {
  rows: { total: number; valid: number; refused: number; skipped: number };
  messages: number;
  segments: number;
  price: Record<string, number>;
  carriers: Record<string, number>;
  refusals: Record<string, number>;
  errors: { line: number; column?: string; code: string; message: string }[];
  sample: { line: number; to: string; text: string; segments: number; carrier: string }[];
  encoding?: string;
}

describe('POST /v1/campaigns/preview', () => {
  test.each([
    ['fields before the file (streamed)', true],
    ['the file before the fields (held)', false],
  ])('a Shift_JIS CSV upload, %s: totals, row errors with lines and codes, rendered sample', async (_name, fieldsFirst) => {
    const fields = [
      { name: 'template', value: TEMPLATE },
      { name: 'duplicates', value: 'refuse' },
      { name: 'sampleRows', value: '5' },
    ];
    const file = { name: 'file', file: CSV, filename: 'list.csv' };
    const response = await upload(form(fieldsFirst ? [...fields, file] : [file, ...fields]));
    expect(response.statusCode).toBe(200);
    const preview = response.json<Preview>();
    expect(preview).toMatchObject({
      rows: { total: 5, valid: 2, refused: 3, skipped: 0 },
      messages: 2,
      encoding: 'shift_jis',
      refusals: { CAMPAIGN_INVALID_NUMBER: 1, CAMPAIGN_RECIPIENT_SUPPRESSED: 1, CAMPAIGN_DUPLICATE_NUMBER: 1 },
      errors: [
        { line: 5, column: '電話番号', code: 'CAMPAIGN_INVALID_NUMBER' },
        { line: 6, column: '電話番号', code: 'CAMPAIGN_RECIPIENT_SUPPRESSED' },
        { line: 7, column: '電話番号', code: 'CAMPAIGN_DUPLICATE_NUMBER' },
      ],
      sample: [
        { line: 2, to: '+819010000001', text: '山田, 太郎様 1200円 https://s.example.jp/l/XXXXXXXXXX' },
        { line: 3, to: '+819010000002', text: '佐藤\n花子様 300円 https://s.example.jp/l/XXXXXXXXXX' },
      ],
    });
    expect(preview.segments).toBe(preview.sample.reduce((sum, row) => sum + row.segments, 0));
    expect(preview.price.JPY).toBeGreaterThan(0);
  });

  test('JSON rows, under duplicates=first', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/campaigns/preview',
      headers: auth,
      payload: { template: 'Hi {{name}}, {{amount}} yen', duplicates: 'first', rows: [{ to: '09010000001', name: 'A', amount: 5 }, { to: '+819010000001', name: 'B', amount: 6 }, { to: '09010000003', name: 'C' }] },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json<Preview>()).toMatchObject({
      rows: { total: 3, valid: 1, refused: 1, skipped: 1 },
      sample: [{ line: 1, text: 'Hi A, 5 yen', segments: 1 }],
      errors: [{ line: 3, column: 'amount', code: 'CAMPAIGN_MISSING_VARIABLE' }],
    });
    expect(response.json<Preview>().encoding).toBeUndefined();
  });

  test.each([
    ['no file part', () => form([{ name: 'template', value: 'x' }]), 400, 'CAMPAIGN_INVALID_REQUEST'],
    ['no template', () => form([{ name: 'file', file: CSV, filename: 'a.csv' }]), 400, 'CAMPAIGN_INVALID_REQUEST'],
    ['an unknown field', () => form([{ name: 'tempalte', value: 'x' }]), 400, 'CAMPAIGN_INVALID_REQUEST'],
    ['a bad duplicates policy', () => form([{ name: 'template', value: 'x' }, { name: 'duplicates', value: 'last' }, { name: 'file', file: CSV, filename: 'a.csv' }]), 400, 'CAMPAIGN_INVALID_REQUEST'],
    ['an unknown encoding', () => form([{ name: 'template', value: 'x' }, { name: 'encoding', value: 'ebcdic' }, { name: 'file', file: CSV, filename: 'a.csv' }]), 400, 'CAMPAIGN_INVALID_REQUEST'],
    ['a template with a section', () => form([{ name: 'template', value: '{{#a}}{{/a}}' }, { name: 'file', file: CSV, filename: 'a.csv' }]), 400, 'CAMPAIGN_INVALID_TEMPLATE'],
    ['a variable no column has', () => form([{ name: 'template', value: '{{nope}}' }, { name: 'file', file: CSV, filename: 'a.csv' }]), 400, 'CAMPAIGN_UNKNOWN_VARIABLE'],
    ['no phone column', () => form([{ name: 'template', value: 'x' }, { name: 'file', file: Buffer.from('name\nA\n'), filename: 'a.csv' }]), 400, 'CAMPAIGN_NO_PHONE_COLUMN'],
    ['broken quoting', () => form([{ name: 'template', value: 'x' }, { name: 'file', file: Buffer.from('phone\n"0901\n'), filename: 'a.csv' }]), 400, 'CAMPAIGN_INVALID_CSV'],
  ])('%s is refused whole', async (_name, body, status, code) => {
    const response = await upload(body());
    expect(response.statusCode).toBe(status);
    expect(response.json<{ code: string }>().code).toBe(code);
  });

  test('JSON bodies are checked against the schema; no key is 401', async () => {
    const bad = await app.inject({ method: 'POST', url: '/v1/campaigns/preview', headers: auth, payload: { template: 'x', rows: [{ to: true }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ code: string }>().code).toBe('API_INVALID_BODY');
    const anonymous = await app.inject({ method: 'POST', url: '/v1/campaigns/preview', payload: { template: 'x', rows: [] } });
    expect(anonymous.statusCode).toBe(401);
  });

  test('the OpenAPI document has the route with both body forms', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, { post?: { requestBody?: { content: Record<string, unknown> } } }> }>();
    expect(Object.keys(doc.paths['/v1/campaigns/preview']?.post?.requestBody?.content ?? {})).toEqual(['application/json', 'multipart/form-data']);
  });
});
