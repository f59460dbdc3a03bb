import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fillBitsAfterUdh, fromHex, packSeptets, toHex, unpackSeptets } from '../../../drivers/codec/index.ts';

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe('septet packing (TS 23.038 6.1.2.1.1)', () => {
  // Source: python-gsmmodem test/test_pdu.py TestGsm7 (septets of ASCII-range GSM characters and their packing).
  test.each([
    ['123', '31D90C'],
    ['12345678', '31D98C56B3DD70'],
    ['123456789', '31D98C56B3DD7039'],
    ['Hello World!', 'C8329BFD065DDF72363904'],
    // Source: the classic "hellohello" SMS-SUBMIT of the PDU-format tutorial (TP-UD of 0011000B916407281553F80000AA0A...).
    ['hellohello', 'E8329BFD4697D9EC37'],
  ])('%s packs to %s and back', (text, hex) => {
    const septets = ascii(text);
    expect(toHex(packSeptets(septets))).toBe(hex);
    expect(unpackSeptets(fromHex(hex), septets.length)).toEqual(septets);
  });

  test.each([
    [6, 1], // 8-bit concat UDH: 05 00 03 rr tt ss -> 48 bits + 1 fill = 7 septets
    [7, 0], // 16-bit concat UDH: 56 bits, already aligned
    [9, 5], // concat + one shift element
    [12, 2], // concat + both shift elements
    [0, 0],
  ])('a UDH of %i octets is followed by %i fill bits', (octets, fill) => {
    expect(fillBitsAfterUdh(octets)).toBe(fill);
    expect((octets * 8 + fill) % 7).toBe(0);
  });

  test('fill bits shift the septets: "A" after 1 fill bit', () => {
    expect(toHex(packSeptets(Uint8Array.of(0x41), 1))).toBe('82');
    expect(unpackSeptets(Uint8Array.of(0x82), 1, 1)).toEqual(Uint8Array.of(0x41));
  });

  test('unpack(pack(x)) == x for any septets and fill', () => {
    fc.assert(
      fc.property(fc.uint8Array({ max: 0x7f, maxLength: 200 }), fc.integer({ min: 0, max: 6 }), (septets, fill) => {
        const packed = packSeptets(septets, fill);
        expect(packed.length).toBe(Math.ceil((fill + septets.length * 7) / 8));
        expect(unpackSeptets(packed, septets.length, fill)).toEqual(septets);
      }),
    );
  });

  test.each([
    ['a value above 0x7F', () => packSeptets(Uint8Array.of(0x41, 0x80)), 'CODEC_INVALID_SEPTET'],
    ['fill bits beyond 6', () => packSeptets(Uint8Array.of(1), 7), 'CODEC_INVALID_OPTION'],
    ['more septets than octets hold', () => unpackSeptets(Uint8Array.of(1, 2), 3), 'CODEC_UDL_BEYOND_DATA'],
    ['a negative count', () => unpackSeptets(Uint8Array.of(1), -1), 'CODEC_INVALID_OPTION'],
  ])('rejects %s', (_name, run, code) => {
    expect(run).toThrow(expect.objectContaining({ code }));
  });
});
