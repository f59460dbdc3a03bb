import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeUcs2, encodeUcs2 } from '../../../drivers/codec/index.ts';

const hex = (octets: Uint8Array): string => Buffer.from(octets).toString('hex');

describe('UCS-2 / UTF-16BE', () => {
  // Code points from the Unicode charts; UTF-16BE by definition (surrogates for U+1F600: D83D DE00).
  test.each([
    ['', ''],
    ['A', '0041'],
    ['日本', '65e5672c'],
    ['Привет', '041f04400438043204350442'],
    ['😀', 'd83dde00'],
    ['a😀b', '0061d83dde000062'],
  ])('%j <-> %s', (text, octets) => {
    expect(hex(encodeUcs2(text))).toBe(octets);
    expect(decodeUcs2(Uint8Array.from(Buffer.from(octets, 'hex')))).toBe(text);
  });

  test.each([
    ['high surrogate at the end', 'ab\ud83d', 2],
    ['low surrogate alone', '\ude00x', 0],
    ['two highs', '\ud83d\ud83d\ude00', 0],
  ])('CODEC_UNPAIRED_SURROGATE: %s', (_name, text, index) => {
    let caught: { code?: unknown; details?: { index?: unknown } } = {};
    try {
      encodeUcs2(text);
    } catch (error: unknown) {
      caught = error as typeof caught;
    }
    expect([caught.code, caught.details?.index]).toEqual(['CODEC_UNPAIRED_SURROGATE', index]);
  });

  test('CODEC_ODD_UCS2_LENGTH', () => {
    expect(() => decodeUcs2(Uint8Array.of(0x00, 0x41, 0x00))).toThrow(
      expect.objectContaining({ code: 'CODEC_ODD_UCS2_LENGTH', details: { length: 3 } }),
    );
  });

  test('round trip for random Unicode including astral characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300, size: 'max' }), (text) => {
        const octets = encodeUcs2(text);
        expect(octets.length).toBe(text.length * 2);
        expect(decodeUcs2(octets)).toBe(text);
      }),
    );
  });
});
