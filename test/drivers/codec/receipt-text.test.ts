import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  formatReceiptText,
  MESSAGE_STATE_TO_RECEIPT_STATE,
  messageIdCandidates,
  normalizeMessageId,
  parseReceiptText,
  STAT_TO_RECEIPT_STATE,
} from '../../../drivers/codec/index.ts';
import { appendixBFields, fieldsByKey } from '../../../drivers/codec/receipt-text.ts';

const at = (iso: string): Date => new Date(iso);

describe('receipt text (SMPP 3.4 Appendix B)', () => {
  test('the Appendix B form: parse, format, parse again', () => {
    const text = 'id:0123456789 sub:001 dlvrd:001 submit date:2603011200 done date:2603011201 stat:DELIVRD err:000 text:Hello world';
    const parsed = parseReceiptText(text);
    expect(parsed).toMatchObject({
      id: '0123456789',
      sub: 1,
      dlvrd: 1,
      submitDate: at('2026-03-01T12:00:00Z'),
      doneDate: at('2026-03-01T12:01:00Z'),
      stat: 'DELIVRD',
      err: '000',
      text: 'Hello world',
      state: 'delivered',
    });
    const formatted = formatReceiptText({
      id: '0123456789',
      sub: 1,
      dlvrd: 1,
      submitDate: at('2026-03-01T12:00:00Z'),
      doneDate: at('2026-03-01T12:01:00Z'),
      stat: 'DELIVRD',
      err: 0,
      text: 'Hello world',
    });
    expect(formatted).toBe(text);
    expect(parseReceiptText(formatted)).toEqual(parsed);
  });

  // What carriers send (shapes seen in SMSC traces and gateway issue reports), each with what must come out.
  test.each([
    [
      '12-digit dates with seconds, upper-case keys',
      'ID:7F3A SUB:001 DLVRD:000 SUBMIT DATE:260301120005 DONE DATE:260301120107 STAT:UNDELIV ERR:0B1 TEXT:',
      { id: '7F3A', submitDate: at('2026-03-01T12:00:05Z'), doneDate: at('2026-03-01T12:01:07Z'), stat: 'UNDELIV', err: '0B1', text: '', state: 'undeliverable' },
    ],
    [
      'submit_date / done_date and extra spaces',
      'id: 42  sub:1 dlvrd:1  submit_date:2603011200  done_date:2603011200 stat: DELIVRD err:0',
      { id: '42', sub: 1, dlvrd: 1, submitDate: at('2026-03-01T12:00:00Z'), state: 'delivered', err: '0' },
    ],
    ['only id and stat', 'id:abc stat:EXPIRED', { id: 'abc', state: 'expired', stat: 'EXPIRED' }],
    ['lower-case stat', 'id:1 stat:rejectd', { id: '1', state: 'rejected', stat: 'REJECTD' }],
    ['text with colons and key-like words', 'id:9 stat:DELIVRD err:000 text:Code: 1234 stat:FAKE id:2', { id: '9', state: 'delivered', text: 'Code: 1234 stat:FAKE id:2' }],
    ['keys in another order', 'stat:ENROUTE id:55 err:000', { id: '55', state: 'enroute' }],
    ['an alias spelling', 'id:5 stat:DELIVERED', { id: '5', state: 'delivered' }],
    ['an unknown stat', 'id:5 stat:WHATEVER', { id: '5', state: 'unknown', stat: 'WHATEVER' }],
    ['no stat at all', 'id:5 sub:001', { id: '5', state: 'unknown' }],
    ['a 14-digit date', 'id:5 done date:20260301120107 stat:ACCEPTD', { doneDate: at('2026-03-01T12:01:07Z'), state: 'accepted' }],
    ['an invalid date is kept raw only', 'id:5 done date:2602311200 stat:DELETED', { state: 'deleted', raw: { doneDate: '2602311200' } }],
  ])('%s', (_name, text, expected) => {
    const parsed = parseReceiptText(text);
    expect(parsed).toMatchObject(expected);
    if (_name.startsWith('an invalid date')) expect(parsed.doneDate).toBeUndefined();
  });

  test.each([[''], ['stat:DELIVRD err:000'], ['id: stat:DELIVRD'], ['hello world']])('%j is CODEC_INVALID_RECEIPT', (text) => {
    expect(() => parseReceiptText(text)).toThrow(expect.objectContaining({ code: 'CODEC_INVALID_RECEIPT' }));
  });

  test('any text either parses or is CODEC_INVALID_RECEIPT', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        try {
          expect(parseReceiptText(text).id.length).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toMatchObject({ code: 'CODEC_INVALID_RECEIPT' });
        }
      }),
    );
  });

  // The appendix's own layout is read by one anchored match; every other by a search per key. Most values are
  // plain; some are built from pieces that could confuse either (separators, colons, key names, ideographic
  // spaces), so a text the anchored match takes wrongly, or takes where the keys say otherwise, shows up as a
  // difference. The count makes sure the anchored match was tried on many texts, not only the others.
  test('the Appendix B layout reads the same fields as the search per key', () => {
    const plain = fc.stringMatching(/^[0-9A-Za-z]{1,8}$/);
    const piece = fc.constantFrom('a', ':', ',', ';', ' ', '\t', '\n', '\u3000', ',stat:', ';id:', ' text:', ',done date:', 'err :');
    const tricky = fc.array(piece, { minLength: 1, maxLength: 4 }).map((pieces) => pieces.join(''));
    const value = fc.oneof({ weight: 6, arbitrary: plain }, { weight: 1, arbitrary: tricky });
    let anchored = 0;
    const runs = 3000;
    fc.assert(
      fc.property(fc.tuple(value, value, value, value, value, value, value, value), ([id, sub, dlvrd, submit, done, stat, err, tail]) => {
        const text = `id:${id} sub:${sub} dlvrd:${dlvrd} submit date:${submit} done date:${done} stat:${stat} err:${err} text:${tail}`;
        const fields = appendixBFields(text);
        if (fields !== undefined) anchored += 1;
        expect(fields ?? fieldsByKey(text)).toEqual(fieldsByKey(text));
      }),
      { numRuns: runs },
    );
    expect(anchored).toBeGreaterThan(runs / 10);
  });

  test('receipts as an SMSC writes them take the Appendix B reading', () => {
    const id = fc.stringMatching(/^[0-9A-Za-z-]{1,65}$/);
    const stat = fc.constantFrom('delivered', 'undeliverable', 'expired', 'rejected', 'accepted', 'enroute', 'deleted', 'unknown');
    const date = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true });
    fc.assert(
      fc.property(id, stat, date, fc.boolean(), fc.string({ maxLength: 30 }), (messageId, state, at, seconds, body) => {
        const text = formatReceiptText({ id: messageId, stat: state, doneDate: at, submitDate: at, seconds, text: body });
        const fields = appendixBFields(text);
        expect(fields).toEqual(fieldsByKey(text));
        expect(fields?.id).toBe(messageId);
      }),
    );
  });

  test('format writes a state as its stat and cuts text to 20 characters', () => {
    const text = formatReceiptText({ id: 'x1', stat: 'undeliverable', err: '0B1', text: '😀'.repeat(30), doneDate: at('2026-01-02T03:04:05Z'), seconds: true });
    expect(text).toBe(`id:x1 sub:001 dlvrd:000 submit date:260102030405 done date:260102030405 stat:UNDELIV err:0B1 text:${'😀'.repeat(20)}`);
  });

  test('stat and message_state maps cover SMPP 3.4', () => {
    expect(Object.keys(STAT_TO_RECEIPT_STATE).sort()).toEqual(['ACCEPTD', 'DELETED', 'DELIVRD', 'ENROUTE', 'EXPIRED', 'REJECTD', 'UNDELIV', 'UNKNOWN']);
    expect(MESSAGE_STATE_TO_RECEIPT_STATE).toEqual({
      1: 'enroute',
      2: 'delivered',
      3: 'expired',
      4: 'deleted',
      5: 'undeliverable',
      6: 'accepted',
      7: 'unknown',
      8: 'rejected',
    });
  });
});

describe('message ids', () => {
  test.each([
    ['  00A1B2 ', undefined, 'a1b2'],
    ['000123', undefined, '123'],
    ['000123', 'decimal', '123'],
    ['0', undefined, '0'],
    ['0000', undefined, '0'],
    ['ABCDEF', 'hex', 'abcdef'],
    ['Msg-ID-XYZ', undefined, 'Msg-ID-XYZ'],
    ['a1b2', 'decimal', 'a1b2'],
  ] as const)('normalizeMessageId(%j, %s) = %j', (id, hint, expected) => {
    expect(normalizeMessageId(id, hint)).toBe(expected);
  });

  test.each([
    ['0x1F'.slice(2), ['1f', '31']],
    ['255', ['255', 'ff', '597']],
    ['00FF', ['ff', '255']],
    ['uuid-like-1', ['uuid-like-1']],
    // Beyond 2^53: still exact.
    ['18446744073709551615', ['18446744073709551615', 'ffffffffffffffff', '114598615266301018707477']],
  ])('candidates of %j', (id, candidates) => {
    expect(messageIdCandidates(id)).toEqual(candidates);
  });

  test('a hex id from submit_sm_resp matches the decimal id of its receipt', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.nat({ max: 3 }), (value, zeros) => {
        const hexId = `${'0'.repeat(zeros)}${value.toString(16).toUpperCase()}`;
        const decimalId = value.toString(10);
        const fromSubmit = normalizeMessageId(hexId, 'hex');
        expect(messageIdCandidates(decimalId)).toContain(fromSubmit);
      }),
    );
  });
});
