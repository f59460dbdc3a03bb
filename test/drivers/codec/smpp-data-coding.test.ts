import { describe, expect, test } from 'vitest';
import { decodeSmppText, parseSmppDataCoding, smppDataCoding } from '../../../drivers/codec/index.ts';

// SMPP 3.4 section 5.2.19 and 3GPP TS 23.038 clause 4 (coding groups).
describe('SMPP data_coding', () => {
  test.each([
    [0x00, { alphabet: 'gsm7' }],
    [0x01, { alphabet: 'ascii' }],
    [0x02, { alphabet: 'binary' }],
    [0x03, { alphabet: 'latin1' }],
    [0x04, { alphabet: 'binary' }],
    [0x06, { alphabet: 'cyrillic' }],
    [0x07, { alphabet: 'hebrew' }],
    [0x08, { alphabet: 'ucs2' }],
    [0x10, { alphabet: 'gsm7', messageClass: 0 }],
    [0x11, { alphabet: 'gsm7', messageClass: 1 }],
    [0x16, { alphabet: 'binary', messageClass: 2 }],
    [0x18, { alphabet: 'ucs2', messageClass: 0 }],
    [0x48, { alphabet: 'ucs2' }],
    [0xc8, { alphabet: 'gsm7', messageWaiting: { active: true, kind: 0, discard: true } }],
    [0xd1, { alphabet: 'gsm7', messageWaiting: { active: false, kind: 1, discard: false } }],
    [0xe8, { alphabet: 'ucs2', messageWaiting: { active: true, kind: 0, discard: false } }],
    [0xf0, { alphabet: 'gsm7', messageClass: 0 }],
    [0xf1, { alphabet: 'gsm7', messageClass: 1 }],
    [0xf5, { alphabet: 'binary', messageClass: 1 }],
    [0xf7, { alphabet: 'binary', messageClass: 3 }],
  ])('0x%s', (dataCoding, expected) => {
    expect(parseSmppDataCoding(dataCoding)).toEqual(expected);
  });

  test.each([
    ['CODEC_UNKNOWN_DCS', 0x0b],
    ['CODEC_UNKNOWN_DCS', 0x0c],
    ['CODEC_UNKNOWN_DCS', 0x0f],
    ['CODEC_UNKNOWN_DCS', 0x0c | 0x10], // general group, reserved alphabet 11
    ['CODEC_UNKNOWN_DCS', 0x80],
    ['CODEC_UNKNOWN_DCS', 0xbf],
    ['CODEC_UNKNOWN_DCS', 0xcc],
    ['CODEC_UNKNOWN_DCS', 0xf8],
    ['CODEC_UNKNOWN_DCS', 256],
    ['CODEC_UNSUPPORTED_DCS', 0x05],
    ['CODEC_UNSUPPORTED_DCS', 0x0e],
    ['CODEC_UNSUPPORTED_DCS', 0x20],
  ])('%s for 0x%s', (code, dataCoding) => {
    expect(() => parseSmppDataCoding(dataCoding)).toThrow(expect.objectContaining({ code }));
  });

  test.each([
    ['gsm7', {}, 0x00],
    ['gsm7', { gsmDataCoding: 0x01 }, 0x01],
    ['gsm7', { messageClass: 0 }, 0xf0],
    ['binary', {}, 0x04],
    ['binary', { messageClass: 1 }, 0xf5],
    ['ucs2', {}, 0x08],
    ['ucs2', { messageClass: 0 }, 0x18],
  ] as const)('%s %j -> 0x%s', (encoding, request, dataCoding) => {
    expect(smppDataCoding(encoding, request)).toBe(dataCoding);
    expect(parseSmppDataCoding(dataCoding).alphabet).toBe(encoding === 'gsm7' && dataCoding === 0x01 ? 'ascii' : encoding);
  });

  test.each([
    ['GSM unpacked septets (not packed as in a TPDU)', [0x48, 0x00, 0x1b, 0x65], 0x00, 'H@€', 'gsm7'],
    ['IA5', [0x48, 0x40, 0x24], 0x01, 'H@$', 'ascii'],
    ['Latin-1', [0xe9, 0xe8, 0x41], 0x03, 'éèA', 'latin1'],
    ['UCS-2', [0x04, 0x1f, 0x00, 0x21], 0x08, 'П!', 'ucs2'],
    ['ISO-8859-5', [0xbf, 0xe0, 0xd8, 0xd2, 0xd5, 0xe2, 0xf0], 0x06, 'Привет№', 'cyrillic'],
    ['ISO-8859-8', [0xf9, 0xec, 0xe5, 0xed, 0xaa], 0x07, 'שלום×', 'hebrew'],
    ['class 1 GSM', [0x61], 0xf1, 'a', 'gsm7'],
    ['binary gives no text', [0x01, 0x02], 0x04, '', 'binary'],
  ])('decode %s', (_name, octets, dataCoding, text, encoding) => {
    expect(decodeSmppText(Uint8Array.from(octets), dataCoding)).toEqual({ text, encoding });
  });

  test('invalid septets under 0x00 are an error, not garbage', () => {
    expect(() => decodeSmppText(Uint8Array.of(0xe9), 0x00)).toThrow(expect.objectContaining({ code: 'CODEC_INVALID_SEPTET' }));
  });
});
