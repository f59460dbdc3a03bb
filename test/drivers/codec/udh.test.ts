import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { concatElement, decodeUdh, encodeUdh, shiftElements, type ConcatInfo, type ShiftTables } from '../../../drivers/codec/index.ts';

const hex = (octets: Uint8Array): string => Buffer.from(octets).toString('hex');
const bytes = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));

// Header layouts of 3GPP TS 23.040 clause 9.2.3.24.1 / .8 / .15 / .16.
describe('UDH', () => {
  test.each([
    ['8-bit concatenation, ref 0xCC, part 1 of 2', { ref: 0xcc, total: 2, seq: 1, refSize: 8 }, {}, '050003cc0201'],
    ['16-bit concatenation, ref 0x1234, part 2 of 3', { ref: 0x1234, total: 3, seq: 2, refSize: 16 }, {}, '0608041234 0302'],
    ['concatenation + Turkish locking + single', { ref: 1, total: 2, seq: 2, refSize: 8 }, { locking: 'turkish', single: 'turkish' }, '0b0003010202 250101 240101'],
    ['Portuguese locking only', undefined, { locking: 'portuguese' }, '03250103'],
    ['Spanish single only', undefined, { single: 'spanish' }, '03240102'],
  ] as [string, ConcatInfo | undefined, ShiftTables, string][])('%s', (_name, concat, tables, expected) => {
    const octets = encodeUdh([...(concat ? [concatElement(concat)] : []), ...shiftElements(tables)]);
    expect(hex(octets)).toBe(expected.replace(/ /g, ''));
    const decoded = decodeUdh(Uint8Array.from([...octets, 0x41, 0x42]));
    expect(decoded.length).toBe(octets.length);
    expect(decoded.concat).toEqual(concat);
    expect(decoded.shiftTables).toEqual(tables);
  });

  test('unknown elements are kept; a reserved language id means the default table', () => {
    const decoded = decodeUdh(bytes('09 0504 0b84 23f0 2401 0e'.replace(/ /g, '')));
    expect(decoded.elements.map((e) => [e.iei, hex(e.data)])).toEqual([[0x05, '0b8423f0'], [0x24, '0e']]);
    expect(decoded.shiftTables).toEqual({});
    expect(decoded.concat).toBeUndefined();
  });

  test.each([
    ['sequence 0', '050003010200'],
    ['sequence beyond total', '050003010203'],
  ])('a concatenation element with %s is kept but ignored (TS 23.040)', (_name, h) => {
    const decoded = decodeUdh(bytes(h));
    expect(decoded.concat).toBeUndefined();
    expect(decoded.elements).toHaveLength(1);
  });

  test.each([
    ['no octets', ''],
    ['UDHL past the data', '0500030102'],
    ['element length past the header', '03000501'],
    ['element without its length octet', '0100'],
    ['8-bit concatenation of 2 octets', '0400020102'],
    ['16-bit concatenation of 3 octets', '050803010201'],
    ['shift element of 2 octets', '0424020101'],
  ])('CODEC_INVALID_UDH: %s', (_name, h) => {
    expect(() => decodeUdh(bytes(h))).toThrow(expect.objectContaining({ code: 'CODEC_INVALID_UDH' }));
  });

  test.each([
    [{ ref: 256, total: 2, seq: 1, refSize: 8 }],
    [{ ref: 70000, total: 2, seq: 1, refSize: 16 }],
    [{ ref: 1, total: 2, seq: 3, refSize: 8 }],
    [{ ref: 1, total: 256, seq: 1, refSize: 8 }],
  ] as [ConcatInfo][])('concatElement refuses %j', (info) => {
    expect(() => concatElement(info)).toThrow(expect.objectContaining({ code: 'CODEC_INVALID_OPTION' }));
  });

  test('encode(decode) round trip for random elements', () => {
    const element = fc.record({ iei: fc.integer({ min: 0x70, max: 0x7f }), data: fc.uint8Array({ maxLength: 20 }) });
    fc.assert(
      fc.property(fc.array(element, { maxLength: 8 }), (elements) => {
        const octets = encodeUdh(elements);
        if (elements.length === 0) {
          expect(octets.length).toBe(0);
          return;
        }
        const decoded = decodeUdh(octets);
        expect(decoded.length).toBe(octets.length);
        expect(decoded.elements.map((e) => [e.iei, hex(e.data)])).toEqual(elements.map((e) => [e.iei, hex(e.data)]));
      }),
    );
  });

  test('a header over 255 octets is refused', () => {
    expect(() => encodeUdh([{ iei: 0x70, data: new Uint8Array(254) }])).toThrow(expect.objectContaining({ code: 'CODEC_INVALID_UDH' }));
  });
});
