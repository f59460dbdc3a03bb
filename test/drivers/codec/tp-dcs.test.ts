import { describe, expect, test } from 'vitest';
import { buildDcs, parseDcs } from '../../../drivers/codec/index.ts';

describe('TP-DCS (TS 23.038 clause 4)', () => {
  test.each([
    [{ encoding: 'gsm7' }, 0x00],
    [{ encoding: 'binary' }, 0x04],
    [{ encoding: 'ucs2' }, 0x08],
    [{ encoding: 'gsm7', flash: true }, 0x10],
    [{ encoding: 'ucs2', flash: true }, 0x18],
    [{ encoding: 'binary', messageClass: 1 }, 0x15],
    [{ encoding: 'gsm7', messageClass: 2 }, 0x12],
  ] as const)('build %j = 0x%s', (request, value) => {
    expect(buildDcs(request)).toBe(value);
    const parsed = parseDcs(value);
    expect(parsed.encoding).toBe(request.encoding);
    expect(parsed.messageClass).toBe('flash' in request ? 0 : 'messageClass' in request ? request.messageClass : undefined);
  });

  test.each([
    [0x00, { value: 0x00, group: 'general', encoding: 'gsm7', compressed: false }],
    [0x08, { value: 0x08, group: 'general', encoding: 'ucs2', compressed: false }],
    [0x11, { value: 0x11, group: 'general', encoding: 'gsm7', compressed: false, messageClass: 1 }],
    [0x24, { value: 0x24, group: 'general', encoding: 'binary', compressed: true }],
    [0x48, { value: 0x48, group: 'auto-deletion', encoding: 'ucs2', compressed: false }],
    [0xc8, { value: 0xc8, group: 'message-waiting', encoding: 'gsm7', compressed: false, waiting: { store: false, active: true, kind: 'voicemail' } }],
    [0xd1, { value: 0xd1, group: 'message-waiting', encoding: 'gsm7', compressed: false, waiting: { store: true, active: false, kind: 'fax' } }],
    [0xea, { value: 0xea, group: 'message-waiting', encoding: 'ucs2', compressed: false, waiting: { store: true, active: true, kind: 'email' } }],
    [0xf0, { value: 0xf0, group: 'data-coding-class', encoding: 'gsm7', compressed: false, messageClass: 0 }],
    [0xf6, { value: 0xf6, group: 'data-coding-class', encoding: 'binary', compressed: false, messageClass: 2 }],
  ])('parse 0x%s', (value, expected) => {
    expect(parseDcs(value)).toEqual(expected);
  });

  test.each([0x0c, 0x1c, 0x4c, 0x80, 0x9f, 0xa0, 0xbf])('0x%s is CODEC_UNKNOWN_DCS', (value) => {
    expect(() => parseDcs(value)).toThrow(expect.objectContaining({ code: 'CODEC_UNKNOWN_DCS', details: { field: 'TP-DCS', value } }));
  });

  test('every octet parses or is refused with CODEC_UNKNOWN_DCS', () => {
    for (let value = 0; value < 256; value++) {
      try {
        expect(parseDcs(value).value).toBe(value);
      } catch (error) {
        expect(error).toMatchObject({ code: 'CODEC_UNKNOWN_DCS' });
      }
    }
  });

  test('a message class outside 0-3 is refused', () => {
    expect(() => buildDcs({ encoding: 'gsm7', messageClass: 4 as 0 })).toThrow(expect.objectContaining({ code: 'CODEC_INVALID_OPTION' }));
  });
});
