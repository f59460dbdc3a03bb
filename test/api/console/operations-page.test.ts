/**
 * The operations page over inject (and its event stream over a real socket): connectors with binds, throughput,
 * queue and window for every signed-in user, the account's own recent failures with code and raw values, both
 * languages, and the server-sent events: fragments at once, a link change pushed without waiting for the tick,
 * the stream ended by the app's close.
 */
import { hash } from '@node-rs/argon2';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../../api/index.ts';
import { rawText } from '../../../api/console/pages/operations-page.ts';
import { failed, LoopbackDriver } from '../../../drivers/loopback/index.ts';
import { smppError } from '../../../drivers/smpp/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile } from '../../../gateway/index.ts';
import { RouterHandle } from '../../../router/index.ts';
import { signedInClient } from '../../support/console-inject.ts';
import { waitFor } from '../../support/wait-for.ts';

const KEY = 'ops-page-key-0123456789abcdefghijk';
const OTHER_KEY = 'ops-page-other-0123456789abcdefghi';
/** The core's clock stands still: the throughput window holds what was sent however slowly the test runs. */
const T0 = Date.parse('2026-12-06T03:00:00Z');
let viewerHash = '';
let app: FastifyInstance | undefined;
let gateway: Gateway | undefined;
let driver: LoopbackDriver | undefined;

beforeAll(async () => {
  viewerHash = await hash('viewer pass phrase');
});

afterEach(async () => {
  await app?.close();
  await gateway?.stop();
  app = undefined;
  gateway = undefined;
  driver?.assertIdle();
  driver = undefined;
});

async function setUp(): Promise<{ api: FastifyInstance; driver: LoopbackDriver; gw: Gateway }> {
  driver = new LoopbackDriver({ id: 'smpp-aggregator', link: 'smpp-aggregator#1', now: () => T0 });
  gateway = new Gateway({
    backend: createMemoryBackend({ now: () => T0 }),
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [driver],
    accounts: [
      { id: 'shop', name: 'Shop', apiKeyHashes: [hashApiKey(KEY)], defaultCountry: 'JP', timeZone: 'Asia/Tokyo', consoleUsers: [{ name: 'taro', passwordHash: viewerHash, role: 'viewer' }] },
      { id: 'other', apiKeyHashes: [hashApiKey(OTHER_KEY)], defaultCountry: 'JP' },
    ],
    usage: { timeZone: 'Asia/Tokyo' },
    now: () => T0,
  });
  await gateway.start();
  app = await buildApp({ gateway, console: { secureCookie: false } });
  return { api: app, driver, gw: gateway };
}

describe('operations page', () => {
  test('a viewer sees every connector with its binds, and the account its own failures with code and raw values', async () => {
    const { api, driver, gw } = await setUp();
    driver.expectSend({ answer: failed(smppError('SMPP_SUBMIT_REJECTED', 'ESME_RINVDSTADR'), { commandStatus: 0x0b }) });
    const sent = await gw.messages.submit('shop', { to: '070-1234-5678', text: 'refused' });
    await driver.whenSent(1);
    await waitFor(async () => ((await gw.operations.recentFailures('shop')).length === 1 ? true : undefined), 'the failure stored');

    const viewer = await signedInClient(api, { account: 'shop', name: 'taro', password: 'viewer pass phrase' });
    const page = await viewer.get('/console/operations');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>接続状況</h1>');
    expect(page.body).toContain('data-connector="smpp-aggregator" data-status="up"');
    expect(page.body).toContain('smpp-aggregator#1');
    // The refused submit reached the carrier: it took TPS.
    expect(page.body).toContain('0.1 件/秒（上限なし）');
    expect(page.body).toContain('待機 0 件・処理中 0 件');
    // Memory mode: this process holds the connector's one slot.
    expect(page.body).toContain('<dt>バインド枠</dt>');
    expect(page.body).toMatch(/data-testid="slots" data-here="0" data-elsewhere="" data-free="">このプロセス 1\/1<\/dd>/);
    expect(page.body).toContain('すべて稼働中');
    expect(page.body).toContain('sse-connect="/console/operations/events"');
    expect(page.body).toContain(`data-message="${sent.id}"`);
    expect(page.body).toContain('SMPP_SUBMIT_REJECTED');
    expect(page.body).toContain('command_status=0x0000000B');
    expect(page.body).toContain('+817012345678');
    expect(page.body).toContain('送信失敗');

    const other = await signedInClient(api, { apiKey: OTHER_KEY });
    const theirs = await other.get('/console/operations', { 'accept-language': 'en' });
    expect(theirs.body).toContain('<h1>Operations</h1>');
    // Connectors are the deployment's; failures are each account's own.
    expect(theirs.body).toContain('data-connector="smpp-aggregator"');
    expect(theirs.body).toContain('No recent failures.');
    expect(theirs.body).toContain('<dt>Bind slots</dt>');
    expect(theirs.body).toContain('>1/1 here</dd>');
    expect(theirs.body).not.toContain(sent.id);
  });

  test('signed out, the page and its stream go to sign-in', async () => {
    const { api } = await setUp();
    expect((await api.inject({ method: 'GET', url: '/console/operations' })).headers.location).toBe('/console/sign-in?next=%2Fconsole%2Foperations');
    expect((await api.inject({ method: 'GET', url: '/console/operations/events' })).statusCode).toBe(303);
  });

  test('the event stream sends the fragments at once, pushes a link going down without waiting, and ends when the app closes', async () => {
    const { api, driver } = await setUp();
    const client = await signedInClient(api, { apiKey: KEY });
    await api.listen({ host: '127.0.0.1', port: 0 });
    const address = api.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const response = await fetch(`http://127.0.0.1:${port}/console/operations/events`, { headers: { cookie: client.cookie(), 'accept-language': 'en' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (what: RegExp): Promise<string> => {
      while (!what.test(text)) {
        const chunk = await reader.read();
        if (chunk.done) throw new Error(`the stream ended before ${String(what)}: ${text}`);
        text += decoder.decode(chunk.value, { stream: true });
      }
      return text;
    };
    await readUntil(/event: failures\n/);
    expect(text).toMatch(/^retry: 5000\n\n/);
    expect(text).toContain('event: connectors\ndata: ');
    expect(text).toContain('event: summary\ndata: ');
    expect(text).toContain('All up');
    // Every line of an event's HTML is its own data line.
    for (const block of text.split('\n\n').filter((b) => b.startsWith('event:'))) for (const line of block.split('\n').slice(1)) expect(line.startsWith('data: ')).toBe(true);

    const before = text.length;
    const started = Date.now();
    driver.down('smpp-aggregator#1', 'SMPP_CONNECTION_LOST');
    await readUntil(/A connector is down/);
    // Pushed by the link change, well before the 3 s tick.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(text.slice(before)).toContain('data-status="down"');
    driver.up('smpp-aggregator#1');

    const closing = Date.now();
    await api.close();
    app = undefined;
    expect(Date.now() - closing).toBeLessThan(5_000);
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
    }
  });
});

test('raw carrier values read as the carrier writes them', () => {
  expect(rawText(null)).toBe('—');
  expect(rawText({ commandStatus: 0x0b })).toBe('command_status=0x0000000B');
  expect(rawText({ stat: 'UNDELIV', err: '001', networkErrorCode: '030001', messageState: 5 })).toBe('stat=UNDELIV err=001 network_error_code=030001 message_state=5');
  expect(rawText({ cmsError: 500 })).toBe('+CMS ERROR: 500');
  expect(rawText({ tpStatus: 0x46, cmeError: 10 })).toBe('TP-Status=0x46 +CME ERROR: 10');
});
