/**
 * Keyword handling through the whole gateway on loopback drivers (the wire is not the subject): the inbound still
 * reaches the account, an opt-out suppresses and is confirmed once, START lifts, HELP answers, sentences do not
 * match, and replies go back through the connector the inbound came in on, from the number the person wrote to.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { LoopbackDriver } from '../../../drivers/loopback/index.ts';
import type { SendRequest } from '../../../drivers/transport/index.ts';
import { createMemoryBackend, Gateway, hashApiKey, readBuiltinRanges } from '../../../gateway/index.ts';
import type { AccountConfig } from '../../../gateway/accounts/account-registry.ts';
import { KeywordHandler } from '../../../gateway/keywords/keyword-handler.ts';
import type { MessageBackend } from '../../../gateway/ports/backend.ts';
import { buildRoutingTable, RouterHandle } from '../../../router/index.ts';
import { waitFor } from '../../support/wait-for.ts';

const ROUTING = {
  routes: { jp: { strategy: 'failover', connectors: [{ id: 'carrier-a' }] } },
  rules: [{ name: 'default', route: 'jp' }],
};
const HANDSET = '+819011112222';
const SHORT_CODE = '12345';

let gateway: Gateway | undefined;
let drivers: LoopbackDriver[] = [];

afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
  for (const driver of drivers) driver.assertIdle();
  drivers = [];
});

async function setUp(account: Partial<AccountConfig> = {}): Promise<{ gw: Gateway; a: LoopbackDriver; b: LoopbackDriver; backend: MessageBackend }> {
  const a = new LoopbackDriver({ id: 'carrier-a' }).answerEverySend({});
  // carrier-b is on no route: replies to what came in on it go back through it all the same.
  const b = new LoopbackDriver({ id: 'carrier-b' }).answerEverySend({});
  drivers = [a, b];
  const backend = createMemoryBackend();
  gateway = new Gateway({
    backend,
    router: new RouterHandle(buildRoutingTable(ROUTING, { fileName: 'test', rangeEntries: [...readBuiltinRanges()], connectorIds: new Set(['carrier-a', 'carrier-b']) })),
    drivers,
    accounts: [{ id: 'demo', name: 'ACME', apiKeyHashes: [hashApiKey('k')], defaultCountry: 'JP', numbers: [SHORT_CODE], ...account }],
  });
  await gateway.start();
  return { gw: gateway, a, b, backend };
}

const texts = (driver: LoopbackDriver): (string | undefined)[] => driver.sent().map((sent: SendRequest) => sent.encoded.text);

async function settle(gw: Gateway, ...ds: LoopbackDriver[]): Promise<void> {
  for (const d of ds) await d.settled();
  // Replies are accepted before the inbound settles; wait until each is handed to its driver.
  await waitFor(async () => {
    const page = await gw.messages.list({ accountId: 'demo', limit: 100 });
    return page.items.every((item) => item.status !== 'queued' && item.status !== 'sending') ? true : undefined;
  }, 'replies sent');
}

describe('keywords through the gateway (loopback)', () => {
  test('STOP suppresses the number, is confirmed through the same connector once; the inbound still reaches the account', async () => {
    const { gw, a, b } = await setUp();
    await b.inbound({ from: HANDSET, to: SHORT_CODE, text: 'STOP' });
    await b.whenSent(1);
    await settle(gw, a, b);
    expect(b.sent()).toHaveLength(1);
    expect(b.sent()[0]).toMatchObject({ to: HANDSET, from: SHORT_CODE });
    expect(texts(b)[0]).toContain('配信を停止しました');
    expect(a.sent()).toHaveLength(0);
    const entry = await gw.suppressions.blocking('demo', HANDSET, undefined);
    expect(entry).toMatchObject({ number: HANDSET, reason: 'opt-out', source: { kind: 'keyword', detail: 'STOP', connector: 'carrier-b' } });
    expect((await gw.messages.inbound('demo', 10)).map((event) => event.text)).toEqual(['STOP']);

    // A second STOP (full-width this time): stored again, never answered again.
    await b.inbound({ from: HANDSET, to: SHORT_CODE, text: 'ｓｔｏｐ' });
    await settle(gw, a, b);
    expect(b.sent()).toHaveLength(1);
    await expect(gw.metrics.registry.getSingleMetricAsString('smsgw_keyword_replies_total')).resolves.toContain('kind="opt-out",outcome="skipped"} 1');
    await expect(gw.messages.submit('demo', { to: HANDSET, text: 'セール開催中' })).rejects.toMatchObject({ code: 'GW_RECIPIENT_SUPPRESSED' });
  });

  test('START lifts and is confirmed; HELP is answered even while suppressed; a sentence is no keyword', async () => {
    const { gw, a, b } = await setUp();
    await a.inbound({ from: HANDSET, to: SHORT_CODE, text: ' 配信停止。' });
    await a.whenSent(1);
    expect(await gw.suppressions.blocking('demo', HANDSET, undefined)).toBeDefined();
    await a.inbound({ from: HANDSET, to: SHORT_CODE, text: 'help' });
    await a.whenSent(2);
    expect(texts(a)[1]).toBe('ACME: お問い合わせありがとうございます。配信停止は「停止」、再開は「再開」と返信してください。');
    await a.inbound({ from: HANDSET, to: SHORT_CODE, text: '再開' });
    await a.whenSent(3);
    expect(texts(a)[2]).toContain('配信を再開しました');
    expect(await gw.suppressions.blocking('demo', HANDSET, undefined)).toBeUndefined();
    await a.inbound({ from: HANDSET, to: SHORT_CODE, text: 'please stop sending' });
    await a.inbound({ from: HANDSET, to: SHORT_CODE, text: '配信停止したいです' });
    await settle(gw, a, b);
    expect(a.sent()).toHaveLength(3);
    expect(await gw.suppressions.blocking('demo', HANDSET, undefined)).toBeUndefined();
    const keywords = await gw.metrics.registry.getSingleMetricAsString('smsgw_keywords_total');
    expect(keywords).toContain('kind="opt-out"} 1');
    expect(keywords).toContain('kind="opt-in"} 1');
    expect(keywords).toContain('kind="help"} 1');
  });

  test('English replies, the help text, and an account of its own replies', async () => {
    const { gw, a, b } = await setUp({ defaultCountry: 'US', keywords: { helpText: 'ACME support: 1-800-555-0100.', replies: { optOut: 'Bye from {name}.' } } });
    await a.inbound({ from: '+12025550143', to: SHORT_CODE, text: 'Help!' });
    await a.whenSent(1);
    await a.inbound({ from: '+12025550143', to: SHORT_CODE, text: 'Stop' });
    await a.whenSent(2);
    await settle(gw, a, b);
    expect(texts(a)).toEqual(['ACME support: 1-800-555-0100. Reply STOP to unsubscribe, START to subscribe again.', 'Bye from ACME.']);
  });

  test('scope "sender": the opt-out blocks only the number the person wrote to', async () => {
    const { gw, a, b } = await setUp({ suppression: { scope: 'sender' } });
    await a.inbound({ from: HANDSET, to: SHORT_CODE, text: 'STOP' });
    await a.whenSent(1);
    await settle(gw, a, b);
    expect(await gw.suppressions.blocking('demo', HANDSET, SHORT_CODE)).toMatchObject({ sender: SHORT_CODE });
    expect(await gw.suppressions.blocking('demo', HANDSET, '67890')).toBeUndefined();
  });

  test('keywords off, an incomplete text, an alphanumeric originator and a number no account owns: nothing happens', async () => {
    const { gw, a, b } = await setUp({ keywords: { enabled: false } });
    await a.inbound({ from: HANDSET, to: SHORT_CODE, text: 'STOP' });
    await settle(gw, a, b);
    expect(await gw.suppressions.blocking('demo', HANDSET, undefined)).toBeUndefined();
    await gw.stop();
    const again = await setUp();
    await again.a.inbound({ from: HANDSET, to: SHORT_CODE, text: 'STOP', complete: false, parts: 2 });
    await again.a.inbound({ from: 'ACME', to: SHORT_CODE, text: 'STOP' });
    await again.a.inbound({ from: HANDSET, to: '99999', text: 'STOP' });
    await settle(again.gw, again.a, again.b);
    expect(again.a.sent()).toHaveLength(0);
    expect(await again.gw.suppressions.blocking('demo', HANDSET, undefined)).toBeUndefined();
    expect(await again.gw.messages.inbound('demo', 10)).toHaveLength(2);
  });

  test('auto-acknowledgement: the first message of a number gets one, later ones and keywords none; a suppressed number none', async () => {
    const { gw, a, b } = await setUp({ keywords: { autoAck: { enabled: true } } });
    await a.inbound({ from: HANDSET, to: SHORT_CODE, text: '明日の予約を変更できますか' });
    await a.whenSent(1);
    expect(texts(a)[0]).toBe('ACME: メッセージを受け付けました。順次ご返信します。配信停止は「停止」と返信してください。');
    await a.inbound({ from: HANDSET, to: SHORT_CODE, text: 'もう一通' });
    // A first contact that is a keyword gets the keyword's reply only.
    await a.inbound({ from: '+819033334444', to: SHORT_CODE, text: 'STOP' });
    await a.whenSent(2);
    await a.inbound({ from: '+819033334444', to: SHORT_CODE, text: 'やっぱり質問です' });
    await settle(gw, a, b);
    expect(texts(a)).toHaveLength(2);
    expect(texts(a)[1]).toContain('配信を停止しました');
    await expect(gw.metrics.registry.getSingleMetricAsString('smsgw_keyword_replies_total')).resolves.toContain('kind="auto-ack",outcome="sent"} 1');
  });

  test('a replayed inbound (same id) does not reply twice', async () => {
    const { gw, a, b, backend } = await setUp();
    const handler = new KeywordHandler({
      suppressions: gw.suppressions,
      submit: (accountId, request, key, service) => gw.messages.submit(accountId, request, key, service),
      acks: backend.autoAcks,
      metrics: gw.metrics,
      log: gw.log,
    });
    const account = gw.accounts.get('demo') as AccountConfig;
    const message = { connectorId: 'carrier-a', from: HANDSET, to: SHORT_CODE, text: 'HELP', encoding: 'gsm7', parts: 1, complete: true, receivedAt: new Date() } as const;
    await handler.handle(message, account, 'inbound-1');
    await handler.handle(message, account, 'inbound-1');
    await a.whenSent(1);
    await settle(gw, a, b);
    expect(a.sent()).toHaveLength(1);
    await expect(gw.metrics.registry.getSingleMetricAsString('smsgw_keyword_replies_total')).resolves.toContain('kind="help",outcome="duplicate"} 1');
  });
});
