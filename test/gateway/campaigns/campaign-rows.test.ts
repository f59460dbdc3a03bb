/**
 * Campaign input: CSV reading (UTF-8 with and without a BOM, Shift_JIS detected or named, quoted commas and line
 * breaks, lines as the file has them, input split at every offset), the template, every row refusal, both
 * duplicate policies, the preview's totals, and the same rows submitted through the accept path (carrier, parts
 * and price agree).
 */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createMemoryBackend,
  Gateway,
  linkPlaceholder,
  PreviewTotals,
  type CampaignRowResult,
  type CampaignRowsRequest,
  type CampaignSource,
  type PreviewProgress,
} from '../../../gateway/index.ts';
import type { MessageBackend } from '../../../gateway/ports/backend.ts';
import { loadRoutingFile } from '../../../gateway/index.ts';
import { RouterHandle } from '../../../router/index.ts';

const NOW = Date.UTC(2026, 11, 6, 3, 0, 0);
const LINK = { baseUrl: 'https://s.example.jp/l/', codeLength: 10 };

let backend: MessageBackend;
let gateway: Gateway;

beforeAll(async () => {
  backend = createMemoryBackend({ now: () => NOW });
  gateway = new Gateway({
    backend,
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [],
    accounts: [{ id: 'demo', apiKeyHashes: [], defaultCountry: 'JP' }],
    shortLinks: { baseUrl: 'https://s.example.jp', codeLength: LINK.codeLength },
    now: () => NOW,
  });
  await gateway.start();
  await gateway.suppressions.suppress('demo', { number: '090-9999-0001', reason: 'opt-out', source: { kind: 'operator' } });
});

afterAll(async () => {
  await gateway.stop();
  await backend.close();
});

function* chunks(octets: Buffer, size: number): Generator<Uint8Array> {
  for (let i = 0; i < octets.length; i += size) yield octets.subarray(i, i + size);
}

const csv = (octets: Buffer, encoding?: string, size = 64 * 1024): CampaignSource => ({ kind: 'csv', octets: chunks(octets, size), ...(encoding === undefined ? {} : { encoding }) });

async function results(source: CampaignSource, request: CampaignRowsRequest): Promise<CampaignRowResult[]> {
  const out: CampaignRowResult[] = [];
  for await (const row of gateway.campaignInput.rows('demo', source, request).rows) out.push(row);
  return out;
}

const JAPANESE = '電話番号,氏名,金額\r\n090-1000-0001,"山田, 太郎",1200\r\n090-1000-0002,"佐藤\r\n花子",300\r\n\r\n080-1234-5678,鈴木①,50\r\n';
const TEMPLATE = '{{氏名}}様 ご請求額は{{金額}}円です';

describe('reading the CSV', () => {
  test.each([
    ['UTF-8 with a BOM', Buffer.from(`\uFEFF${JAPANESE}`, 'utf8'), undefined, 'utf-8'],
    ['UTF-8 without a BOM', Buffer.from(JAPANESE, 'utf8'), undefined, 'utf-8'],
    ['Shift_JIS (CP932), detected', iconv.encode(JAPANESE, 'cp932'), undefined, 'shift_jis'],
    ['Shift_JIS named by the operator', iconv.encode(JAPANESE, 'cp932'), 'cp932', 'shift_jis'],
  ])('%s: quoted commas and line breaks, lines as in the file, CRLF in a cell read as LF', async (_name, octets, encoding, expected) => {
    const input = gateway.campaignInput.rows('demo', csv(octets, encoding), { template: TEMPLATE });
    const rows: CampaignRowResult[] = [];
    for await (const row of input.rows) rows.push(row);
    expect(input.encoding()).toBe(expected);
    expect(rows).toMatchObject([
      { ok: true, line: 2, to: '+819010000001', text: '山田, 太郎様 ご請求額は1200円です', variables: { 氏名: '山田, 太郎', 金額: '1200' } },
      { ok: true, line: 3, to: '+819010000002', text: '佐藤\n花子様 ご請求額は300円です' },
      { ok: true, line: 6, to: '+818012345678', carrier: 'docomo', text: '鈴木①様 ご請求額は50円です' },
    ]);
  });

  test('the same rows whatever the chunks: a Shift_JIS file split at every offset', async () => {
    const octets = iconv.encode(JAPANESE, 'cp932');
    const whole = await results(csv(octets), { template: TEMPLATE });
    for (let cut = 1; cut < octets.length; cut += 1) {
      expect(await results({ kind: 'csv', octets: [octets.subarray(0, cut), octets.subarray(cut)] }, { template: TEMPLATE })).toEqual(whole);
    }
    expect(await results(csv(octets, undefined, 1), { template: TEMPLATE })).toEqual(whole);
  });

  test('a Shift_JIS file read as UTF-8 is refused with the offset, never decoded to U+FFFD', async () => {
    const refusal = results(csv(iconv.encode(JAPANESE, 'cp932'), 'utf-8'), { template: TEMPLATE });
    await expect(refusal).rejects.toMatchObject({ code: 'CAMPAIGN_INVALID_CSV' });
    await expect(refusal).rejects.toThrow(/not valid UTF-8 after byte \d+/);
  });

  test.each([
    ['broken quoting', 'phone,name\n09010000001,"open\n', 'CAMPAIGN_INVALID_CSV'],
    ['an empty file', '', 'CAMPAIGN_INVALID_CSV'],
    ['a repeated column', 'phone,name,name\n', 'CAMPAIGN_INVALID_CSV'],
    ['no phone column', 'name,amount\nx,1\n', 'CAMPAIGN_NO_PHONE_COLUMN'],
    ['a variable no column supplies', 'phone,amount\n09010000001,1\n', 'CAMPAIGN_UNKNOWN_VARIABLE'],
  ])('%s refuses the file', async (_name, text, code) => {
    await expect(results(csv(Buffer.from(text)), { template: 'Hi {{name}}' })).rejects.toMatchObject({ code });
  });

  test('an unknown encoding name is refused', () => {
    return expect(results(csv(Buffer.from('phone\n'), 'latin9'), { template: 'x' })).rejects.toMatchObject({ code: 'CAMPAIGN_INVALID_REQUEST', details: { field: 'encoding' } });
  });

  test('the phone column can be named; more rows than allowed refuse the file', async () => {
    const file = Buffer.from('携帯,name\n09010000001,A\n09010000002,B\n09010000003,C\n');
    expect(await results(csv(file), { template: 'Hi {{name}}', phoneColumn: '携帯' })).toHaveLength(3);
    await expect(results(csv(file), { template: 'Hi {{name}}', phoneColumn: '携帯', maxRows: 2 })).rejects.toMatchObject({ code: 'CAMPAIGN_TOO_MANY_ROWS' });
  });
});

describe('the template', () => {
  test.each([
    ['a section', '{{#name}}x{{/name}}'],
    ['a partial', '{{> other}}'],
    ['a dotted name', '{{a.b}}'],
    ['an unclosed tag', 'Hi {{name'],
    ['an empty template', '  '],
  ])('%s is refused', (_name, template) => {
    expect(() => gateway.campaignInput.rows('demo', { kind: 'rows', rows: [] }, { template })).toThrow(expect.objectContaining({ code: 'CAMPAIGN_INVALID_TEMPLATE' }) as Error);
  });

  test('values are not HTML-escaped', async () => {
    const [row] = await results({ kind: 'rows', rows: [{ phone: '09010000001', name: '<A&B> "Co"' }] }, { template: '{{name}} & {{{name}}}' });
    expect(row).toMatchObject({ ok: true, text: '<A&B> "Co" & <A&B> "Co"' });
  });

  test('{{link}} renders as a placeholder of the final link length, so the segment count is exact', async () => {
    const placeholder = linkPlaceholder(LINK);
    expect(placeholder).toHaveLength(LINK.baseUrl.length + 10);
    // 160 GSM characters in one part: the link plus a name padded to fill exactly 160.
    const fill = 'a'.repeat(160 - ' '.length - placeholder.length);
    const rows = await results({ kind: 'rows', rows: [{ phone: '09010000001', name: fill }, { phone: '09010000002', name: `${fill}b` }] }, { template: '{{name}} {{link}}' });
    expect(rows).toMatchObject([
      { ok: true, text: `${fill} ${placeholder}`, encoding: 'gsm7', segments: 1 },
      { ok: true, encoding: 'gsm7', segments: 2 },
    ]);
  });

  test("{{link}} takes the gateway's short-link shape: its base URL (the listening origin when none is set) and code length", async () => {
    const bare = new Gateway({ backend, router: new RouterHandle(loadRoutingFile(undefined)), drivers: [], accounts: [{ id: 'demo', apiKeyHashes: [], defaultCountry: 'JP' }], now: () => NOW });
    const input = bare.campaignInput.rows('demo', { kind: 'rows', rows: [{ phone: '09010000001' }] }, { template: 'Go {{link}}' });
    const rendered: unknown[] = [];
    for await (const row of input.rows) rendered.push(row);
    expect(rendered).toMatchObject([{ ok: true, text: `Go ${bare.shortLinks.sampleUrl().replace(/x+$/, (x) => 'X'.repeat(x.length))}` }]);
  });
});

describe('row validation', () => {
  const file = [
    'phone,name,note',
    '090-1000-0001,Alice,ok', // 2
    'not-a-number,Bob,x', // 3
    '090-1000-0003,,x', // 4: missing name
    `080-1234-5678,${'あ'.repeat(659)},x`, // 5: with 様, 660 UCS-2 characters for docomo: 10 parts
    `080-1234-5679,${'あ'.repeat(660)},x`, // 6: 661: refused
    '090-9999-0001,Eve,x', // 7: suppressed
    '+819010000001,Alice again,x', // 8: duplicate of line 2
    '090-1000-0009,Too,many,fields', // 9
    ',Nobody,x', // 10: empty phone
    '090-1000-0010,"Tab\there",x', // 11: control character
  ].join('\r\n');
  const template = '{{name}}様';

  test('each bad row is reported with its line, column and code; the good rows go on', async () => {
    const rows = await results(csv(Buffer.from(file)), { template });
    expect(rows.map((row) => (row.ok ? [row.line, 'ok', row.segments] : [row.line, row.code, row.column]))).toEqual([
      [2, 'ok', 1],
      [3, 'CAMPAIGN_INVALID_NUMBER', 'phone'],
      [4, 'CAMPAIGN_MISSING_VARIABLE', 'name'],
      [5, 'ok', 10],
      [6, 'CAMPAIGN_TOO_MANY_PARTS', 'template'],
      [7, 'CAMPAIGN_RECIPIENT_SUPPRESSED', 'phone'],
      [8, 'CAMPAIGN_DUPLICATE_NUMBER', 'phone'],
      [9, 'CAMPAIGN_INVALID_ROW', undefined],
      [10, 'CAMPAIGN_INVALID_NUMBER', 'phone'],
      [11, 'CAMPAIGN_INVALID_TEXT', 'template'],
    ]);
    const missing = rows.find((row) => !row.ok && row.code === 'CAMPAIGN_MISSING_VARIABLE');
    expect(missing?.ok === false ? missing.message : '').toContain('{{name}}');
  });

  test('duplicates: refuse lists them as errors, first skips them quietly; either way the first good row keeps the number', async () => {
    const rows = [
      { phone: '09010000001', name: '' }, // refused (missing): does not take the number
      { phone: '090-1000-0001', name: 'A' },
      { phone: '+819010000001', name: 'B' },
    ];
    const refuse = new PreviewTotals();
    for (const row of await results({ kind: 'rows', rows }, { template: '{{name}}', duplicates: 'refuse' })) refuse.add(row);
    expect(refuse.result()).toMatchObject({ rows: { total: 3, valid: 1, refused: 2, skipped: 0 }, refusals: { CAMPAIGN_MISSING_VARIABLE: 1, CAMPAIGN_DUPLICATE_NUMBER: 1 } });
    expect(refuse.result().sample).toMatchObject([{ line: 2, text: 'A' }]);
    const first = new PreviewTotals();
    for (const row of await results({ kind: 'rows', rows }, { template: '{{name}}', duplicates: 'first' })) first.add(row);
    expect(first.result()).toMatchObject({ rows: { total: 3, valid: 1, refused: 1, skipped: 1 }, refusals: { CAMPAIGN_MISSING_VARIABLE: 1 } });
    expect(first.result().errors).toHaveLength(1);
  });

  test('the preview totals agree with the accept path: carrier, parts and price of the same texts', async () => {
    const progress: PreviewProgress[] = [];
    const preview = await gateway.campaignInput.preview('demo', csv(Buffer.from(file)), { template }, { sampleRows: 5, every: 4, progress: (p) => progress.push(p) });
    expect(preview.rows).toEqual({ total: 10, valid: 2, refused: 8, skipped: 0 });
    expect(progress).toEqual([{ rows: 4, valid: 2, refused: 2 }, { rows: 8, valid: 2, refused: 6 }]);
    expect(preview.encoding).toBe('utf-8');
    let segments = 0;
    let price = 0;
    const carriers: Record<string, number> = {};
    for (const row of preview.sample) {
      const accepted = await gateway.messages.submit('demo', { to: row.to, text: row.text });
      expect({ carrier: accepted.carrier, parts: accepted.parts, encoding: accepted.encoding }).toEqual({ carrier: row.carrier, parts: row.segments, encoding: row.encoding });
      const record = await gateway.messages.get('demo', accepted.id);
      const perSegment = record.envelope.prices?.[0] ?? 0;
      expect(row.price).toBeCloseTo(perSegment * accepted.parts, 6);
      segments += accepted.parts;
      price += perSegment * accepted.parts;
      carriers[accepted.carrier] = (carriers[accepted.carrier] ?? 0) + 1;
    }
    expect(preview).toMatchObject({ messages: 2, segments, carriers });
    expect(preview.price.JPY).toBeCloseTo(price, 6);
    expect(preview.refusals).toEqual({
      CAMPAIGN_INVALID_NUMBER: 2,
      CAMPAIGN_MISSING_VARIABLE: 1,
      CAMPAIGN_TOO_MANY_PARTS: 1,
      CAMPAIGN_RECIPIENT_SUPPRESSED: 1,
      CAMPAIGN_DUPLICATE_NUMBER: 1,
      CAMPAIGN_INVALID_ROW: 1,
      CAMPAIGN_INVALID_TEXT: 1,
    });
  });
});
