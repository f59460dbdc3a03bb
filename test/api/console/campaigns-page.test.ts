/**
 * The console's campaign pages over inject (memory backend, no drivers: handed-on messages stay queued): the list,
 * the new-campaign steps (columns, preview, create) with a Shift_JIS upload, the preview pinned to what create
 * gets, the detail page with its controls, recipients table and CSV export, the live stream, and the refusals:
 * CSRF, the viewer role, another account's campaign, and bad uploads answered with their codes.
 */
import { hash } from '@node-rs/argon2';
import iconv from 'iconv-lite';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../../api/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile, type AccountConfig, type CampaignView } from '../../../gateway/index.ts';
import { RouterHandle } from '../../../router/index.ts';
import { csrfTokenOf, signedInClient, type ConsoleClient } from '../../support/console-inject.ts';
import { waitFor } from '../../support/wait-for.ts';

const KEY = 'console-campaigns-key-0123456789ab';
const OTHER_KEY = 'console-campaigns-other-key-012345';
const BOUNDARY = 'console-campaign-boundary-7MA4YWxk';

let gateway: Gateway;
let app: FastifyInstance;
let operator: ConsoleClient;
let viewer: ConsoleClient;
let foreignId: string;

beforeAll(async () => {
  const [operatorHash, viewerHash] = await Promise.all([hash('operator pass phrase'), hash('viewer pass phrase')]);
  const shop: AccountConfig = {
    id: 'shop',
    name: 'Shop',
    apiKeyHashes: [hashApiKey(KEY)],
    defaultCountry: 'JP',
    timeZone: 'Asia/Tokyo',
    consoleUsers: [
      { name: 'hanako', passwordHash: operatorHash, role: 'operator' },
      { name: 'taro', passwordHash: viewerHash, role: 'viewer' },
    ],
  };
  gateway = new Gateway({
    backend: createMemoryBackend(),
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [],
    accounts: [shop, { id: 'other', apiKeyHashes: [hashApiKey(OTHER_KEY)], defaultCountry: 'JP' }],
    shortLinks: { baseUrl: 'https://s.example.jp', codeLength: 10 },
    usage: { timeZone: 'Asia/Tokyo' },
  });
  await gateway.start();
  app = await buildApp({ gateway });
  operator = await signedInClient(app, { account: 'shop', name: 'hanako', password: 'operator pass phrase' });
  viewer = await signedInClient(app, { account: 'shop', name: 'taro', password: 'viewer pass phrase' });
  const foreign = await gateway.campaigns.create('other', { kind: 'rows', rows: [{ phone: '090-5000-0001' }] }, { template: 'other account' }, { start: false, name: 'not yours' });
  foreignId = foreign.campaign.id;
});

afterAll(async () => {
  await app.close();
  await gateway.stop();
});

type Part = { name: string; value: string } | { name: 'file'; file: Buffer; filename?: string };

function multipart(parts: readonly Part[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const head = 'value' in part ? `name="${part.name}"` : `name="file"; filename="${part.filename ?? 'list.csv'}"\r\nContent-Type: text/csv`;
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; ${head}\r\n\r\n`), 'value' in part ? Buffer.from(part.value) : part.file, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

/** A multipart POST as htmx sends it: the session's cookies, the CSRF token in a header (unless `csrf: false`). */
async function upload(client: ConsoleClient, path: string, parts: readonly Part[], options: { csrf?: boolean } = {}): Promise<LightMyRequestResponse> {
  const token = csrfTokenOf((await client.get('/console/campaigns')).body);
  return app.inject({
    method: 'POST',
    url: path,
    headers: {
      cookie: client.cookie(),
      'hx-request': 'true',
      'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      ...(options.csrf === false ? {} : { 'x-csrf-token': token }),
    },
    payload: multipart(parts),
  });
}

// The form's order: the file first (as the page sends it), then the fields.
const CSV_TEXT = ['氏名,電話番号,金額', '山田,090-1000-0001,1200', '佐藤,090-1000-0002,300', '鈴木,bad-number,50', '田中,080-1000-0004,800'].join('\r\n');
const SJIS = iconv.encode(CSV_TEXT, 'cp932');
const TEMPLATE = '{{氏名}}様 ご請求額は{{金額}}円です';

function fields(extra: Record<string, string> = {}): Part[] {
  const base: Record<string, string> = { encoding: 'auto', phoneColumn: '電話番号', template: TEMPLATE, name: '十二月のお知らせ', from: '', tag: '', duplicates: 'refuse', startMode: 'draft', windowMode: 'account', paceValue: '', paceUnit: 'second', validityMinutes: '', linkMode: 'none', ...extra };
  return [{ name: 'file', file: SJIS }, ...Object.entries(base).map(([name, value]) => ({ name, value }))];
}

const digestOf = (html: string): string => /name="previewDigest" value="([0-9a-f]{64})"/.exec(html)?.[1] ?? '';

async function createFromApi(rows: Record<string, string>[], extra: Record<string, unknown> = {}): Promise<CampaignView> {
  const answer = await app.inject({ method: 'POST', url: '/v1/campaigns', headers: { authorization: `Bearer ${KEY}` }, payload: { template: 'Hi {{name}}', rows, start: false, ...extra } });
  expect(answer.statusCode).toBe(201);
  return answer.json<{ campaign: CampaignView }>().campaign;
}

describe('the new-campaign steps', () => {
  test('columns: the Shift_JIS file read, the phone column chosen, the others offered as variables', async () => {
    const answer = await upload(operator, '/console/campaigns/new/columns', [{ name: 'file', file: SJIS }, { name: 'encoding', value: 'auto' }]);
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toContain('4行を読み込みました');
    expect(answer.body).toContain('Shift_JIS');
    expect(answer.body).toMatch(/<option value="電話番号" selected>/);
    for (const name of ['氏名', '金額']) expect(answer.body).toContain(`data-insert="{{${name}}}"`);
    expect(answer.body).toContain('data-insert="{{link}}"');
    // The link column choice is swapped in out of band, with the same columns.
    expect(answer.body).toMatch(/<select id="linkColumn" name="linkColumn" hx-swap-oob="true">[\s\S]*<option value="金額">/);
  });

  test('preview: rendered rows, the bad row with its line, column and localized code, and the totals', async () => {
    const answer = await upload(operator, '/console/campaigns/new/preview', fields());
    expect(answer.statusCode).toBe(200);
    const html = answer.body;
    expect(html).toContain('data-testid="rows-total">4<');
    expect(html).toContain('data-testid="rows-valid">3<');
    expect(html).toContain('data-testid="rows-refused">1<');
    expect(html).toContain('data-testid="preview-messages">3<');
    expect(html).toMatch(/data-testid="preview-error" data-line="4" data-code="CAMPAIGN_INVALID_NUMBER"/);
    expect(html).toContain('電話番号が正しくありません');
    expect(html).toContain('山田様 ご請求額は1200円です');
    expect(html).toContain('data-code="CAMPAIGN_INVALID_NUMBER">1<');
    const carriers = [...html.matchAll(/data-carrier="[^"]+">(\d+)</g)].reduce((sum, match) => sum + Number(match[1]), 0);
    expect(carriers).toBe(3);
    expect(digestOf(html)).not.toBe('');
    // Nothing was stored.
    expect((await gateway.campaigns.list('shop', 100)).map((c) => c.name)).not.toContain('十二月のお知らせ');
  });

  test('the same preview in English names the reason in English', async () => {
    const token = csrfTokenOf((await operator.get('/console/campaigns')).body);
    const answer = await app.inject({
      method: 'POST',
      url: '/console/campaigns/new/preview',
      headers: { cookie: `${operator.cookie()}; smsgw_lang=en`, 'hx-request': 'true', 'x-csrf-token': token, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      payload: multipart(fields()),
    });
    expect(answer.body).toContain('The phone number is not valid');
    expect(answer.body).toContain('Rows with errors');
  });

  test('create with the preview’s digest: the campaign is stored as a draft and the page goes to it', async () => {
    const preview = await upload(operator, '/console/campaigns/new/preview', fields({ name: 'draft from the console' }));
    const created = await upload(operator, '/console/campaigns', [...fields({ name: 'draft from the console', paceValue: '2', paceUnit: 'hour', validityMinutes: '90' }), { name: 'previewDigest', value: digestOf(preview.body) }]);
    expect(created.statusCode).toBe(201);
    const location = created.headers['hx-redirect'] as string;
    expect(location).toMatch(/^\/console\/campaigns\/[0-9a-f-]{36}\?created=1$/);
    const id = location.split('/')[3]?.split('?')[0] ?? '';
    const view = await gateway.campaigns.get('shop', id);
    expect(view).toMatchObject({ name: 'draft from the console', state: 'draft', recipients: 3, template: TEMPLATE, options: { tag: 'campaign', pacing: { segmentsPerHour: 2 }, validitySeconds: 5400 } });
    const page = await operator.get(location);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('一斉送信を作成しました');
  });

  test('a schedule in the account’s time zone and a send window of its own reach the campaign as the API takes them', async () => {
    const preview = await upload(operator, '/console/campaigns/new/preview', fields());
    const own = { windowMode: 'own', window1From: '10:00', window1To: '18:30', windowZone: 'Asia/Tokyo', startMode: 'schedule', sendAt: '2099-01-05T09:30' };
    const parts = [...fields(own), { name: 'window1Days', value: 'mon' }, { name: 'window1Days', value: 'wed' }, { name: 'previewDigest', value: digestOf(preview.body) }];
    const created = await upload(operator, '/console/campaigns', parts);
    expect(created.statusCode).toBe(201);
    const id = (created.headers['hx-redirect'] as string).split('/')[3]?.split('?')[0] ?? '';
    const view = await gateway.campaigns.get('shop', id);
    expect(view.state).toBe('scheduled');
    expect(view.options.sendAt).toBe(Date.parse('2099-01-05T00:30:00Z'));
    expect(view.options.sendWindow).toEqual({ rules: [{ days: ['mon', 'wed'], from: '10:00', to: '18:30' }], timeZone: 'Asia/Tokyo' });
    await gateway.campaigns.cancel('shop', id);
  });

  test('create refuses what was not previewed: no digest, another template, another file; nothing is stored', async () => {
    const before = (await gateway.campaigns.list('shop', 100)).length;
    const preview = await upload(operator, '/console/campaigns/new/preview', fields());
    const digest = digestOf(preview.body);
    const attempts: Part[][] = [
      fields(),
      [...fields({ template: `${TEMPLATE}!` }), { name: 'previewDigest', value: digest }],
      [{ name: 'file', file: iconv.encode(`${CSV_TEXT}\r\n伊藤,090-1000-0009,1`, 'cp932') }, ...fields().slice(1), { name: 'previewDigest', value: digest }],
    ];
    for (const parts of attempts) {
      const answer = await upload(operator, '/console/campaigns', parts);
      expect(answer.statusCode).toBe(409);
      expect(answer.body).toContain('data-testid="preview-stale"');
    }
    expect((await gateway.campaigns.list('shop', 100)).length).toBe(before);
  });

  test.each([
    ['no file chosen', [{ name: 'file', file: Buffer.alloc(0), filename: '' }, { name: 'template', value: 'x' }], 400, 'CAMPAIGN_INVALID_REQUEST'],
    ['Shift_JIS named as UTF-8', [{ name: 'file', file: SJIS }, { name: 'encoding', value: 'utf-8' }, { name: 'template', value: 'x' }], 400, 'CAMPAIGN_INVALID_CSV'],
    ['an empty file', [{ name: 'file', file: Buffer.alloc(0) }, { name: 'template', value: 'x' }], 400, 'CAMPAIGN_INVALID_CSV'],
    ['no template', [{ name: 'file', file: SJIS }], 400, 'CAMPAIGN_INVALID_REQUEST'],
    ['a variable no column has', [{ name: 'file', file: SJIS }, { name: 'template', value: '{{住所}}' }], 400, 'CAMPAIGN_UNKNOWN_VARIABLE'],
    ['a phone column the file lacks', [{ name: 'file', file: SJIS }, { name: 'template', value: 'x' }, { name: 'phoneColumn', value: 'tel' }], 400, 'CAMPAIGN_NO_PHONE_COLUMN'],
    ['a second file part', [{ name: 'file', file: SJIS }, { name: 'file', file: SJIS }, { name: 'template', value: 'x' }], 400, 'CAMPAIGN_INVALID_REQUEST'],
  ] as [string, Part[], number, string][])('a bad upload (%s) is answered as a fragment with its code', async (_name, parts, status, code) => {
    for (const path of ['/console/campaigns/new/preview', '/console/campaigns/new/columns']) {
      if (path.endsWith('columns') && (code === 'CAMPAIGN_UNKNOWN_VARIABLE' || code === 'CAMPAIGN_NO_PHONE_COLUMN' || _name === 'no template')) continue;
      const answer = await upload(operator, path, parts);
      expect(answer.statusCode, path).toBe(status);
      expect(answer.body, path).toContain(`data-code="${code}"`);
      expect(answer.body, path).not.toContain('<html');
    }
  });

  test('a form that is not multipart is refused with CAMPAIGN_INVALID_REQUEST', async () => {
    const answer = await operator.post('/console/campaigns/new/preview', { template: 'x' }, { formPath: '/console/campaigns', headers: { 'hx-request': 'true' } });
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain('data-code="CAMPAIGN_INVALID_REQUEST"');
  });

  test('a file over 32 MiB is refused with API_BODY_TOO_LARGE', async () => {
    const big = Buffer.alloc(32 * 1024 * 1024 + 10, 0x61);
    const answer = await upload(operator, '/console/campaigns/new/columns', [{ name: 'file', file: big }]);
    expect(answer.statusCode).toBe(413);
    expect(answer.body).toContain('data-code="API_BODY_TOO_LARGE"');
  });

  test('the new-campaign page: the form for operators, 403 for viewers', async () => {
    const page = await operator.get('/console/campaigns/new');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('hx-post="/console/campaigns/new/columns"');
    expect(page.body).toContain('/console/assets/campaign-new.js');
    expect(page.body).not.toMatch(/<script>(?!<)/);
    const refused = await viewer.get('/console/campaigns/new');
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('data-code="API_ROLE_FORBIDDEN"');
  });
});

describe('refusals', () => {
  test('every step without the CSRF token is API_CSRF_INVALID', async () => {
    for (const path of ['/console/campaigns/new/columns', '/console/campaigns/new/preview', '/console/campaigns']) {
      const answer = await upload(operator, path, fields(), { csrf: false });
      expect(answer.statusCode, path).toBe(403);
      expect(answer.body, path).toContain('data-code="API_CSRF_INVALID"');
    }
    const draft = await createFromApi([{ phone: '090-3000-0001', name: 'A' }]);
    const bare = await app.inject({ method: 'POST', url: `/console/campaigns/${draft.id}/start`, headers: { cookie: operator.cookie(), 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    expect(bare.statusCode).toBe(403);
    expect((await gateway.campaigns.get('shop', draft.id)).state).toBe('draft');
  });

  test('a viewer cannot preview, create or control, and sees no buttons', async () => {
    for (const path of ['/console/campaigns/new/columns', '/console/campaigns/new/preview', '/console/campaigns']) {
      const answer = await upload(viewer, path, fields());
      expect(answer.statusCode, path).toBe(403);
      expect(answer.body, path).toContain('data-code="API_ROLE_FORBIDDEN"');
    }
    const draft = await createFromApi([{ phone: '090-3000-0002', name: 'B' }]);
    const start = await viewer.post(`/console/campaigns/${draft.id}/start`, {}, { formPath: '/console/campaigns' });
    expect(start.statusCode).toBe(403);
    expect((await gateway.campaigns.get('shop', draft.id)).state).toBe('draft');
    const page = await viewer.get(`/console/campaigns/${draft.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('data-testid="action-');
    expect((await viewer.get('/console/campaigns')).body).not.toContain('data-testid="new-campaign"');
  });

  test('another account’s campaign is not found on every route', async () => {
    for (const path of [`/console/campaigns/${foreignId}`, `/console/campaigns/${foreignId}/recipients`, `/console/campaigns/${foreignId}/recipients.csv`, `/console/campaigns/${foreignId}/events`]) {
      const answer = await operator.get(path);
      expect(answer.statusCode, path).toBe(404);
      expect(answer.body, path).toContain('data-code="CAMPAIGN_NOT_FOUND"');
    }
    for (const action of ['start', 'cancel']) {
      const answer = await operator.post(`/console/campaigns/${foreignId}/${action}`, {}, { formPath: '/console/campaigns' });
      expect(answer.statusCode).toBe(404);
    }
    expect((await gateway.campaigns.get('other', foreignId)).state).toBe('draft');
    expect((await operator.get('/console/campaigns')).body).not.toContain(foreignId);
  });
});

describe('the list and a campaign', () => {
  test('the list shows each campaign with its state, counts and times', async () => {
    const draft = await createFromApi([{ phone: '090-3000-0003', name: 'C' }], { name: 'リスト確認', sendAt: '2099-02-01T00:00:00Z' });
    const page = await operator.get('/console/campaigns');
    expect(page.statusCode).toBe(200);
    const row = new RegExp(`<tr data-testid="campaign-row" data-id="${draft.id}">([\\s\\S]*?)</tr>`).exec(page.body)?.[1] ?? '';
    expect(row).toContain('リスト確認');
    expect(row).toContain('下書き');
    expect(row).toContain('2099/02/01 09:00:00');
    expect(page.body).toContain('data-testid="new-campaign"');
  });

  test('start from the page, then the counts, the recipients filtered and paged, and the CSV the API exports', async () => {
    const rows = Array.from({ length: 55 }, (_, i) => ({ phone: `090-4000-${String(i).padStart(4, '0')}`, name: `N${i}` }));
    const draft = await createFromApi(rows, { name: 'paging' });
    const detail = await operator.get(`/console/campaigns/${draft.id}`);
    expect(detail.body).toContain('data-testid="action-start"');
    expect(detail.body).toContain('data-testid="action-cancel"');
    expect(detail.body).not.toContain('data-testid="action-pause"');
    expect(detail.body).toContain(`sse-connect="/console/campaigns/${draft.id}/events"`);

    const started = await operator.post(`/console/campaigns/${draft.id}/start`, {}, { formPath: `/console/campaigns/${draft.id}` });
    expect(started.statusCode).toBe(303);
    expect(started.headers.location).toBe(`/console/campaigns/${draft.id}`);
    await waitFor(async () => (await gateway.campaigns.get('shop', draft.id)).state === 'completed', 'the campaign handed on');

    const page = await operator.get(`/console/campaigns/${draft.id}`);
    expect(page.body).toContain('data-testid="count-queued">55<');
    expect(page.body).toContain('data-state="completed"');
    expect(page.body).not.toContain('data-testid="action-');
    expect([...page.body.matchAll(/data-testid="recipient-row"/g)]).toHaveLength(50);
    const second = await operator.get(`/console/campaigns/${draft.id}/recipients?status=queued&cursor=50`, { 'hx-request': 'true' });
    expect([...second.body.matchAll(/data-testid="recipient-row" data-status="queued"/g)]).toHaveLength(5);
    expect(second.body).not.toContain('<html');
    expect(second.body).toContain(`hx-get="/console/campaigns/${draft.id}/recipients?status=queued&amp;cursor=50"`);
    const none = await operator.get(`/console/campaigns/${draft.id}/recipients?status=delivered`, { 'hx-request': 'true' });
    expect(none.body).toContain('該当する宛先はありません');
    expect((await operator.get(`/console/campaigns/${draft.id}/recipients?status=bogus`)).statusCode).toBe(400);

    const csv = await operator.get(`/console/campaigns/${draft.id}/recipients.csv`);
    const api = await app.inject({ method: 'GET', url: `/v1/campaigns/${draft.id}/recipients.csv`, headers: { authorization: `Bearer ${KEY}` } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="campaign-${draft.id}-recipients.csv"`);
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.body).toBe(api.body);
    expect(csv.body.trimEnd().split('\r\n')).toHaveLength(56);
  });

  test('a state change the campaign does not allow is answered with CAMPAIGN_BAD_STATE', async () => {
    const draft = await createFromApi([{ phone: '090-3000-0004', name: 'D' }]);
    const answer = await operator.post(`/console/campaigns/${draft.id}/pause`, {}, { formPath: '/console/campaigns' });
    expect(answer.statusCode).toBe(409);
    expect(answer.body).toContain('data-code="CAMPAIGN_BAD_STATE"');
    const cancel = await operator.post(`/console/campaigns/${draft.id}/cancel`, {}, { formPath: '/console/campaigns' });
    expect(cancel.statusCode).toBe(303);
    expect((await gateway.campaigns.get('shop', draft.id)).state).toBe('canceled');
    // Settled: the page does not open a live stream.
    expect((await operator.get(`/console/campaigns/${draft.id}`)).body).not.toContain('sse-connect');
  });
});

describe('the live stream', () => {
  let base = '';
  let live: FastifyInstance;

  beforeAll(async () => {
    live = await buildApp({ gateway });
    base = await live.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await live.close();
  });

  async function signedIn(): Promise<string> {
    const form = await fetch(`${base}/console/sign-in`);
    const cookie = (form.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    const body = new URLSearchParams({ _csrf: csrfTokenOf(await form.text()), method: 'key', apiKey: KEY });
    const answer = await fetch(`${base}/console/sign-in`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' });
    const session = (answer.headers.getSetCookie().find((c) => c.startsWith('smsgw_console=')) ?? '').split(';')[0] ?? '';
    // The CSRF secret is made with the first page of the session, as a browser's first page would.
    await fetch(`${base}/console/campaigns`, { headers: { cookie: session } });
    return session;
  }

  /** The event stream's text as it arrives: `until` reads on until the text so far passes the check. */
  function stream(response: Response): { until(check: (text: string) => boolean): Promise<string> } {
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    return {
      async until(check) {
        while (!check(text)) {
          const { value, done } = await reader.read();
          if (done) break;
          text += decoder.decode(value, { stream: true });
        }
        return text;
      },
    };
  }

  test('a running campaign streams its progress fragment; closing the app ends the stream', async () => {
    const cookie = await signedIn();
    // One segment an hour: the first recipient goes, the others wait.
    const campaign = await createFromApi(['1', '2', '3'].map((n) => ({ phone: `090-6000-000${n}`, name: n })), { pacing: { segmentsPerHour: 1 } });
    await gateway.campaigns.control('shop', campaign.id, 'start');
    const response = await fetch(`${base}/console/campaigns/${campaign.id}/events`, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = stream(response);
    const text = await events.until((t) => t.includes('event: recipients'));
    expect(text).toMatch(/^retry: 3000\n\n/);
    expect(text).toContain('event: progress\ndata: ');
    expect(text).toMatch(/event: progress\ndata: <div class="campaign-progress" data-testid="campaign-progress" data-state="running">/);
    expect(text).not.toContain('event: done');
    await gateway.campaigns.cancel('shop', campaign.id);
    const rest = (await events.until((t) => t.includes('event: done'))).slice(text.length);
    expect(rest).toContain('data-state="canceled"');
    expect(rest).toContain('event: controls');
    expect(rest).toMatch(/event: done\ndata: canceled\n\n$/);
  });

  test('an open stream does not hold the app when it closes', async () => {
    const cookie = await signedIn();
    const campaign = await createFromApi(['4', '5'].map((n) => ({ phone: `090-6000-000${n}`, name: n })), { pacing: { segmentsPerHour: 1 } });
    await gateway.campaigns.control('shop', campaign.id, 'start');
    const response = await fetch(`${base}/console/campaigns/${campaign.id}/events`, { headers: { cookie } });
    await stream(response).until((t) => t.includes('event: progress'));
    const started = Date.now();
    await live.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    await gateway.campaigns.cancel('shop', campaign.id);
  });
});
