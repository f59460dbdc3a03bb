/**
 * The messages service's quote: what a submit would meet, with nothing stored, sent or counted. The parts under
 * the destination carrier's profile (docomo 66 a part on a 16-bit reference, others 67), the characters that force
 * UCS-2, every control character, the route with its price and send window, and each refusal with the very code a
 * submit gets.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { createMemoryBackend, Gateway, hashApiKey, loadRoutingFile, type AccountConfig } from '../../../gateway/index.ts';
import { partCapacities, ucs2Characters } from '../../../gateway/accept/message-quote.ts';
import { encodeText } from '../../../drivers/codec/index.ts';
import { RouterHandle } from '../../../router/index.ts';

const NOW = Date.parse('2026-01-15T03:00:00Z'); // a Thursday, 12:00 in Tokyo
let gateway: Gateway | undefined;

afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
});

function setUp(extra: Partial<AccountConfig> = {}, now = NOW): Gateway {
  gateway = new Gateway({
    backend: createMemoryBackend({ now: () => now }),
    router: new RouterHandle(loadRoutingFile(undefined)),
    drivers: [],
    accounts: [{ id: 'shop', apiKeyHashes: [hashApiKey('quote-test-key-0001')], defaultCountry: 'JP', ...extra }],
    now: () => now,
  });
  return gateway;
}

const AU = '090-1234-5678';
const DOCOMO = '080-1234-5678';

describe('MessagesService.quote', () => {
  test('70 Japanese characters to au are one UCS-2 part of 70; the 71st makes two parts of 67, priced on the least-cost connector', async () => {
    const gw = setUp();
    const one = await gw.messages.quote('shop', { to: AU, text: 'あ'.repeat(70) });
    expect(one.refusals).toEqual([]);
    expect(one.route).toMatchObject({ to: '+819012345678', carrier: 'au', carrierSource: 'ranges', rule: 'japan', route: 'jp-least-cost', connectors: ['modem-pool', 'smpp-aggregator'], connectorUp: false, pricePerSegment: 3, currency: 'JPY' });
    expect(one.encoding).toMatchObject({ carrier: 'au', refSize: 8, maxParts: 10, encoding: 'ucs2', characters: 70, units: 70, parts: 1, singlePartUnits: 70, partUnits: 67, maxUnits: 670, remainingInLastPart: 0, price: 3 });
    const two = await gw.messages.quote('shop', { to: AU, text: 'あ'.repeat(71) });
    expect(two.encoding).toMatchObject({ characters: 71, parts: 2, remainingInLastPart: 63, price: 6 });
    expect(two.encoding?.ucs2Characters).toEqual(['あ']);
    expect(two.encoding?.ucs2CharacterCount).toBe(1);
  });

  test("docomo's profile counts 66 a part on a 16-bit reference: 660 characters fit in 10 parts, 661 are refused as a submit would be, still counted", async () => {
    const gw = setUp({ maxParts: 20 });
    const fits = await gw.messages.quote('shop', { to: DOCOMO, text: 'あ'.repeat(660) });
    expect(fits.refusals).toEqual([]);
    expect(fits.encoding).toMatchObject({ carrier: 'docomo', refSize: 16, maxParts: 10, parts: 10, partUnits: 66, maxUnits: 660 });
    const over = await gw.messages.quote('shop', { to: DOCOMO, text: 'あ'.repeat(661) });
    expect(over.refusals.map((e) => e.code)).toEqual(['CODEC_TOO_MANY_PARTS']);
    expect(over.refusals[0]?.details).toMatchObject({ field: 'text', parts: 11, maxParts: 10, carrier: 'docomo', refSize: 16 });
    expect(over.encoding).toMatchObject({ parts: 11, maxParts: 10, characters: 661 });
    const submitted = await gw.messages.submit('shop', { to: DOCOMO, text: 'あ'.repeat(661) }).catch((error: unknown) => error);
    expect(submitted).toMatchObject({ code: 'CODEC_TOO_MANY_PARTS', details: over.refusals[0]?.details });
  });

  test('a GSM text stays 7-bit; a dash forces UCS-2 and is named, and smart transliteration keeps the text 7-bit', async () => {
    const gw = setUp();
    const plain = await gw.messages.quote('shop', { to: AU, text: 'Hello {world}' });
    expect(plain.encoding).toMatchObject({ encoding: 'gsm7', characters: 13, units: 15, singlePartUnits: 160, partUnits: 153, maxUnits: 1530, ucs2Characters: [] });
    const dashed = await gw.messages.quote('shop', { to: AU, text: 'Sale – today – only' });
    expect(dashed.encoding).toMatchObject({ encoding: 'ucs2', ucs2Characters: ['–'], ucs2CharacterCount: 1 });
    const smart = await gw.messages.quote('shop', { to: AU, text: 'Sale – today – only', smart: true });
    expect(smart.encoding).toMatchObject({ encoding: 'gsm7', ucs2Characters: [] });
    expect(smart.encoding?.substitutions).toEqual([{ from: '–', to: '-', count: 2 }]);
  });

  test('every control character is listed with its position; the refusal is the submit’s GW_CONTROL_CHARACTER naming the first', async () => {
    const gw = setUp();
    const quote = await gw.messages.quote('shop', { to: AU, text: 'a\u0001b\tc\r\nd' });
    expect(quote.refusals.map((e) => [e.code, e.details])).toEqual([['GW_CONTROL_CHARACTER', { field: 'text', position: 1, character: 'U+0001' }]]);
    expect(quote.encoding?.controlCharacters).toEqual([
      { position: 1, character: 'U+0001' },
      { position: 3, character: 'U+0009' },
    ]);
    expect(quote.encoding?.ucs2Characters).toEqual([]);
  });

  test('a number that does not parse is refused with the router’s code, and the text is counted under the default profile', async () => {
    const gw = setUp();
    const quote = await gw.messages.quote('shop', { to: '12', text: 'あ'.repeat(71) });
    expect(quote.route).toBeUndefined();
    expect(quote.refusals.map((e) => e.code)).toEqual(['ROUTE_NUMBER_TOO_SHORT']);
    expect(quote.encoding).toMatchObject({ refSize: 8, parts: 2, partUnits: 67 });
    expect(quote.encoding).not.toHaveProperty('carrier');
    expect(quote.encoding).not.toHaveProperty('price');
  });

  test('a suppressed recipient is refused with GW_RECIPIENT_SUPPRESSED, not counted as a refused submit, and nothing is stored', async () => {
    const gw = setUp();
    await gw.suppressions.suppress('shop', { number: AU, reason: 'opt-out', source: { kind: 'operator' } });
    const quote = await gw.messages.quote('shop', { to: AU, text: 'hello' });
    expect(quote.refusals.map((e) => [e.code, e.details.reason])).toEqual([['GW_RECIPIENT_SUPPRESSED', 'opt-out']]);
    expect(quote.route?.carrier).toBe('au');
    const suppressed = await gw.metrics.suppressed.get();
    expect(suppressed.values.reduce((sum, v) => sum + v.value, 0)).toBe(0);
    expect((await gw.messages.list({ accountId: 'shop', limit: 10 })).items).toEqual([]);
  });

  test('the sender after sender rules, and the send window: at 22:00 in Tokyo the message would wait for 08:00', async () => {
    const window = { rules: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, from: '08:00', to: '21:00' }] };
    const gw = setUp({ sendWindow: window }, Date.parse('2026-01-15T22:00:00+09:00'));
    const softbank = await gw.messages.quote('shop', { to: '070-3100-0000', from: 'SHOP', text: 'hello' });
    expect(softbank.route).toMatchObject({ carrier: 'softbank', from: '+81312345678', senderRewritten: { rule: 'softbank-numeric', requested: 'SHOP' } });
    const quote = await gw.messages.quote('shop', { to: AU, text: 'good night' });
    expect(quote.route?.notBefore).toBe(Date.parse('2026-01-16T08:00:00+09:00'));
    const otp = await gw.messages.quote('shop', { to: AU, text: 'code 1234', tag: 'otp' });
    expect(otp.route).not.toHaveProperty('notBefore');
    expect(otp.route?.route).toBe('otp-failover');
  });

  test('without text or binary there is no encoding; an unknown account is GW_NOT_FOUND', async () => {
    const gw = setUp();
    const quote = await gw.messages.quote('shop', { to: AU });
    expect(quote.encoding).toBeUndefined();
    await expect(gw.messages.quote('nobody', { to: AU, text: 'x' })).rejects.toMatchObject({ code: 'GW_NOT_FOUND' });
  });
});

describe('quote pieces', () => {
  test.each([
    ['Hello', 8, 160, 153],
    ['Hello', 16, 160, 152],
    ['あ', 8, 70, 67],
    ['あ', 16, 70, 66],
  ] as const)('%s on a %i-bit reference: %i units in one part, %i a part of a long message', (text, refSize, single, multi) => {
    expect(partCapacities(encodeText(text, { refSize }), refSize)).toEqual({ singlePartUnits: single, partUnits: multi });
  });

  test('a national shift table takes its UDH octets from every part', () => {
    const turkish = encodeText('Çok güzel ışık', { shiftTables: ['turkish'] });
    expect(turkish.encoding).toBe('gsm7');
    const { singlePartUnits, partUnits } = partCapacities(turkish, 8);
    expect(singlePartUnits).toBeLessThan(160);
    expect(partUnits).toBeLessThan(153);
  });

  test('UCS-2 characters are distinct, in order, capped at 20 with the full count', () => {
    expect(ucs2Characters('aあいあb😀', {})).toEqual({ shown: ['あ', 'い', '😀'], count: 3 });
    const many = [...'いろはにほへとちりぬるをわかよたれそつねならむうゐのおくやま'].join('');
    const found = ucs2Characters(many, {});
    expect(found.shown).toHaveLength(20);
    expect(found.count).toBe(new Set(many).size);
    expect(ucs2Characters('Ça va', { shiftTables: false })).toEqual({ shown: [], count: 0 });
  });
});
